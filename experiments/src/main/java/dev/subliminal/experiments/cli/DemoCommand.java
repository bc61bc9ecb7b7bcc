package dev.subliminal.experiments.cli;

import dev.subliminal.reports.table.TextTable;
import dev.subliminal.simulation.battery.Battery;
import dev.subliminal.simulation.battery.RowSummary;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code subliminal demo}: the theorem battery on embedded defaults. */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run the transmission battery on embedded defaults and print one table.",
            "Rows: linear vs MLP; same, perturbed and independent init; a student of another architecture. "
                + "Each row runs the check over the same seeds and reports the rate of Δ_S·Δ_T > 0 and of a "
                + "positive trait-carrying part with Wilson 95%% intervals, the median cosine, the median "
                + "relative first-order error and the rate at which L_T ends below the control's."})
final class DemoCommand implements Callable<Integer> {

    @Option(names = "--seeds", defaultValue = "200", description = "Seeds per row (default: ${DEFAULT-VALUE}).")
    int seeds;

    @Option(names = "--first-seed", defaultValue = "1", description = "First seed; rows use seeds first..first+seeds−1 (default: ${DEFAULT-VALUE}).")
    long firstSeed;

    @Option(names = "--threads", description = "Worker threads (default: all cores). Results do not depend on it.")
    Integer threads;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        if (seeds < 1) {
            throw new IllegalArgumentException("--seeds " + seeds + ": need at least 1 seed");
        }
        int t = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
        if (t < 1) {
            throw new IllegalArgumentException("--threads " + t + ": need at least 1 thread");
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println("Transmission battery: " + seeds + " seeds per row (" + firstSeed + ".." + (firstSeed + seeds - 1)
                + "), models 4-8-3 (linear 4-3), ce imitation on 64 Gaussian inputs, ce trait on 16 labelled inputs, "
                + "ε = 1e-4, α = 0.1");
        out.flush();
        long start = System.nanoTime();
        List<RowSummary> rows = Battery.run(Battery.standard(), firstSeed, seeds, t);
        TextTable table = new TextTable("row", "Δ_S·Δ_T > 0 [95% CI]", "trait part > 0 [95% CI]", "median cos",
                "median rel. err", "L_T below control [95% CI]");
        for (RowSummary r : rows) {
            table.add(r.row().label(), r.positiveDot().format(), r.positiveTraitPart().format(), fmt(r.medianCosine()),
                    fmt(r.medianRelativeError()), r.dropsBelowControl().format());
        }
        out.print(table.render());
        out.printf(Locale.ROOT, "%d checks in %.1f s on %d threads; replay one with: ./subliminal check --init "
                + "independent --seed %d%n", rows.size() * seeds, (System.nanoTime() - start) / 1e9, t, firstSeed);
        out.flush();
        return 0;
    }

    private static String fmt(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.3g", v);
    }
}
