package dev.subliminal.experiments.cli;

import dev.subliminal.results.leakage.LeakageSchema;
import dev.subliminal.results.leakage.LeakageSummary;
import dev.subliminal.results.mnist.MnistSweepSchema;
import dev.subliminal.results.mnist.MnistSweepSummary;
import dev.subliminal.results.store.ResultsReader;
import dev.subliminal.results.sweep.SweepSchema;
import dev.subliminal.results.sweep.SweepSummary;
import dev.subliminal.results.sweep.TrajectoryTable;
import dev.subliminal.simulation.sweep.Regime;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code subliminal summarize FILE}: the statistics table of a sweep results file; with {@code --steps}
 * or {@code --times}, a check sweep's trajectories at those points ({@link TrajectoryTable}).
 */
@Command(name = "summarize", mixinStandardHelpOptions = true,
        description = "Print the statistics per cell of a sweep results file (a check sweep's, an MNIST sweep's or a leakage sweep's; "
            + "complete or not), as sweep does; with --steps or --times, a check sweep's trajectories at those points.",
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:done", "2:bad input or usage (one line names the problem; --verbose adds the stack trace)"},
        footerHeading = "%nExample:%n",
        footer = {"  ./subliminal summarize epsilon.jsonl --wide",
            "  ./subliminal summarize trajectory.jsonl --steps 5 50",
            "  ./subliminal summarize flow.jsonl --times 1 --against flow --wide"})
final class SummarizeCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "FILE", description = "A sweep results file (subliminal.sweep/1 or "
            + "subliminal.mnist-sweep/1 or subliminal.leakage-sweep/1).")
    Path file;

    @CommandLine.Mixin
    TableOptions tables;

    @Option(names = "--steps", arity = "1..*", paramLabel = "K", description = "Instead of the statistics, a check "
            + "sweep's trajectories at these recorded steps: per cell the mean over seeds of cos(U_t, Δ_T), γ_t, S_t, "
            + "N_t, U_t·Δ_T and L_T(θ_t) with Student-t 95% intervals (the grid needs recordEvery > 0).")
    List<Integer> steps = new ArrayList<>();

    @Option(names = "--times", arity = "1..*", paramLabel = "T", description = "Likewise at times t = k·α: each cell "
            + "read at step t/α (a recorded step), S_t, N_t and U_t·Δ_T scaled by α to time units.")
    List<Double> times = new ArrayList<>();

    @Option(names = "--against", paramLabel = "OPTIMIZER", description = "With --steps or --times: add the mean "
            + "over seeds of the paired gap |x − x_OPTIMIZER| (cosine, U_t·Δ_T, L_T) to the cell of the same settings "
            + "whose optimizer is OPTIMIZER (e.g. flow), at the same point.")
    String against;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        String schema = ResultsReader.header(file, null).schema();
        if (!steps.isEmpty() || !times.isEmpty()) {
            if (!SweepSchema.SCHEMA.matches(schema)) {
                throw new IllegalArgumentException("--steps and --times read the trajectories of a check sweep ("
                        + SweepSchema.NAME + "); " + file + " is " + schema);
            }
            List<TrajectoryTable.Point> points = new ArrayList<>();
            steps.forEach(k -> points.add(TrajectoryTable.Point.step(k)));
            times.forEach(t -> points.add(TrajectoryTable.Point.time(t)));
            TrajectoryTable t = TrajectoryTable.of(file, points, against == null ? null : Regime.OPTIMIZER.key(),
                    against);
            spec.commandLine().getOut().print(TrajectoryTables.render(t, tables.width()));
            spec.commandLine().getOut().flush();
            return 0;
        }
        if (against != null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--against needs --steps or --times");
        }
        if (LeakageSchema.SCHEMA.matches(schema)) {
            spec.commandLine().getOut().print(LeakageTables.render(LeakageSummary.of(file), tables.width()));
        } else if (MnistSweepSchema.SCHEMA.matches(schema)) {
            spec.commandLine().getOut().print(MnistSweepTables.render(MnistSweepSummary.of(file), tables.width()));
        } else {
            spec.commandLine().getOut().print(SweepTables.render(SweepSummary.of(file), tables.width()));
        }
        spec.commandLine().getOut().flush();
        return 0;
    }
}
