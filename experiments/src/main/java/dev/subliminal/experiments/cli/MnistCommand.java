package dev.subliminal.experiments.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.subliminal.experiments.io.Provenance;
import dev.subliminal.experiments.mnist.ArmResult;
import dev.subliminal.experiments.mnist.MnistConfig;
import dev.subliminal.experiments.mnist.MnistData;
import dev.subliminal.experiments.mnist.MnistExperiment;
import dev.subliminal.reports.table.TextTable;
import dev.subliminal.results.io.Outputs;
import dev.subliminal.results.mnist.Arm;
import dev.subliminal.results.mnist.MnistReference;
import dev.subliminal.results.mnist.MnistSchema;
import dev.subliminal.results.mnist.MnistSummary;
import dev.subliminal.results.schema.Schema;
import dev.subliminal.results.stats.MeanInterval;
import dev.subliminal.results.store.ResultStore;
import dev.subliminal.theory.linalg.Gemm;
import dev.subliminal.spec.Names;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/** {@code subliminal mnist}: the paper's MNIST auxiliary-logit experiment (Fig. 10). */
@Command(name = "mnist", mixinStandardHelpOptions = true, sortOptions = false,
        modelTransformer = MnistCommand.Options.class,
        description = {"Reproduce the paper's MNIST auxiliary-logit experiment (Fig. 10) over independent runs.",
            "A teacher learns the digits on its 10 class logits; students that never see a digit or a label "
                + "imitate its m auxiliary logits (or all logits) on noise images, from the teacher's init or "
                + "another one. Prints each arm's mean test accuracy with a 95%% t-interval next to the paper's, "
                + "and how each student's first step and cumulative update align with the teacher's update. "
                + "Records go to a results file (subliminal.mnist/1); rerunning the same command resumes it."},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:done", "2:bad input or usage (one line names the problem; --verbose adds the stack trace)"},
        footerHeading = "%nExamples:%n",
        footer = {"  ./subliminal mnist --runs 10", "  ./subliminal mnist --aux 10 --runs 5 --out mnist-aux10.jsonl",
            "  ./subliminal mnist --mnist-dir ~/data/mnist --runs 100 --out mnist-full.jsonl"})
final class MnistCommand implements Callable<Integer> {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Option(names = "--runs", paramLabel = "N", defaultValue = "3", description = "Independent runs (default: ${DEFAULT-VALUE}; the paper used 100).")
    int runs;

    @Option(names = "--first-seed", paramLabel = "SEED", defaultValue = "1", description = "Seed of run 0; run r uses first-seed + r (default: ${DEFAULT-VALUE}).")
    long firstSeed;

    @Option(names = "--out", paramLabel = "FILE", defaultValue = "mnist.jsonl", description = "Results file "
            + "(default: ${DEFAULT-VALUE}), resumed if it exists.")
    Path out;

    @Option(names = "--mnist-dir", paramLabel = "DIR", description = "Use the four standard MNIST IDX files in DIR "
            + "(train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-..., each optionally gzipped) instead of the bundled 10,000 digits.")
    Path mnistDir;

    @CommandLine.Mixin
    ThreadsOption threads;

    @CommandLine.Mixin
    TableOptions tables;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        int t = threads.count();
        if (mnistDir != null) {
            Outputs.requireDistinct(out, MnistData.inputs(mnistDir));
        }
        MnistData data = mnistDir == null ? MnistData.bundled() : MnistData.fromDirectory(mnistDir);
        MnistConfig config = new MnistConfig(runs, firstSeed, SettingOptions.values(spec.commandLine().getParseResult(),
                MnistConfig.SETTINGS), data.source());
        for (var s : java.util.List.of(MnistConfig.RECORD_EVERY, MnistConfig.NTK_INPUTS)) {
            if (config.get(s) != 0) {
                throw new IllegalArgumentException(s.flag() + " " + config.get(s) + ": trajectories and the eNTK "
                        + "predictor are written by MNIST sweeps (./subliminal sweep GRID with experiment: mnist); "
                        + "an mnist record has no place for them");
            }
        }
        MemoryBudget.require(config.memoryBytes(data.train().count()), "an MNIST run");
        PrintWriter o = spec.commandLine().getOut();
        String[] args = spec.commandLine().getParseResult().originalArgs().toArray(new String[0]);
        long start = System.nanoTime();
        ResultStore.write(out, MnistSchema.SCHEMA, config.json(MAPPER), Provenance.json(MAPPER, args), store -> {
            header(o, config, data, t);
            MnistExperiment[] experiment = {null};
            for (int run = 0; run < runs; run++) {
                long seed = firstSeed + run;
                if (done(store, run, config)) {
                    o.printf(Locale.ROOT, "run %d seed %d: already in %s%n", run, seed, out);
                    continue;
                }
                if (experiment[0] == null) {
                    experiment[0] = new MnistExperiment(config, data, Gemm.threads(t));
                }
                long t0 = System.nanoTime();
                List<ArmResult> results = experiment[0].run(seed);
                for (ArmResult r : results) {
                    if (!store.contains(key(run, r.arm()))) {
                        store.append(record(run, seed, r));
                    }
                }
                o.printf(Locale.ROOT, "run %d seed %d: %s | cos(Δ_S, Δ_T) first step %s | cumulative %s (%.1f s)%n", run,
                        seed, results.stream().map(r -> r.arm().key() + " " + f3(r.accuracy()))
                                .collect(Collectors.joining(", ")),
                        results.stream().filter(r -> r.arm().student()).map(r -> f3(r.firstStepCosine()))
                                .collect(Collectors.joining("/")),
                        results.stream().filter(r -> r.arm().student()).map(r -> f3(r.updateCosine()))
                                .collect(Collectors.joining("/")),
                        (System.nanoTime() - t0) / 1e9);
                o.flush();
            }
        });
        summary(o);
        o.printf(Locale.ROOT, "%s in %.1f s on %s; records in %s%n", Plural.of(runs, "run"),
                (System.nanoTime() - start) / 1e9, Plural.of(t, "thread"), out);
        o.flush();
        return 0;
    }

    private void header(PrintWriter o, MnistConfig c, MnistData data, int t) {
        int[] s = c.sizes();
        int perEpoch = (data.train().count() + c.batch() - 1) / c.batch();
        o.printf(Locale.ROOT, "MNIST auxiliary logits (Cloud et al. 2025, Fig. 10): MLP %d-%d-%d-%d ReLU (m = %d), %s lr %s, "
                + "weight decay %s, batch %d, %d noise images (%s), %s%n", s[0], s[1], s[2], s[3], c.aux(),
                Names.of(c.optimizer()), c.lr(), c.weightDecay(), c.batch(), c.noiseImages(), Names.of(c.noise()),
                c.get(MnistConfig.LOSS) == dev.subliminal.experiments.mnist.Imitation.CE
                        ? "temperature " + MnistConfig.TEMPERATURE.format(c.get(MnistConfig.TEMPERATURE))
                        : "squared error on the logits");
        o.printf(Locale.ROOT, "data: %s, %d training / %d test digits; %d optimizer steps per phase = %d epochs × ⌈%d/%d⌉ "
                + "batches as in the paper; the teacher cycles its %d digits for %s %d steps (%.1f epochs of %d batches)%n",
                data.source(), data.train().count(), data.test().count(), c.steps(), c.epochs(), c.noiseImages(), c.batch(),
                data.train().count(), c.teacherSteps() == c.steps() ? "the same" : "its own", c.teacherSteps(),
                (double) c.teacherSteps() / perEpoch, perEpoch);
        o.printf(Locale.ROOT, "%s, seeds %d..%d, %s%s; cosines listed as student-aux/student-all/cross-aux/cross-all%n",
                Plural.of(c.runs(), "run"), c.firstSeed(), c.firstSeed() + c.runs() - 1, Plural.of(t, "thread"),
                c.perturbation() > 0 ? ", same-init students perturbed by σ = " + c.perturbation() : "");
        if (c.aux() == 1) {
            o.println("note: with m = 1 the softmax over the one auxiliary logit is constant, so the aux-only students' "
                    + "loss has zero gradient: they stay at their init (cosines n/a)");
        }
        o.flush();
    }

    private static boolean done(ResultStore store, int run, MnistConfig config) {
        for (Arm a : Arm.values()) {
            if ((!a.student() || config.get(MnistConfig.STUDENTS).includes(a)) && !store.contains(key(run, a))) {
                return false;
            }
        }
        return true;
    }

    private static String key(int run, Arm arm) {
        return MnistSchema.key(run, arm);
    }

    private static ObjectNode record(int run, long seed, ArmResult r) {
        ObjectNode o = MAPPER.createObjectNode();
        Schema.KEY.put(o, key(run, r.arm()));
        MnistSchema.RUN.put(o, run);
        MnistSchema.SEED.put(o, seed);
        MnistSchema.ARM.put(o, r.arm().key());
        MnistSchema.ACCURACY.put(o, r.accuracy());
        if (r.arm().student()) {
            MnistSchema.FIRST_STEP_DOT.put(o, r.firstStepDot());
            MnistSchema.FIRST_STEP_COSINE.put(o, r.firstStepCosine());
            MnistSchema.UPDATE_COSINE.put(o, r.updateCosine());
        }
        return o;
    }

    /** Adds the experiment's settings as options. */
    static final class Options implements CommandLine.IModelTransformer {
        @Override
        public CommandLine.Model.CommandSpec transform(CommandLine.Model.CommandSpec spec) {
            SettingOptions.add(spec, MnistConfig.SETTINGS);
            return spec;
        }
    }

    /** Reads the runs back from the results file ({@link MnistSummary}, which the report reads too) and prints one row per arm. */
    private void summary(PrintWriter o) {
        MnistSummary s = MnistSummary.of(out);
        MnistReference ref = s.reference();
        TextTable table = new TextTable("arm", "test accuracy, mean\n[95% t-interval]", "paper\n(Fig. 10)",
                "PyTorch,\nbundled", "mean\nΔ_S·Δ_T", "mean cos\nfirst step", "mean cos\ncumulative").optional(4);
        for (Arm a : Arm.values()) {
            MnistSummary.ArmStatistics v = s.arm(a);
            table.add(a.key(), interval(v.accuracy()), ref.paperText(a), ref.pytorchText(a),
                    !a.student() ? "" : Double.isNaN(v.firstStepDot().mean()) ? "n/a"
                            : String.format(Locale.ROOT, "%.3g", v.firstStepDot().mean()),
                    a.student() ? f3(v.firstStepCosine().mean()) : "", a.student() ? f3(v.updateCosine().mean()) : "");
        }
        TextTable.Rendered r = table.render(tables.width());
        o.print(r.text());
        o.print(r.note("--wide prints it"));
        o.print(TextTable.wrap("t-intervals within [0, 1]; paper: means over 100 runs on the full MNIST, PyTorch: 10 "
                + "runs on the bundled digits, each only where it exists for these settings (" + ref.settings()
                + "; docs/mnist-reference.md)", TextTable.TERMINAL));
    }

    /** The mean and its two-sided 95% Student-t interval ({@link MeanInterval}). */
    private static String interval(MeanInterval m) {
        if (m.count() < 2) {
            return m.count() == 0 ? "n/a" : f3(m.mean()) + " (1 run: no interval)";
        }
        return String.format(Locale.ROOT, "%.3f [%.3f, %.3f]", m.mean(), m.lower(), m.upper());
    }

    private static String f3(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.3f", v);
    }
}
