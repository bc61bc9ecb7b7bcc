package dev.subliminal.simulation.mlp;

import dev.subliminal.linear.Dense;
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
 * @param sizes (d, h_1, ..., h_k, n), every entry ≥ 1, at least two entries
 * @param activation φ
 */
public record Mlp(int[] sizes, Activation activation) implements Model {

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
        int n = outputSize();
        double[] out = new double[x.rows() * n];
        Pass pass = new Pass();
        for (int r = 0; r < x.rows(); r++) {
            pass.forward(theta, x.data(), r * sizes[0]);
            System.arraycopy(pass.z[layers() - 1], 0, out, r * n, n);
        }
        return new Batch(x.rows(), n, out);
    }

    @Override
    public double[] vjp(double[] theta, Batch x, Batch u) {
        requireShapes(theta, x);
        if (u.rows() != x.rows() || u.cols() != outputSize()) {
            throw new IllegalArgumentException("cotangents are " + u.rows() + "×" + u.cols() + ", expected "
                    + x.rows() + "×" + outputSize());
        }
        double[] grad = new double[parameterCount()];
        Pass pass = new Pass();
        for (int r = 0; r < x.rows(); r++) {
            pass.forward(theta, x.data(), r * sizes[0]);
            pass.backward(theta, x.data(), r * sizes[0], u.data(), r * outputSize(), grad);
        }
        return grad;
    }

    @Override
    public Batch jvp(double[] theta, Batch x, double[] v) {
        requireShapes(theta, x);
        layout().requireVector(v, "direction");
        int n = outputSize();
        double[] out = new double[x.rows() * n];
        Pass pass = new Pass();
        for (int r = 0; r < x.rows(); r++) {
            pass.forward(theta, x.data(), r * sizes[0]);
            pass.tangent(theta, v, x.data(), r * sizes[0]);
            System.arraycopy(pass.dz[layers() - 1], 0, out, r * n, n);
        }
        return new Batch(x.rows(), n, out);
    }

    /**
     * The number of hidden pre-activations, over all inputs, that sit exactly on ReLU's kink (z = 0).
     * There f is not differentiable: the JVP and VJP use PyTorch's convention φ′(0) = 0, and the
     * first-order expansion in ε can be off by an O(1) factor. Zero biases make this common in narrow
     * ReLU nets (a dead unit feeds an exact 0 forward). Always 0 for smooth activations.
     */
    public int kinks(double[] theta, Batch x) {
        requireShapes(theta, x);
        if (activation != Activation.RELU) {
            return 0;
        }
        int count = 0;
        Pass pass = new Pass();
        for (int r = 0; r < x.rows(); r++) {
            pass.forward(theta, x.data(), r * sizes[0]);
            for (int l = 0; l < layers() - 1; l++) {
                for (double z : pass.z[l]) {
                    count += z == 0 ? 1 : 0;
                }
            }
        }
        return count;
    }

    @Override
    public String describe() {
        return "mlp " + Arrays.stream(sizes).mapToObj(Integer::toString).collect(Collectors.joining("-")) + " "
                + activation.cliName();
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

    /** Per-sample work buffers: pre-activations z_l, activations a_l and their tangents or cotangents. */
    private final class Pass {
        final double[][] z = new double[layers()][];
        final double[][] a = new double[layers()][];
        final double[][] dz = new double[layers()][];
        final double[][] da = new double[layers()][];
        final int[] offsets = new int[layers()];

        Pass() {
            for (int l = 0; l < layers(); l++) {
                z[l] = new double[sizes[l + 1]];
                a[l] = new double[sizes[l + 1]];
                dz[l] = new double[sizes[l + 1]];
                da[l] = new double[sizes[l + 1]];
                offsets[l] = weightOffset(l);
            }
        }

        void forward(double[] theta, double[] x, int xOff) {
            for (int l = 0; l < layers(); l++) {
                double[] in = l == 0 ? x : a[l - 1];
                Dense.forward(theta, offsets[l], sizes[l], sizes[l + 1], in, l == 0 ? xOff : 0, z[l], 0);
                if (l < layers() - 1) {
                    for (int i = 0; i < z[l].length; i++) {
                        a[l][i] = activation.value(z[l][i]);
                    }
                }
            }
        }

        void tangent(double[] theta, double[] v, double[] x, int xOff) {
            for (int l = 0; l < layers(); l++) {
                double[] in = l == 0 ? x : a[l - 1];
                Dense.tangent(theta, v, offsets[l], sizes[l], sizes[l + 1], in, l == 0 ? xOff : 0,
                        l == 0 ? null : da[l - 1], 0, dz[l], 0);
                if (l < layers() - 1) {
                    for (int i = 0; i < dz[l].length; i++) {
                        da[l][i] = activation.derivative(z[l][i]) * dz[l][i];
                    }
                }
            }
        }

        void backward(double[] theta, double[] x, int xOff, double[] u, int uOff, double[] grad) {
            int last = layers() - 1;
            System.arraycopy(u, uOff, dz[last], 0, sizes[last + 1]);
            for (int l = last; l >= 0; l--) {
                double[] in = l == 0 ? x : a[l - 1];
                Dense.backward(theta, offsets[l], sizes[l], sizes[l + 1], in, l == 0 ? xOff : 0, dz[l], 0, grad,
                        l == 0 ? null : da[l - 1], 0);
                if (l > 0) {
                    for (int i = 0; i < sizes[l]; i++) {
                        dz[l - 1][i] = activation.derivative(z[l - 1][i]) * da[l - 1][i];
                    }
                }
            }
        }
    }
}
