package dev.subliminal.experiments.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.subliminal.experiments.io.Provenance;
import dev.subliminal.reports.Report;
import dev.subliminal.reports.table.TextTable;
import dev.subliminal.simulation.battery.Battery;
import dev.subliminal.simulation.battery.BatteryRow;
import dev.subliminal.results.io.IoErrors;
import dev.subliminal.results.io.Locks;
import dev.subliminal.results.io.Outputs;
import dev.subliminal.results.schema.ProvenanceSchema;
import dev.subliminal.results.store.Header;
import dev.subliminal.results.store.ResultStore;
import dev.subliminal.results.store.ResultsReader;
import dev.subliminal.results.sweep.SweepSchema;
import dev.subliminal.results.sweep.SweepSummary;
import dev.subliminal.simulation.sweep.Shard;
import dev.subliminal.simulation.sweep.SweepGrid;
import dev.subliminal.simulation.sweep.SweepRunner;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code subliminal demo}: the theorem battery on embedded defaults, run as a sweep into
 * {@code OUT/battery.jsonl}, printed as one table and written as a report {@code OUT/report/index.html}.
 * Each demo starts afresh: it replaces the results file and the report folder of an earlier demo
 * (a results file whose header says {@code demo} wrote it; a report folder with its marker), and
 * refuses to touch anything else at those paths.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run the transmission battery on embedded defaults, print one table and write a report.",
            "Rows: linear vs MLP; same, perturbed and independent init; a student of another architecture. "
                + "Each row runs the check over the same seeds and reports the rate of Δ_S·Δ_T > 0 and of a "
                + "positive trait-carrying part with Wilson 95%% intervals, the median cosine, the median "
                + "relative first-order error and the rate at which L_T ends below the control's."},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:done", "2:bad input or usage (one line names the problem; --verbose adds the stack trace)"},
        footerHeading = "%nExamples:%n",
        footer = {"  ./subliminal demo", "  ./subliminal demo --seeds 1000 --threads 8 --out demo-1000 --wide"})
final class DemoCommand implements Callable<Integer> {

    /** The most seeds per row: the summary keeps every value for its medians. */
    static final int MAX_SEEDS = 1_000_000;

    private static final String COMMAND = "demo";

    @Option(names = "--seeds", paramLabel = "N", defaultValue = "200", description = "Seeds per row (default: ${DEFAULT-VALUE}).")
    int seeds;

    @Option(names = "--first-seed", paramLabel = "SEED", defaultValue = "1", description = "First seed; rows use seeds first..first+seeds−1 (default: ${DEFAULT-VALUE}).")
    long firstSeed;

    @CommandLine.Mixin
    ThreadsOption threads;

    @CommandLine.Mixin
    TableOptions tables;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "subliminal-demo",
            description = "Folder for the results file battery.jsonl and the report; an earlier demo's are replaced, "
                    + "anything else there is refused (default: ${DEFAULT-VALUE}).")
    Path out;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        if (seeds < 1 || seeds > MAX_SEEDS) {
            throw new IllegalArgumentException("--seeds " + seeds + ": give 1 to " + MAX_SEEDS + " seeds per row");
        }
        if (firstSeed > Long.MAX_VALUE - (seeds - 1)) {
            throw new IllegalArgumentException("--first-seed " + firstSeed + " with --seeds " + seeds
                    + " runs past the largest seed " + Long.MAX_VALUE);
        }
        int t = threads.count();
        Path results = out.resolve("battery.jsonl");
        Path report = out.resolve("report");
        prepareFolder();
        requireOwnResults(results);
        Outputs.requireReplaceableFolder(report, Report.MARKER);
        removeOwnResults(results);
        PrintWriter o = spec.commandLine().getOut();
        o.print(TextTable.wrap("Transmission battery: " + Plural.of(seeds, "seed") + " per row (" + firstSeed + ".."
                + (firstSeed + seeds - 1) + "), models 4-8-3 (linear 4-3), ce imitation on 64 Gaussian inputs, ce trait "
                + "on 16 labelled inputs, ε = 1e-4, α = 0.1", TextTable.TERMINAL));
        o.flush();
        long start = System.nanoTime();
        List<BatteryRow> rows = Battery.standard();
        SweepGrid grid = Battery.grid(rows, firstSeed, seeds);
        String[] args = spec.commandLine().getParseResult().originalArgs().toArray(new String[0]);
        ResultStore.write(results, SweepSchema.SCHEMA, grid.config(Shard.all()),
                Provenance.json(new ObjectMapper(), args),
                store -> SweepRunner.run(grid, Shard.all(), store, t, ProgressBar.forTerminal(spec.commandLine().getErr())));
        double seconds = (System.nanoTime() - start) / 1e9;
        TextTable table = new TextTable("row", "Δ_S·Δ_T > 0\n[95% CI]", "trait part > 0\n[95% CI]",
                "L_T below control\n[95% CI]", "median\ncos", "median rel. err\n[95% CI]").optional(4, 5);
        for (SweepSummary.Cell c : SweepSummary.of(results).cells()) {
            table.add(c.label(), c.positiveDot().format(), c.positiveTraitPart().format(),
                    c.dropsBelowControl().format(), fmt(c.medianCosine()), c.relativeError().format("%.3g"));
        }
        TextTable.Rendered r = table.render(tables.width());
        o.print(r.text());
        o.print(r.note("--wide prints them; the report has every statistic"));
        o.printf(Locale.ROOT, "%d checks in %.1f s on %s; replay one with: ./subliminal check --init "
                + "independent --seed %d%n", rows.size() * seeds, seconds, Plural.of(t, "thread"), firstSeed);
        Report.Written written = Report.write(List.of(results), report);
        o.println("results: " + results);
        o.println("report: " + report.resolve(written.index().getFileName()) + " (open it in a browser)");
        o.flush();
        return 0;
    }

    /** Creates the output folder if it is missing. */
    private void prepareFolder() {
        try {
            Files.createDirectories(out);
        } catch (IOException e) {
            throw IoErrors.unchecked("cannot create " + out, out, e);
        }
    }

    /** Throws unless {@code results} is absent or a results file an earlier demo wrote. */
    private static void requireOwnResults(Path results) {
        if (!Files.exists(results, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Outputs.requireFileOrAbsent(results);
        String refusal = "cannot write " + results + ": it exists and was not written by demo, so it is left as "
                + "it is; choose another --out";
        Header h;
        try {
            h = ResultsReader.header(results, SweepSchema.SCHEMA);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(refusal + " (" + e.getMessage() + ")", e);
        }
        JsonNode p = h.provenance();
        boolean demo = p.path(ProvenanceSchema.COMMAND.name()).asText("").equals(COMMAND)
                || p.path(ProvenanceSchema.ARGUMENTS.name()).path(0).asText("").equals(COMMAND);
        if (!demo || !p.path(ProvenanceSchema.TOOL.name()).asText("").equals(Provenance.TOOL)) {
            throw new IllegalArgumentException(refusal);
        }
    }

    /** Removes an earlier demo's results, holding its lock so that a demo still writing it is not cut short. */
    private static void removeOwnResults(Path results) {
        if (!Files.exists(results, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (FileChannel c = FileChannel.open(results, StandardOpenOption.READ, StandardOpenOption.WRITE,
                LinkOption.NOFOLLOW_LINKS); FileLock lock = Locks.lock(c, results)) {
            Files.delete(results);
        } catch (IOException e) {
            throw IoErrors.unchecked("cannot replace " + results, results, e);
        }
    }

    private static String fmt(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.3g", v);
    }
}
