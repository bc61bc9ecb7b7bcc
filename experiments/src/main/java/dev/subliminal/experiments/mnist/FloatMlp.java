package dev.subliminal.experiments.mnist;

import dev.subliminal.simulation.mlp.Activation;
import dev.subliminal.simulation.mlp.Mlp;
import dev.subliminal.theory.linalg.Gemm;
import dev.subliminal.theory.param.Initialization;
import java.util.Arrays;
import org.apache.commons.rng.UniformRandomProvider;

/**
 * A ReLU MLP with sizes (d, h_1, ..., h_k, n) trained on float32 mini-batches with
 * {@link Gemm#sgemm}. θ is one float array in the layout of {@link Mlp} (PyTorch's
 * {@code nn.Sequential}: {@code 0.weight} [h_1, d], {@code 0.bias}, {@code 2.weight}, ...), which is
 * the double-precision, one-example-at-a-time twin the tests compare it with.
 *
 * <p>Rows are examples. Forward: Z_l = A_{l−1}·W_lᵀ + 1·b_lᵀ, A_l = max(Z_l, 0), A_0 = X, logits
 * Z_{k+1}. Backward from U_{k+1} = ∂L/∂Z_{k+1}: ∂L/∂W_l = U_lᵀ·A_{l−1}, ∂L/∂b_l = Σ_rows U_l
 * (summed in row order), U_{l−1} = (U_l·W_l) ⊙ 1[Z_{l−1} > 0] (ReLU′(0) = 0, PyTorch's convention).
 * The input gradient U_0 is never formed. Every reduction has a fixed order, so results do not
 * depend on the number of threads.
 */
public final class FloatMlp {

    private final int[] sizes;
    private final int[] weightOffset;
    private final int[] biasOffset;
    private final int size;
    private final Gemm gemm;

    /** A network with sizes (d, h_1, ..., n), at least two entries, each ≥ 1, its products on all processors. */
    public FloatMlp(int... sizes) {
        this(Gemm.defaults(), sizes);
    }

    /** A network with sizes (d, h_1, ..., n) whose products run on {@code gemm} (results do not depend on it). */
    public FloatMlp(Gemm gemm, int... sizes) {
        this.gemm = gemm;
        Mlp twin = new Mlp(sizes, Activation.RELU);
        this.sizes = twin.sizes();
        int layers = this.sizes.length - 1;
        weightOffset = new int[layers];
        biasOffset = new int[layers];
        for (int l = 0; l < layers; l++) {
            weightOffset[l] = twin.layout().tensor((2 * l) + ".weight").offset();
            biasOffset[l] = twin.layout().tensor((2 * l) + ".bias").offset();
        }
        size = twin.parameterCount();
    }

    /** (d, h_1, ..., n). */
    public int[] sizes() {
        return sizes.clone();
    }

    /** p, the number of parameters. */
    public int parameterCount() {
        return size;
    }

    /** The number of outputs n. */
    public int outputs() {
        return sizes[sizes.length - 1];
    }

    /** The double-precision twin with the same layout. */
    public Mlp twin() {
        return new Mlp(sizes, Activation.RELU);
    }

    /** A fresh θ: weights N(0, 1/fan_in), biases 0 ({@link Initialization#NORMAL_FAN_IN}), rounded to float. */
    public float[] initialize(UniformRandomProvider rng) {
        double[] theta = Initialization.NORMAL_FAN_IN.initialize(twin().layout(), rng);
        float[] f = new float[theta.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) theta[i];
        }
        return f;
    }

    /** Buffers for batches of at most {@code maxRows} examples. */
    public Workspace workspace(int maxRows) {
        return new Workspace(maxRows);
    }

    /** Caller-owned buffers of one batch: activations and their gradients, layer by layer. */
    public final class Workspace {
        private final int maxRows;
        /** act[l] = A_l for hidden layers, act[last] = logits; act[0] is unused (the input). */
        private final float[][] act;
        private final float[][] grad;

        private Workspace(int maxRows) {
            if (maxRows < 1) {
                throw new IllegalArgumentException("a workspace needs at least one row, got " + maxRows);
            }
            this.maxRows = maxRows;
            act = new float[sizes.length][];
            grad = new float[sizes.length][];
            for (int l = 1; l < sizes.length; l++) {
                act[l] = new float[maxRows * sizes[l]];
                grad[l] = new float[maxRows * sizes[l]];
            }
        }

        /** The logits of the last forward pass, row-major (rows × n; later rows are stale). */
        public float[] logits() {
            return act[sizes.length - 1];
        }

        /** Where the loss writes ∂L/∂logits (rows × n) before {@link #backward}. */
        public float[] logitGradient() {
            return grad[sizes.length - 1];
        }
    }

    /**
     * Computes the logits of the first {@code rows} examples of {@code x} (rows × d, row-major)
     * into {@link Workspace#logits()}.
     */
    public void forward(float[] theta, float[] x, int rows, Workspace ws) {
        requireShapes(theta, x, rows, ws);
        int layers = sizes.length - 1;
        for (int l = 0; l < layers; l++) {
            int in = sizes[l];
            int out = sizes[l + 1];
            float[] a = l == 0 ? x : ws.act[l];
            float[] z = ws.act[l + 1];
            gemm.sgemm(false, true, rows, out, in, 1f, a, 0, in, theta, weightOffset[l], in, 0f, z, 0, out);
            boolean hidden = l + 1 < layers;
            int b = biasOffset[l];
            for (int r = 0; r < rows; r++) {
                int o = r * out;
                for (int j = 0; j < out; j++) {
                    float v = z[o + j] + theta[b + j];
                    z[o + j] = hidden && !(v > 0f) ? 0f : v;
                }
            }
        }
    }

    /**
     * Writes ∂L/∂θ into {@code gradient} from ∂L/∂logits in {@link Workspace#logitGradient()},
     * after {@link #forward} of the same θ, x and rows. {@link Workspace#logitGradient()} is used as
     * scratch and left changed.
     */
    public void backward(float[] theta, float[] x, int rows, Workspace ws, float[] gradient) {
        requireShapes(theta, x, rows, ws);
        if (gradient.length != size) {
            throw new IllegalArgumentException("gradient has " + gradient.length + " entries, expected " + size);
        }
        for (int l = sizes.length - 2; l >= 0; l--) {
            int in = sizes[l];
            int out = sizes[l + 1];
            float[] u = ws.grad[l + 1];
            float[] a = l == 0 ? x : ws.act[l];
            gemm.sgemm(true, false, out, in, rows, 1f, u, 0, out, a, 0, in, 0f, gradient, weightOffset[l], in);
            int b = biasOffset[l];
            Arrays.fill(gradient, b, b + out, 0f);
            for (int r = 0; r < rows; r++) {
                int o = r * out;
                for (int j = 0; j < out; j++) {
                    gradient[b + j] += u[o + j];
                }
            }
            if (l > 0) {
                float[] below = ws.grad[l];
                gemm.sgemm(false, false, rows, in, out, 1f, u, 0, out, theta, weightOffset[l], in, 0f, below, 0, in);
                for (int i = 0; i < rows * in; i++) {
                    if (!(a[i] > 0f)) {
                        below[i] = 0f;
                    }
                }
            }
        }
    }

    private void requireShapes(float[] theta, float[] x, int rows, Workspace ws) {
        if (theta.length != size) {
            throw new IllegalArgumentException("θ has " + theta.length + " entries, expected " + size);
        }
        if (rows < 1 || rows > ws.maxRows) {
            throw new IllegalArgumentException(rows + " rows for a workspace of at most " + ws.maxRows);
        }
        if (x.length < rows * sizes[0]) {
            throw new IllegalArgumentException("input holds " + x.length / sizes[0] + " rows of " + sizes[0]
                    + ", need " + rows);
        }
    }
}
