package dev.subliminal.experiments.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.subliminal.experiments.io.Provenance;
import dev.subliminal.reports.Report;
import dev.subliminal.reports.table.TextTable;
import dev.subliminal.simulation.battery.Battery;
import dev.subliminal.simulation.battery.BatteryRow;
import dev.subliminal.simulation.store.ResultStore;
import dev.subliminal.simulation.sweep.Shard;
import dev.subliminal.simulation.sweep.SweepGrid;
import dev.subliminal.simulation.sweep.SweepRecord;
import dev.subliminal.simulation.sweep.SweepRunner;
import dev.subliminal.simulation.sweep.SweepSummary;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code subliminal demo}: the theorem battery on embedded defaults, run as a sweep into
 * {@code OUT/battery.jsonl}, printed as one table and written as a report {@code OUT/report/index.html}.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run the transmission battery on embedded defaults, print one table and write a report.",
            "Rows: linear vs MLP; same, perturbed and independent init; a student of another architecture. "
                + "Each row runs the check over the same seeds and reports the rate of Δ_S·Δ_T > 0 and of a "
                + "positive trait-carrying part with Wilson 95%% intervals, the median cosine, the median "
                + "relative first-order error and the rate at which L_T ends below the control's."})
final class DemoCommand implements Callable<Integer> {

    /** The most seeds per row: the summary keeps every value for its medians. */
    static final int MAX_SEEDS = 1_000_000;

    @Option(names = "--seeds", defaultValue = "200", description = "Seeds per row (default: ${DEFAULT-VALUE}).")
    int seeds;

    @Option(names = "--first-seed", defaultValue = "1", description = "First seed; rows use seeds first..first+seeds−1 (default: ${DEFAULT-VALUE}).")
    long firstSeed;

    @CommandLine.Mixin
    ThreadsOption threads;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "subliminal-demo",
            description = "Folder for the results file battery.jsonl and the report (default: ${DEFAULT-VALUE}).")
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
        Path results = freshResultsFile();
        PrintWriter o = spec.commandLine().getOut();
        o.println("Transmission battery: " + seeds + " seeds per row (" + firstSeed + ".." + (firstSeed + seeds - 1)
                + "), models 4-8-3 (linear 4-3), ce imitation on 64 Gaussian inputs, ce trait on 16 labelled inputs, "
                + "ε = 1e-4, α = 0.1");
        o.flush();
        long start = System.nanoTime();
        List<BatteryRow> rows = Battery.standard();
        SweepGrid grid = Battery.grid(rows, firstSeed, seeds);
        String[] args = spec.commandLine().getParseResult().originalArgs().toArray(new String[0]);
        try (ResultStore store = ResultStore.open(results, SweepRecord.SCHEMA, grid.config(Shard.all()),
                Provenance.json(new ObjectMapper(), args))) {
            SweepRunner.run(grid, Shard.all(), store, t, ProgressBar.forTerminal(spec.commandLine().getErr()));
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        TextTable table = new TextTable("row", "Δ_S·Δ_T > 0 [95% CI]", "trait part > 0 [95% CI]", "median cos",
                "median rel. err", "L_T below control [95% CI]");
        for (SweepSummary.Cell c : SweepSummary.of(results).cells()) {
            table.add(c.label(), c.positiveDot().format(), c.positiveTraitPart().format(),
                    fmt(c.medianCosine()), fmt(c.medianRelativeError()), c.dropsBelowControl().format());
        }
        o.print(table.render());
        o.printf(Locale.ROOT, "%d checks in %.1f s on %d threads; replay one with: ./subliminal check --init "
                + "independent --seed %d%n", rows.size() * seeds, seconds, t, firstSeed);
        Report.Written report = Report.write(List.of(results), out.resolve("report"));
        o.println("results: " + results);
        o.println("report: " + out.resolve("report").resolve(report.index().getFileName()) + " (open it in a browser)");
        o.flush();
        return 0;
    }

    /** {@code OUT/battery.jsonl}, with the folder created and an earlier demo's results removed. */
    private Path freshResultsFile() {
        Path results = out.resolve("battery.jsonl");
        try {
            Files.createDirectories(out);
            Files.deleteIfExists(results);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare " + out + ": " + e.getMessage(), e);
        }
        return results;
    }

    private static String fmt(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.3g", v);
    }
}
