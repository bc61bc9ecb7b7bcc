package dev.subliminal.simulation.battery;

import dev.subliminal.linear.LinearFamily;
import dev.subliminal.simulation.check.CheckConfig;
import dev.subliminal.simulation.check.StudentInit;
import dev.subliminal.simulation.mlp.Activation;
import dev.subliminal.simulation.mlp.MlpFamily;
import dev.subliminal.simulation.sweep.Regime;
import dev.subliminal.simulation.sweep.SweepCell;
import dev.subliminal.simulation.sweep.SweepGrid;
import java.util.List;

/**
 * The demo's battery: labelled configurations in the theorem's regime (one SGD step each), run as a
 * sweep over the same seeds s = first, ..., first+count−1 for every row, so rows are paired.
 */
public final class Battery {

    private Battery() {
    }

    /**
     * Linear vs MLP; same, perturbed and independent init; and a student of another architecture.
     * Models 4-8-3 (linear 4-3), N(0, 1/fan_in), softmax cross-entropy on all logits, a
     * cross-entropy trait on 16 labelled Gaussian inputs, 64 Gaussian student inputs, ε = 1e-4,
     * α = 0.1.
     */
    public static List<BatteryRow> standard() {
        CheckConfig mlp = CheckConfig.defaults();
        CheckConfig linear = mlp.withTeacher(new LinearFamily.Linear(4, 3));
        MlpFamily.Perceptron relu = new MlpFamily.Perceptron(new int[] {4, 8, 3}, Activation.RELU);
        CheckConfig independent = mlp.with(CheckConfig.INIT, StudentInit.INDEPENDENT);
        return List.of(
                new BatteryRow("linear, same init", linear),
                new BatteryRow("linear, independent init", linear.with(CheckConfig.INIT, StudentInit.INDEPENDENT)),
                new BatteryRow("mlp tanh, same init", mlp),
                new BatteryRow("mlp tanh, perturbed init (σ=0.1)", mlp.with(CheckConfig.INIT, StudentInit.PERTURBED)
                        .with(CheckConfig.PERTURBATION, 0.1)),
                new BatteryRow("mlp tanh, independent init", independent),
                new BatteryRow("mlp relu, same init", mlp.withTeacher(relu)),
                new BatteryRow("mlp relu, independent init", independent.withTeacher(relu)),
                new BatteryRow("other architecture 4-16-16-3",
                        independent.withStudent(new MlpFamily.Perceptron(new int[] {4, 16, 16, 3}, Activation.TANH))));
    }

    /** The sweep of the rows, cell i being row i, over {@code count} seeds from {@code first}. */
    public static SweepGrid grid(List<BatteryRow> rows, long first, int count) {
        return SweepGrid.ofCells(rows.stream().map(r -> new SweepCell(r.config(), Regime.theorem())).toList(),
                rows.stream().map(BatteryRow::label).toList(), first, count);
    }
}
