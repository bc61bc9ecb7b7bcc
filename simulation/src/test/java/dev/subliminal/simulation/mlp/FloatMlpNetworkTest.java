package dev.subliminal.simulation.mlp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.subliminal.theory.linalg.Gemm;
import dev.subliminal.theory.model.Batch;
import dev.subliminal.theory.random.Seeds;
import org.apache.commons.rng.UniformRandomProvider;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The batched float32 network against its double-precision twin {@link Mlp} (one example at a
 * time, plain loops): logits and gradients agree to float accuracy on a grid of shapes, including
 * one-row batches and one-unit layers.
 */
class FloatMlpNetworkTest {

    @ParameterizedTest(name = "sizes {0}, {1} rows")
    @CsvSource({"'3,5,2', 4", "'1,1,1', 1", "'7,1,4', 3", "'6,9,8,5', 1", "'20,16,16,13', 37", "'784,16,8,13', 20"})
    void matchesTheDoublePrecisionTwin(String sizesText, int rows) {
        int[] sizes = java.util.Arrays.stream(sizesText.split(",")).mapToInt(Integer::parseInt).toArray();
        FloatMlpNetwork net = new FloatMlpNetwork(sizes, Activation.RELU, Gemm.defaults());
        Mlp twin = new Mlp(sizes, Activation.RELU);
        UniformRandomProvider rng = Seeds.of(sizes.length * 1000L + rows);
        float[] theta = initialize(twin, rng);
        for (int i = 0; i < theta.length; i++) {
            theta[i] += 0.1f * (rng.nextFloat() - 0.5f);   // non-zero biases too
        }
        float[] x = new float[rows * sizes[0]];
        float[] u = new float[rows * net.outputs()];
        for (int i = 0; i < x.length; i++) {
            x[i] = 2 * rng.nextFloat() - 1;
        }
        for (int i = 0; i < u.length; i++) {
            u[i] = 2 * rng.nextFloat() - 1;
        }
        FloatMlpNetwork.Workspace ws = net.workspace(rows + 2);
        net.forward(theta, x, rows, ws, true);
        System.arraycopy(u, 0, ws.outputGradient(), 0, u.length);
        float[] grad = new float[net.parameterCount()];
        net.backward(theta, x, rows, ws, grad);

        double[] thetaD = toDouble(theta);
        Batch xs = new Batch(rows, sizes[0], toDouble(x));
        Batch z = twin.forward(thetaD, xs);
        double[] g = twin.vjp(thetaD, xs, new Batch(rows, net.outputs(), toDouble(u)));
        for (int i = 0; i < u.length; i++) {
            assertThat((double) ws.outputs()[i]).isCloseTo(z.data()[i], org.assertj.core.data.Offset.offset(tolerance(z.data())));
        }
        for (int i = 0; i < g.length; i++) {
            assertThat((double) grad[i]).as("∂L/∂θ_%d", i).isCloseTo(g[i], org.assertj.core.data.Offset.offset(tolerance(g)));
        }
    }

    @ParameterizedTest(name = "{0} threads")
    @CsvSource({"1", "3"})
    void gradientsDoNotDependOnTheThreadCount(int threads) {
        int[] sizes = {200, 48, 40, 13};
        FloatMlpNetwork net = new FloatMlpNetwork(sizes, Activation.RELU, Gemm.serial());
        float[] theta = initialize(new Mlp(sizes, Activation.RELU), Seeds.of(5));
        float[] x = new float[300 * 200];
        UniformRandomProvider rng = Seeds.of(6);
        for (int i = 0; i < x.length; i++) {
            x[i] = 2 * rng.nextFloat() - 1;
        }
        float[] reference = gradient(net, theta, x);
        assertThat(gradient(new FloatMlpNetwork(sizes, Activation.RELU, Gemm.threads(threads)), theta, x))
                .containsExactly(reference);
    }

    /** θ of the MLP's initialization, rounded to float. */
    private static float[] initialize(Mlp mlp, UniformRandomProvider rng) {
        double[] d = dev.subliminal.theory.param.Initialization.NORMAL_FAN_IN.initialize(mlp.layout(), rng);
        float[] f = new float[d.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }

    private static float[] gradient(FloatMlpNetwork net, float[] theta, float[] x) {
        FloatMlpNetwork.Workspace ws = net.workspace(300);
        net.forward(theta, x, 300, ws, true);
        java.util.Arrays.fill(ws.outputGradient(), 0.01f);
        float[] g = new float[net.parameterCount()];
        net.backward(theta, x, 300, ws, g);
        return g;
    }

    /** Float rounding of sums of up to ~800 terms: 1e-5 of the largest magnitude, at least 1e-6. */
    private static double tolerance(double[] v) {
        double max = 0;
        for (double d : v) {
            max = Math.max(max, Math.abs(d));
        }
        return Math.max(1e-6, 1e-5 * max);
    }

    private static double[] toDouble(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }
}
