package dev.subliminal.simulation.mlp;

import dev.subliminal.linear.DoubleDense;
import dev.subliminal.theory.linalg.Gemm;
import java.util.Arrays;

/**
 * The batched passes of an {@link Mlp} in double precision over caller-owned buffers, one example
 * per row: z_l = a_{l−1} W_lᵀ + 1 b_lᵀ, a_l = φ(z_l) for the hidden layers, outputs z_{k+1}; the
 * tangent dz_l = a_{l−1} dW_lᵀ + 1 db_lᵀ + da_{l−1} W_lᵀ, da_l = φ′(z_l) ⊙ dz_l; and the reverse pass
 * u_{z_l} = φ′(z_l) ⊙ u_{z_{l+1}} W_{l+1}, ∂L/∂W_l = u_{z_l}ᵀ a_{l−1}, ∂L/∂b_l = Σ_rows u_{z_l}. The
 * float twin {@code FloatMlpNetwork}, which the MNIST experiment trains, is generated from this source
 * (docs/precision-twins.md), so both precisions run the same arithmetic in the same order; every
 * reduction has a fixed order and results do not depend on the thread count of {@code gemm}.
 */
public final class DoubleMlpNetwork implements DoubleNetwork<DoubleMlpNetwork.Workspace> {

    /** Fewest activations worth handing to another thread. */
    private static final int ELEMENTS_PER_THREAD = 1 << 14;

    private final int[] sizes;
    private final Activation activation;
    private final Gemm gemm;
    private final int[] offsets;
    private final int parameters;

    /** The network of {@link Mlp}'s layout with these sizes, activation and product context. */
    public DoubleMlpNetwork(int[] sizes, Activation activation, Gemm gemm) {
        this.sizes = Mlp.checkedSizes(sizes);
        if (activation == null || gemm == null) {
            throw new IllegalArgumentException("an activation and a product context must be given");
        }
        this.activation = activation;
        this.gemm = gemm;
        this.offsets = new int[sizes.length - 1];
        int p = 0;
        for (int l = 0; l < offsets.length; l++) {
            offsets[l] = p;
            p = Math.addExact(p, Math.multiplyExact(sizes[l + 1], sizes[l] + 1));
        }
        this.parameters = p;
    }

    /** p. */
    public int parameterCount() {
        return parameters;
    }

    /** n, the number of outputs. */
    public int outputs() {
        return sizes[sizes.length - 1];
    }

    @Override
    public int hiddenLayers() {
        return sizes.length - 2;
    }

    @Override
    public int units(int i) {
        return sizes[i + 1];
    }

    private int layers() {
        return sizes.length - 1;
    }

    /** Buffers for batches of at most {@code maxRows} examples. */
    public Workspace workspace(int maxRows) {
        return new Workspace(maxRows);
    }

    /** The buffers of one batch, layer by layer; a workspace belongs to one thread at a time. */
    public final class Workspace implements DoubleNetwork.Workspace {
        private final int maxRows;
        private final double[][] z;
        private final double[][] a;
        private final double[][] slope;
        private final double[][] scratch;

        private Workspace(int maxRows) {
            if (maxRows < 1) {
                throw new IllegalArgumentException("a workspace needs at least one row, got " + maxRows);
            }
            this.maxRows = maxRows;
            z = new double[layers()][];
            a = new double[layers() - 1][];
            slope = new double[layers() - 1][];
            scratch = new double[layers()][];
            for (int l = 0; l < layers(); l++) {
                z[l] = new double[size(l)];
                if (l < layers() - 1) {
                    a[l] = new double[size(l)];
                }
            }
        }

        private int size(int l) {
            return Math.multiplyExact(maxRows, sizes[l + 1]);
        }

        /** φ′(z_l), allocated by the first forward pass that keeps slopes (a forward-only pass needs none). */
        private double[] slope(int l) {
            if (slope[l] == null) {
                slope[l] = new double[size(l)];
            }
            return slope[l];
        }

        /** Layer l's buffer of the backward and tangent passes, allocated on first use. */
        private double[] scratch(int l) {
            if (scratch[l] == null) {
                scratch[l] = new double[size(l)];
            }
            return scratch[l];
        }

        /** The outputs of the last forward pass, rows × n (later rows are stale). */
        public double[] outputs() {
            return z[layers() - 1];
        }

        /** Where the caller writes ∂L/∂outputs (rows × n) before {@link #backward}; changed by it. */
        public double[] outputGradient() {
            return scratch(layers() - 1);
        }

        /** The pre-activations of hidden layer l (0-based) of the last forward pass. */
        public double[] preActivations(int l) {
            return z[l];
        }

        private void require(int rows) {
            if (rows < 1 || rows > maxRows) {
                throw new IllegalArgumentException(rows + " rows for a workspace of at most " + maxRows);
            }
        }
    }

    /**
     * The forward pass over the first {@code rows} rows of {@code x} (rows × d), into the workspace;
     * with {@code slopes} it also keeps φ′(z_l), which {@link #backward} and {@link #tangent} need.
     */
    public void forward(double[] theta, double[] x, int rows, Workspace ws, boolean slopes) {
        requireShapes(theta, x, rows, ws);
        for (int l = 0; l < layers(); l++) {
            DoubleDense.forward(gemm, theta, offsets[l], sizes[l], sizes[l + 1], input(l, x, ws), rows, ws.z[l]);
            if (l < layers() - 1) {
                double[] zl = ws.z[l];
                double[] al = ws.a[l];
                double[] sl = slopes ? ws.slope(l) : null;
                gemm.ranges(rows * sizes[l + 1], ELEMENTS_PER_THREAD, (from, to) -> {
                    activation.values(zl, al, from, to);
                    for (int i = from; sl != null && i < to; i++) {
                        sl[i] = (double) activation.derivative(zl[i], al[i]);
                    }
                });
            }
        }
    }

    /**
     * ∂L/∂θ = Σ_rows J_xᵀ u_x into {@code gradient} (overwritten), from u = {@link Workspace#outputGradient()},
     * after a forward pass with slopes of the same θ, x and rows.
     */
    public void backward(double[] theta, double[] x, int rows, Workspace ws, double[] gradient) {
        requireShapes(theta, x, rows, ws);
        if (gradient.length != parameters) {
            throw new IllegalArgumentException("the gradient has " + gradient.length + " entries, expected " + parameters);
        }
        Arrays.fill(gradient, 0);
        double[] uz = ws.scratch(layers() - 1);
        for (int l = layers() - 1; l >= 0; l--) {
            double[] ua = l == 0 ? null : ws.scratch(l - 1);
            DoubleDense.backward(gemm, theta, offsets[l], sizes[l], sizes[l + 1], input(l, x, ws), uz, rows, gradient,
                    ua);
            if (l > 0) {
                double[] s = ws.slope(l - 1);
                for (int i = 0; i < rows * sizes[l]; i++) {
                    ua[i] *= s[i];
                }
                uz = ua;
            }
        }
    }

    /**
     * J_x v for the first {@code rows} rows into {@code out} (rows × n), after a forward pass with
     * slopes of the same θ, x and rows.
     */
    public void tangent(double[] theta, double[] v, double[] x, int rows, Workspace ws, double[] out) {
        requireShapes(theta, x, rows, ws);
        double[] da = null;
        for (int l = 0; l < layers(); l++) {
            double[] dz = l == layers() - 1 ? out : ws.scratch(l);
            DoubleDense.tangent(gemm, theta, v, offsets[l], sizes[l], sizes[l + 1], input(l, x, ws), da, rows, dz);
            if (l < layers() - 1) {
                double[] s = ws.slope(l);
                for (int i = 0; i < rows * sizes[l + 1]; i++) {
                    dz[i] *= s[i];
                }
                da = dz;
            }
        }
    }

    private double[] input(int l, double[] x, Workspace ws) {
        return l == 0 ? x : ws.a[l - 1];
    }

    private void requireShapes(double[] theta, double[] x, int rows, Workspace ws) {
        if (theta.length != parameters) {
            throw new IllegalArgumentException("θ has " + theta.length + " entries, expected " + parameters);
        }
        ws.require(rows);
        if (x.length < rows * sizes[0]) {
            throw new IllegalArgumentException("the inputs hold " + x.length / sizes[0] + " rows of " + sizes[0]
                    + ", need " + rows);
        }
    }
}
