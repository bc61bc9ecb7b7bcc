package dev.subliminal.simulation.optim;

import dev.subliminal.simulation.sweep.Regime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** SGD and Adam against PyTorch 1.13 (float64) and hand-computed steps. */
class OptimizerTest {

    private static final double[] THETA = {0.5, -1.0, 2.0, 0.0};
    private static final double[][] GRADIENTS = {{0.3, -0.2, 1e-3, 0.0}, {-0.1, -0.4, 2.0, 0.5}, {0.7, 0.1, -0.5, -0.25}};

    private static void assertTrajectory(Optimizer o, double[][] expected, double tolerance) {
        double[] theta = THETA;
        for (int t = 0; t < GRADIENTS.length; t++) {
            theta = o.step(theta, GRADIENTS[t]);
            for (int i = 0; i < theta.length; i++) {
                assertThat(theta[i]).as("θ_%d[%d]", t + 1, i).isCloseTo(expected[t][i], within(tolerance));
            }
        }
    }

    @Test
    void sgdWithWeightDecayMatchesPyTorch() {
        // torch.optim.SGD([θ], lr=0.1, weight_decay=0.01), float64, on the same gradients
        double[][] torch = {{0.4695, -0.979, 1.9979, 0.0}, {0.47903049999999997, -0.938021, 1.7959021, -0.05},
            {0.4085514695, -0.947082979, 1.8441061979, -0.02495}};
        assertTrajectory(new Sgd(0.1, 0.01), torch, 1e-15);
    }

    @Test
    void adamWithBiasCorrectionAndWeightDecayMatchesPyTorch() {
        // torch.optim.Adam([θ], lr=0.1, weight_decay=0.01) (betas 0.9, 0.999, eps 1e-8), float64
        double[][] torch = {{0.4000000032786884, -0.9000000047619046, 1.9000000476190249, 0.0},
            {0.35843994798681106, -0.8032020234385514, 1.8248938326114432, -0.07441368025248775},
            {0.2869918649110705, -0.7423696381768339, 1.7832558969580314, -0.09717906782762673}};
        assertTrajectory(OptimizerKind.ADAM.create(0.1, 0.01), torch, 1e-14);
    }

    @Test
    void adamsFirstUpdateIsTheGradientOverItsMagnitude() {
        // by hand: m̂_1 = g, v̂_1 = g², so u_1 = −g/(|g| + δ) whatever β1, β2
        double[] g = {3e-7, -2.5, 0.0, 1e3};
        double[] u = new Adam(0.01, 0, 0.5, 0.75, 1e-8).update(new double[4], g);
        for (int i = 0; i < g.length; i++) {
            assertThat(u[i]).isCloseTo(-g[i] / (Math.abs(g[i]) + 1e-8), within(1e-15));
        }
    }

    @Test
    void sgdsUpdateIsTheNegativeGradientOfLossPlusDecayByFiniteDifferences() {
        // L(θ) = Σ sin(θ_i)·i + (λ/2)‖θ‖²; central differences with h = 1e-6
        double lambda = 0.3;
        double[] theta = {0.2, -0.7, 1.1};
        double[] g = new double[3];
        for (int i = 0; i < 3; i++) {
            g[i] = Math.cos(theta[i]) * (i + 1);
        }
        double[] u = new Sgd(1, lambda).update(theta, g);
        for (int i = 0; i < 3; i++) {
            double h = 1e-6;
            double[] plus = theta.clone();
            double[] minus = theta.clone();
            plus[i] += h;
            minus[i] -= h;
            double fd = (loss(plus, lambda) - loss(minus, lambda)) / (2 * h);
            assertThat(u[i]).isCloseTo(-fd, within(1e-8));
        }
    }

    private static double loss(double[] theta, double lambda) {
        double s = 0;
        for (int i = 0; i < theta.length; i++) {
            s += Math.sin(theta[i]) * (i + 1) + 0.5 * lambda * theta[i] * theta[i];
        }
        return s;
    }

    @Test
    void adamKeepsItsStateAndRejectsBadSettings() {
        Adam a = new Adam(0.1, 0);
        a.update(THETA, GRADIENTS[0]);
        a.update(THETA, GRADIENTS[1]);
        assertThat(a.steps()).isEqualTo(2);
        assertThatThrownBy(() -> a.update(new double[2], new double[2])).hasMessageContaining("started on 4");
        assertThatThrownBy(() -> new Adam(-1, 0)).hasMessageContaining("learning rate = -1.0");
        assertThatThrownBy(() -> new Sgd(0.1, Double.NaN)).hasMessageContaining("weight decay = NaN");
        assertThatThrownBy(() -> new Adam(0.1, 0, 1, 0.9, 1e-8)).hasMessageContaining("β1 = 1.0");
        assertThat(Regime.OPTIMIZER.parse("adam")).isEqualTo(OptimizerKind.ADAM);
        assertThatThrownBy(() -> Regime.OPTIMIZER.parse("rmsprop")).hasMessageContaining("--optimizer: unknown value 'rmsprop'");
    }
}
