package dev.subliminal.simulation.mlp;

import dev.subliminal.linear.Dense;
import dev.subliminal.spec.Names;
import dev.subliminal.theory.linalg.Gemm;
import dev.subliminal.theory.model.Batch;
import dev.subliminal.theory.model.Model;
import dev.subliminal.theory.param.ParameterLayout;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * A multilayer perceptron with sizes (d, h_1, ..., h_k, n): z_l = W_l a_{l−1} + b_l,
 * a_l = φ(z_l) for hidden layers and f_θ(x) = z_{k+1} (linear output). The layout is PyTorch's
 * {@code nn.Sequential(Linear, φ, Linear, φ, ..., Linear)}: tensors {@code 0.weight}, {@code 0.bias},
 * {@code 2.weight}, ... with weights [out, in].
 *
 * <p>JVP (forward mode): dz_l = dW_l a_{l−1} + W_l da_{l−1} + db_l, da_l = φ′(z_l) ⊙ dz_l.
 * VJP (reverse mode): u_{z_l} = φ′(z_l) ⊙ W_{l+1}ᵀ u_{z_{l+1}}, grad W_l += u_{z_l} a_{l−1}ᵀ.
 *
 * <p>Batched passes run on {@code gemm}, the matrix kernels' context (thread count): it changes the
 * speed, never a result, and is not part of the model's identity (equals, hashCode, toString).
 *
 * @param sizes (d, h_1, ..., h_k, n), every entry ≥ 1, at least two entries
 * @param activation φ
 * @param gemm the context of the matrix products (default {@link Gemm#defaults()}: all processors)
 */
public record Mlp(int[] sizes, Activation activation, Gemm gemm) implements Model {

    /** Fewest activations worth handing to another thread. */
    private static final int ELEMENTS_PER_THREAD = 1 << 14;

    public Mlp {
        if (sizes.length < 2) {
            throw new IllegalArgumentException("an MLP needs at least an input and an output size, got "
                    + Arrays.toString(sizes));
        }
        sizes = sizes.clone();
        for (int s : sizes) {
            if (s < 1) {
                throw new IllegalArgumentException("layer sizes must be ≥ 1, got " + Arrays.toString(sizes));
            }
        }
        if (activation == null) {
            throw new IllegalArgumentException("activation must be given");
        }
        if (gemm == null) {
            gemm = Gemm.defaults();
        }
    }

    /** An MLP whose products use all processors. */
    public Mlp(int[] sizes, Activation activation) {
        this(sizes, activation, Gemm.defaults());
    }

    /** The same MLP with its products on another context (thread count); results do not change. */
    public Mlp withGemm(Gemm context) {
        return new Mlp(sizes, activation, context);
    }

    @Override
    public int[] sizes() {
        return sizes.clone();
    }

    /** Number of dense layers, k + 1. */
    public int layers() {
        return sizes.length - 1;
    }

    @Override
    public ParameterLayout layout() {
        ParameterLayout.Builder b = ParameterLayout.builder();
        for (int l = 0; l < layers(); l++) {
            b.add((2 * l) + ".weight", sizes[l + 1], sizes[l]).add((2 * l) + ".bias", sizes[l + 1]);
        }
        return b.build();
    }

    @Override
    public int inputSize() {
        return sizes[0];
    }

    @Override
    public int outputSize() {
        return sizes[sizes.length - 1];
    }

    @Override
    public int parameterCount() {
        int p = 0;
        for (int l = 0; l < layers(); l++) {
            p += sizes[l + 1] * (sizes[l] + 1);
        }
        return p;
    }

    @Override
    public Batch forward(double[] theta, Batch x) {
        requireShapes(theta, x);
        return new Batch(x.rows(), outputSize(), new Pass(theta, x, false).z[layers() - 1]);
    }

    @Override
    public double[] vjp(double[] theta, Batch x, Batch u) {
        requireShapes(theta, x);
        if (u.rows() != x.rows() || u.cols() != outputSize()) {
            throw new IllegalArgumentException("cotangents are " + u.rows() + "×" + u.cols() + ", expected "
                    + x.rows() + "×" + outputSize());
        }
        return new Pass(theta, x, true).backward(u.data());
    }

    @Override
    public Batch jvp(double[] theta, Batch x, double[] v) {
        requireShapes(theta, x);
        layout().requireVector(v, "direction");
        return new Batch(x.rows(), outputSize(), new Pass(theta, x, true).tangent(v));
    }

    /**
     * The number of hidden pre-activations, over all inputs, that sit exactly on ReLU's kink (z = 0).
     * There f is not differentiable: the JVP and VJP use PyTorch's convention φ′(0) = 0, and the
     * first-order expansion in ε can be off by an O(1) factor. Zero biases make this common in narrow
     * ReLU nets (a dead unit feeds an exact 0 forward). Always 0 for smooth activations.
     */
    @Override
    public int kinks(double[] theta, Batch x) {
        requireShapes(theta, x);
        if (activation != Activation.RELU) {
            return 0;
        }
        int count = 0;
        Pass pass = new Pass(theta, x, false);
        for (int l = 0; l < layers() - 1; l++) {
            for (double z : pass.z[l]) {
                count += z == 0 ? 1 : 0;
            }
        }
        return count;
    }

    @Override
    public String describe() {
        return "mlp " + Arrays.stream(sizes).mapToObj(Integer::toString).collect(Collectors.joining("-")) + " "
                + Names.of(activation);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Mlp m && Arrays.equals(m.sizes, sizes) && m.activation == activation;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(sizes) * 31 + activation.hashCode();
    }

    @Override
    public String toString() {
        return describe();
    }

    /** Offset of W_l in θ. */
    private int weightOffset(int l) {
        int off = 0;
        for (int k = 0; k < l; k++) {
            off += sizes[k + 1] * (sizes[k] + 1);
        }
        return off;
    }

    /**
     * A forward pass over the whole batch, rows × width per layer: pre-activations z_l, activations
     * a_l = φ(z_l) and, when asked, slopes φ′(z_l) of the hidden layers.
     */
    private final class Pass {
        final double[] theta;
        final double[] x;
        final int rows;
        final int[] offsets = new int[layers()];
        final double[][] z = new double[layers()][];
        final double[][] a = new double[layers() - 1][];
        final double[][] slope = new double[layers() - 1][];

        Pass(double[] theta, Batch inputs, boolean slopes) {
            this.theta = theta;
            this.x = inputs.data();
            this.rows = inputs.rows();
            for (int l = 0; l < layers(); l++) {
                offsets[l] = weightOffset(l);
                z[l] = new double[rows * sizes[l + 1]];
                Dense.forward(gemm, theta, offsets[l], sizes[l], sizes[l + 1], input(l), rows, z[l]);
                if (l < layers() - 1) {
                    double[] zl = z[l];
                    double[] al = new double[zl.length];
                    double[] sl = slopes ? new double[zl.length] : null;
                    gemm.ranges(zl.length, ELEMENTS_PER_THREAD, (from, to) -> {
                        activation.values(zl, al, from, to);
                        for (int i = from; sl != null && i < to; i++) {
                            sl[i] = activation.derivative(zl[i], al[i]);
                        }
                    });
                    a[l] = al;
                    slope[l] = sl;
                }
            }
        }

        /** The input of layer l: x, or a_{l−1}. */
        double[] input(int l) {
            return l == 0 ? x : a[l - 1];
        }

        /** dz_out for direction v: dz_l = dW_l a_{l−1} + W_l da_{l−1} + db_l, da_l = φ′(z_l) ⊙ dz_l. */
        double[] tangent(double[] v) {
            double[] da = null;
            double[] dz = null;
            for (int l = 0; l < layers(); l++) {
                dz = new double[rows * sizes[l + 1]];
                Dense.tangent(gemm, theta, v, offsets[l], sizes[l], sizes[l + 1], input(l), da, rows, dz);
                if (l < layers() - 1) {
                    for (int i = 0; i < dz.length; i++) {
                        dz[i] *= slope[l][i];
                    }
                    da = dz;
                }
            }
            return dz;
        }

        /** Σ_x J_xᵀ u_x: u_{z_l} = φ′(z_l) ⊙ W_{l+1}ᵀ u_{z_{l+1}}, grad W_l += u_{z_l} a_{l−1}ᵀ. */
        double[] backward(double[] u) {
            double[] grad = new double[parameterCount()];
            double[] uz = u;
            for (int l = layers() - 1; l >= 0; l--) {
                double[] ua = l == 0 ? null : new double[rows * sizes[l]];
                Dense.backward(gemm, theta, offsets[l], sizes[l], sizes[l + 1], input(l), uz, rows, grad, ua);
                if (l > 0) {
                    for (int i = 0; i < ua.length; i++) {
                        ua[i] *= slope[l - 1][i];
                    }
                    uz = ua;
                }
            }
            return grad;
        }
    }
}
