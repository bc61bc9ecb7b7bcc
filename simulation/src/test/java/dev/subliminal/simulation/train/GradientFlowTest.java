package dev.subliminal.simulation.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.subliminal.linear.AffineModel;
import dev.subliminal.simulation.check.CheckCase;
import dev.subliminal.simulation.check.CheckConfig;
import dev.subliminal.simulation.check.StudentInit;
import dev.subliminal.simulation.optim.DoubleOptimizer;
import dev.subliminal.simulation.optim.OptimizerKind;
import dev.subliminal.simulation.optim.OptimizerSpec;
import dev.subliminal.theory.check.CheckSetup;
import dev.subliminal.theory.loss.ImitationLoss;
import dev.subliminal.theory.loss.WeightedSquaredError;
import dev.subliminal.theory.model.Batch;
import dev.subliminal.theory.model.Model;
import dev.subliminal.theory.param.Vectors;
import dev.subliminal.theory.random.Seeds;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.distribution.ZigguratSampler;
import org.hipparchus.linear.Array2DRowRealMatrix;
import org.hipparchus.linear.EigenDecompositionSymmetric;
import org.hipparchus.linear.RealMatrix;
import org.junit.jupiter.api.Test;

/**
 * The gradient flow against closed forms and against SGD with a shrinking step: on an affine model under
 * squared error the outputs follow f(t) − y = exp(−(2/N)·K·t)(f(0) − y) with K the Gram (NTK) matrix
 * K_(x,a),(x′,b) = δ_ab (x·x′ + 1), computed here by Hipparchus' symmetric eigen-decomposition, not by the
 * model; SGD at rate η = T/K approaches the flow at time T with an error that halves with η.
 */
class GradientFlowTest {

    private static final long SEED = 20261203L;

    private static Batch gaussian(UniformRandomProvider rng, int rows, int cols) {
        ZigguratSampler.NormalizedGaussian g = ZigguratSampler.NormalizedGaussian.of(rng);
        double[] d = new double[rows * cols];
        for (int i = 0; i < d.length; i++) {
            d[i] = g.sample();
        }
        return new Batch(rows, cols, d);
    }

    private static GradientFlow.Gradient gradient(Model model, Batch x, ImitationLoss loss, Batch target) {
        return (th, g) -> System.arraycopy(model.vjp(th, x, loss.gradient(model.forward(th, x), target)), 0, g, 0,
                g.length);
    }

    /** exp(−(2/N)·K·t)(f0 − y) + y for every stop time, from the eigen-decomposition K = V diag(λ) Vᵀ. */
    private static double[][] closedForm(Batch x, Batch f0, Batch y, double[] times) {
        int n = f0.cols();
        int rows = x.rows();
        int size = rows * n;
        double[][] k = new double[size][size];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < rows; j++) {
                double dot = 1;
                for (int c = 0; c < x.cols(); c++) {
                    dot += x.get(i, c) * x.get(j, c);
                }
                for (int a = 0; a < n; a++) {
                    k[i * n + a][j * n + a] = dot;
                }
            }
        }
        EigenDecompositionSymmetric eig = new EigenDecompositionSymmetric(new Array2DRowRealMatrix(k));
        RealMatrix v = eig.getV();
        double[] lambda = eig.getEigenvalues();
        double[] r0 = new double[size];
        for (int i = 0; i < size; i++) {
            r0[i] = f0.data()[i] - y.data()[i];
        }
        double[] coefficients = v.transpose().operate(r0);
        double[][] out = new double[times.length][];
        for (int s = 0; s < times.length; s++) {
            double[] scaled = new double[size];
            for (int i = 0; i < size; i++) {
                scaled[i] = coefficients[i] * Math.exp(-2.0 / rows * lambda[i] * times[s]);
            }
            double[] r = v.operate(scaled);
            for (int i = 0; i < size; i++) {
                r[i] += y.data()[i];
            }
            out[s] = r;
        }
        return out;
    }

    private static double maxError(AffineModel affine, double tolerance, double[] times) {
        UniformRandomProvider rng = Seeds.of(SEED);
        int rows = 6;
        Batch inputs = gaussian(rng, rows, affine.inputSize());
        Batch y = gaussian(rng, rows, affine.outputSize());
        double[] theta = gaussian(rng, 1, affine.parameterCount()).data();
        ImitationLoss loss = WeightedSquaredError.unit(affine.outputSize());
        double[][] expected = closedForm(inputs, affine.forward(theta, inputs), y, times);
        double[] max = {0};
        new GradientFlow(new GradientFlow.Tolerances(tolerance, tolerance), 1_000_000)
                .run(theta, times, gradient(affine, inputs, loss, y), null, (i, t, th, integral) -> {
                    double[] f = affine.forward(th, inputs).data();
                    for (int j = 0; j < f.length; j++) {
                        max[0] = Math.max(max[0], Math.abs(f[j] - expected[i][j]));
                    }
                });
        return max[0];
    }

    @Test
    void onAnAffineModelTheFlowIsTheMatrixExponentialOfTheGramMatrix() {
        AffineModel model = new AffineModel(3, 2);
        double[] times = {0.25, 1, 3, 10};
        double loose = maxError(model, 1e-6, times);
        double tight = maxError(model, 1e-12, times);
        System.out.printf("seed %d: max |f(t) − closed form| = %.3g at tolerance 1e-6, %.3g at 1e-12%n", SEED, loose,
                tight);
        // outputs are O(1); the global error of a tolerance-τ run stays within a few hundred τ on this horizon
        assertThat(loose).isLessThan(1e-4);
        assertThat(tight).isLessThan(1e-10);
        assertThat(tight).isLessThan(loose);
    }

    @Test
    void theRunningIntegralIsIntegratedBesideTheFlow() {
        // r(θ) = ‖θ‖² on dθ/dt = −θ (L = ‖θ‖²/2): I(t) = ‖θ0‖² (1 − e^{−2t}) / 2
        double[] theta = {1.5, -0.5, 2};
        double norm2 = Vectors.dot(theta, theta);
        double[] times = {0.5, 2};
        double[] got = new double[2];
        new GradientFlow(new GradientFlow.Tolerances(1e-13, 1e-13), 100_000).run(theta, times,
                (th, g) -> System.arraycopy(th, 0, g, 0, th.length), th -> Vectors.dot(th, th),
                (i, t, th, integral) -> got[i] = integral);
        assertThat(got[0]).isCloseTo(norm2 * (1 - Math.exp(-1)) / 2, org.assertj.core.api.Assertions.within(1e-11));
        assertThat(got[1]).isCloseTo(norm2 * (1 - Math.exp(-4)) / 2, org.assertj.core.api.Assertions.within(1e-11));
        assertThat(theta[2]).isCloseTo(2 * Math.exp(-2), org.assertj.core.api.Assertions.within(1e-12));
    }

    @Test
    void sgdWithAShrinkingStepConvergesToTheFlowLinearlyInTheStep() {
        // an MLP student (4-8-3 tanh) imitating θ0's outputs from an independent init, for time T = 2
        CheckCase c = new CheckCase(CheckConfig.defaults().with(CheckConfig.INIT, StudentInit.INDEPENDENT), 7);
        CheckSetup s = c.setup();
        Model model = s.studentModel();
        Batch x = s.studentInputs();
        Batch target = s.teacherModel().forward(s.theta0(), x);
        GradientFlow.Gradient g = gradient(model, x, s.imitation(), target);
        double horizon = 2;
        double[] flow = s.studentInit().clone();
        new GradientFlow(new GradientFlow.Tolerances(1e-13, 1e-13), 1_000_000).run(flow, new double[] {horizon}, g,
                null, (i, t, th, integral) -> { });
        double moved = Vectors.norm(Vectors.subtract(flow, s.studentInit()));
        assertThat(moved).as("the flow moves θ").isGreaterThan(0.1);
        int[] steps = {16, 32, 64, 128, 256};
        double[] error = new double[steps.length];
        for (int k = 0; k < steps.length; k++) {
            double eta = horizon / steps[k];
            double[] theta = s.studentInit().clone();
            new TrainingLoop<>(DoubleOptimizer.of(OptimizerSpec.of(OptimizerKind.SGD, eta, 0), theta.length),
                    (th, examples, rows, grad) -> g.compute(th, grad), BatchOrder.full(x.rows()))
                    .run(theta, steps[k], new double[theta.length], null, (t, th, grad, u) -> { });
            error[k] = Vectors.norm(Vectors.subtract(theta, flow));
            System.out.printf("η = %.5f: ‖θ_K − θ(T)‖ = %.4g%n", eta, error[k]);
        }
        for (int k = 1; k < steps.length; k++) {
            // Euler's global error is C·η + O(η²): halving η halves it, to within the O(η²) term
            assertThat(error[k - 1] / error[k]).as("error ratio at η = " + horizon / steps[k]).isBetween(1.8, 2.2);
        }
        assertThat(error[steps.length - 1]).isLessThan(0.05 * moved);
    }

    @Test
    void aFlowThatNeedsTooManyEvaluationsFailsWithAMessage() {
        double[] theta = {1};
        // dθ/dt = −1000θ with a relative tolerance of 1e-14: far more than 50 evaluations
        assertThatThrownBy(() -> new GradientFlow(new GradientFlow.Tolerances(1e-14, 1e-14), 50).run(theta,
                new double[] {10}, (th, g) -> g[0] = 1000 * th[0], null, (i, t, th, integral) -> { }))
                .isInstanceOf(ArithmeticException.class).hasMessageContaining("more than 50 gradient evaluations");
        assertThatThrownBy(() -> new GradientFlow(new GradientFlow.Tolerances(1e-8, 1e-8), 50).run(theta,
                new double[] {1, 1}, (th, g) -> g[0] = th[0], null, (i, t, th, integral) -> { }))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must increase");
        assertThatThrownBy(() -> new GradientFlow.Tolerances(0, 1e-8)).hasMessageContaining("absolute tolerance = 0.0");
    }
}
