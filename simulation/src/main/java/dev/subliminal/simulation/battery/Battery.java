package dev.subliminal.simulation.battery;

import dev.subliminal.simulation.check.Architecture;
import dev.subliminal.simulation.check.CheckCase;
import dev.subliminal.simulation.check.CheckConfig;
import dev.subliminal.simulation.check.StudentInit;
import dev.subliminal.simulation.mlp.Activation;
import dev.subliminal.simulation.stats.Medians;
import dev.subliminal.simulation.stats.Proportion;
import dev.subliminal.theory.check.CheckResult;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.stream.IntStream;

/**
 * Runs rows of configurations over seeds s = first, first+1, ..., first+count−1 (the same seeds for
 * every row, so rows are paired) and summarizes each row. Each seed's result is stored at its own
 * index, so the summary is identical for any thread count.
 */
public final class Battery {

    private Battery() {
    }

    /**
     * The demo's battery: linear vs MLP; same, perturbed and independent init; and a student of
     * another architecture. Models 4-8-3 (linear 4-3), N(0, 1/fan_in), softmax cross-entropy on all
     * logits, a cross-entropy trait on 16 labelled Gaussian inputs, 64 Gaussian student inputs,
     * ε = 1e-4, α = 0.1.
     */
    public static List<BatteryRow> standard() {
        CheckConfig mlp = CheckConfig.defaults();
        CheckConfig linear = mlp.withTeacher(Architecture.linear(4, 3));
        Architecture relu = Architecture.mlp(Activation.RELU, 4, 8, 3);
        return List.of(
                new BatteryRow("linear, same init", linear),
                new BatteryRow("linear, independent init", linear.withStudentInit(StudentInit.INDEPENDENT, 0)),
                new BatteryRow("mlp tanh, same init", mlp),
                new BatteryRow("mlp tanh, perturbed init (σ=0.1)", mlp.withStudentInit(StudentInit.PERTURBED, 0.1)),
                new BatteryRow("mlp tanh, independent init", mlp.withStudentInit(StudentInit.INDEPENDENT, 0)),
                new BatteryRow("mlp relu, same init", mlp.withTeacher(relu)),
                new BatteryRow("mlp relu, independent init",
                        mlp.withTeacher(relu).withStudentInit(StudentInit.INDEPENDENT, 0)),
                new BatteryRow("other architecture (student 4-16-16-3)",
                        mlp.withStudentInit(StudentInit.INDEPENDENT, 0)
                                .withStudent(Architecture.mlp(Activation.TANH, 4, 16, 16, 3))));
    }

    /** Runs every row over {@code count} seeds on {@code threads} threads. */
    public static List<RowSummary> run(List<BatteryRow> rows, long first, int count, int threads) {
        if (count < 1) {
            throw new IllegalArgumentException("seeds = " + count + " must be ≥ 1");
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads = " + threads + " must be ≥ 1");
        }
        List<RowSummary> out = new ArrayList<>();
        ForkJoinPool pool = new ForkJoinPool(threads);
        try {
            for (BatteryRow row : rows) {
                CheckResult[] results = new CheckResult[count];
                pool.submit(() -> IntStream.range(0, count).parallel()
                        .forEach(i -> results[i] = new CheckCase(row.config(), first + i).run())).get();
                out.add(summarize(row, results));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("battery interrupted", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } finally {
            pool.shutdown();
        }
        return out;
    }

    /** The summary of one row's results, in seed order. */
    public static RowSummary summarize(BatteryRow row, CheckResult[] results) {
        int n = results.length;
        boolean comparable = !row.config().otherArchitecture();
        int dot = 0;
        int trait = 0;
        int drops = 0;
        double[] cos = new double[n];
        double[] rel = new double[n];
        for (int i = 0; i < n; i++) {
            CheckResult r = results[i];
            dot += r.dot() > 0 ? 1 : 0;
            trait += r.traitPart() > 0 ? 1 : 0;
            drops += r.traitDropsBelowControl() ? 1 : 0;
            cos[i] = r.cosine();
            rel[i] = r.relativeError();
        }
        int trials = comparable ? n : 0;
        return new RowSummary(row, n, new Proportion(comparable ? dot : 0, trials),
                new Proportion(comparable ? trait : 0, trials), Medians.of(cos), Medians.of(rel),
                new Proportion(drops, n));
    }
}
