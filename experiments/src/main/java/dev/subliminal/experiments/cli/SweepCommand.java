package dev.subliminal.experiments.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.JsonNode;
import dev.subliminal.experiments.io.Provenance;
import dev.subliminal.experiments.mnist.MnistData;
import dev.subliminal.experiments.mnist.MnistGrid;
import dev.subliminal.experiments.mnist.MnistSweep;
import dev.subliminal.results.leakage.LeakageSchema;
import dev.subliminal.results.leakage.LeakageSummary;
import dev.subliminal.results.mnist.MnistSweepSchema;
import dev.subliminal.simulation.leakage.LeakageGrid;
import dev.subliminal.simulation.leakage.LeakageSweep;
import dev.subliminal.results.mnist.MnistSweepSummary;
import dev.subliminal.results.io.Outputs;
import dev.subliminal.results.store.ResultStore;
import dev.subliminal.results.sweep.SweepSchema;
import dev.subliminal.results.sweep.SweepSummary;
import dev.subliminal.simulation.sweep.Shard;
import dev.subliminal.simulation.sweep.SweepGrid;
import dev.subliminal.simulation.sweep.SweepRunner;
import dev.subliminal.simulation.sweep.UnitGrid;
import dev.subliminal.results.schema.Schema;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.BiFunction;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code subliminal sweep GRID}: a grid of check configurations × seeds into a resumable results file. */
@Command(name = "sweep", mixinStandardHelpOptions = true, sortOptions = false,
        modelTransformer = SettingOptions.SweepHelp.class,
        description = {"Run the transmission check (or, for a grid with 'experiment: mnist', the MNIST experiment; with "
            + "'experiment: leakage', the soft-label leakage experiment) "
            + "over a grid of configurations and seeds (YAML or JSON, "
            + "format in docs/sweeps.md, ready-made grids in sweeps/), streaming one record per (cell, seed) to a results file, "
            + "then print the statistics per cell.",
            "Rerunning the same command resumes a killed run. Records do not depend on --threads."},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:done", "2:bad input or usage (one line names the problem; --verbose adds the stack trace)"})
final class SweepCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "GRID", description = "The grid file (*.yaml, *.yml or *.json).")
    Path grid;

    @Option(names = "--out", paramLabel = "FILE", description = "Results file (default: the grid's name with "
            + ".jsonl in the current folder, or .shard-K-of-N.jsonl for a shard).")
    Path out;

    @CommandLine.Mixin
    ThreadsOption threads;

    @CommandLine.Mixin
    TableOptions tables;

    @Option(names = "--shard", paramLabel = "K/N", description = "Run shard K (0-based) of N: the units u with "
            + "u mod N = K. Default: from SLURM_ARRAY_TASK_ID (minus SLURM_ARRAY_TASK_MIN) and "
            + "SLURM_ARRAY_TASK_COUNT, or JOB_COMPLETION_INDEX with --shards, else the whole sweep.")
    String shard;

    @Option(names = "--max-cells", paramLabel = "N", defaultValue = "10000",
            description = "Refuse a grid of more cells than N, before running any (default: ${DEFAULT-VALUE}).")
    long maxCells;

    @Option(names = "--shards", paramLabel = "N", description = "The number of shards of a Kubernetes indexed "
            + "Job (its completions); the index comes from JOB_COMPLETION_INDEX.")
    Integer shards;

    @Option(names = "--mnist-dir", paramLabel = "DIR", description = "MNIST grids (experiment: mnist) only: the "
            + "four standard MNIST IDX files in DIR instead of the bundled 10,000 digits.")
    Path mnistDir;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        int t = threads.count();
        JsonNode root = SweepGrid.readDocument(grid);
        if (LeakageGrid.isLeakage(root)) {
            return leakage(root, t);
        }
        if (MnistGrid.isMnist(root)) {
            return mnist(root, t);
        }
        if (mnistDir != null) {
            throw new IllegalArgumentException("--mnist-dir applies to MNIST grids only (experiment: mnist); " + grid
                    + " is a grid of the check");
        }
        SweepGrid g;
        try {
            g = SweepGrid.of(root, maxCells);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("grid " + grid + ": " + e.getMessage(), e);
        }
        long perUnit = g.cells().stream().mapToLong(c -> c.check().memoryBytes()).max().orElse(0);
        MemoryBudget.require(Math.multiplyExact(perUnit, (long) t), "a cell of the grid on " + t + " threads");
        return run("sweep", g, t, List.of(grid), SweepSchema.SCHEMA, "", (store, s) -> {
            SweepRunner.run(g, s, store, t, ProgressBar.forTerminal(spec.commandLine().getErr()));
            return "";
        }, file -> SweepTables.render(SweepSummary.of(file), tables.width()));
    }

    /** A sweep of the MNIST experiment ({@link MnistSweep}). */
    private int mnist(JsonNode root, int t) {
        MnistData data = mnistDir == null ? MnistData.bundled() : MnistData.fromDirectory(mnistDir);
        MnistGrid g;
        try {
            g = MnistGrid.of(root, maxCells, data.source());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("grid " + grid + ": " + e.getMessage(), e);
        }
        long perUnit = g.cells().stream().mapToLong(c -> c.memoryBytes(data.train().count())).max().orElse(0);
        MemoryBudget.require(perUnit, "an MNIST cell of the grid");
        List<Path> inputs = new java.util.ArrayList<>(List.of(grid));
        if (mnistDir != null) {
            inputs.addAll(MnistData.inputs(mnistDir));
        }
        return run("MNIST sweep", g, t, inputs, MnistSweepSchema.SCHEMA, "; data: " + data.source(), (store, s) -> {
            int teachers = MnistSweep.run(g, s, store, data, t, ProgressBar.forTerminal(spec.commandLine().getErr()));
            return " (" + Plural.of(teachers, "teacher") + " trained)";
        }, file -> MnistSweepTables.render(MnistSweepSummary.of(file), tables.width()));
    }

    /** A sweep of the soft-label leakage experiment ({@link LeakageSweep}). */
    private int leakage(JsonNode root, int t) {
        if (mnistDir != null) {
            throw new IllegalArgumentException("--mnist-dir applies to MNIST grids only (experiment: mnist); " + grid
                    + " is a leakage grid");
        }
        LeakageGrid g;
        try {
            g = LeakageGrid.of(root, maxCells);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("grid " + grid + ": " + e.getMessage(), e);
        }
        return run("leakage sweep", g, t, List.of(grid), LeakageSchema.SCHEMA, "", (store, s) -> {
            LeakageSweep.run(g, s, store, t, ProgressBar.forTerminal(spec.commandLine().getErr()));
            return "";
        }, file -> LeakageTables.render(LeakageSummary.of(file), tables.width()));
    }

    /**
     * Runs this command's shard of {@code g} into its results file (refused if it is one of
     * {@code inputs}): the opening line ({@code kind}, cells × seeds, units, threads, file, resuming,
     * then {@code note}), the units through {@code units}, which returns what the closing line adds
     * after the time, then the tables {@code tables} renders from the file.
     */
    private int run(String kind, UnitGrid g, int t, List<Path> inputs, Schema schema, String note,
            BiFunction<ResultStore, Shard, String> units, Function<Path, String> tables) {
        Shard s = Shard.resolve(shard, shards, System.getenv());
        Path file = out != null ? out : defaultOutput(grid, s);
        Outputs.requireDistinct(file, inputs);
        PrintWriter o = spec.commandLine().getOut();
        String[] args = spec.commandLine().getParseResult().originalArgs().toArray(new String[0]);
        long start = System.nanoTime();
        String[] done = {""};
        ResultStore.write(file, schema, g.config(s), Provenance.json(new ObjectMapper(), args), store -> {
            long count = SweepRunner.units(g, s).length;
            long present = store.keys().size();
            o.printf(Locale.ROOT, "%s %s: %s × %s (%d..%d)%s; %s on %s into %s%s%s%n",
                    kind, grid, Plural.of(g.cells().size(), "cell"), Plural.of(g.seedCount(), "seed"), g.firstSeed(),
                    g.firstSeed() + g.seedCount() - 1, s.count() > 1 ? ", shard " + s : "", Plural.of(count, "unit"),
                    Plural.of(t, "thread"), file, present > 0 ? " (resuming: " + present + " done)" : "", note);
            o.flush();
            done[0] = units.apply(store, s);
        });
        o.print(tables.apply(file));
        o.printf(Locale.ROOT, "done in %.1f s%s; print again with: ./subliminal summarize %s%n",
                (System.nanoTime() - start) / 1e9, done[0], file);
        o.flush();
        return 0;
    }

    private static Path defaultOutput(Path grid, Shard s) {
        String name = grid.getFileName().toString().replaceFirst("\\.(ya?ml|json)$", "");
        return Path.of(s.count() > 1 ? name + ".shard-" + s.index() + "-of-" + s.count() + ".jsonl" : name + ".jsonl");
    }
}
