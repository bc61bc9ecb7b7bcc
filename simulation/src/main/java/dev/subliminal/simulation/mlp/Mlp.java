package dev.subliminal.simulation.mlp;

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

    public Mlp {
        sizes = checkedSizes(sizes);
        if (activation == null) {
            throw new IllegalArgumentException("activation must be given");
        }
        if (gemm == null) {
            gemm = Gemm.defaults();
        }
    }

    /** A copy of {@code sizes} after checking that it names at least two layers, each of size ≥ 1. */
    static int[] checkedSizes(int[] sizes) {
        if (sizes.length < 2) {
            throw new IllegalArgumentException("an MLP needs at least an input and an output size, got "
                    + Arrays.toString(sizes));
        }
        for (int s : sizes) {
            if (s < 1) {
                throw new IllegalArgumentException("layer sizes must be ≥ 1, got " + Arrays.toString(sizes));
            }
        }
        return sizes.clone();
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
        DoubleMlpNetwork net = network();
        DoubleMlpNetwork.Workspace ws = net.workspace(x.rows());
        net.forward(theta, x.data(), x.rows(), ws, false);
        return new Batch(x.rows(), outputSize(), ws.outputs());
    }

    @Override
    public double[] vjp(double[] theta, Batch x, Batch u) {
        requireShapes(theta, x);
        if (u.rows() != x.rows() || u.cols() != outputSize()) {
            throw new IllegalArgumentException("cotangents are " + u.rows() + "×" + u.cols() + ", expected "
                    + x.rows() + "×" + outputSize());
        }
        DoubleMlpNetwork net = network();
        DoubleMlpNetwork.Workspace ws = net.workspace(x.rows());
        net.forward(theta, x.data(), x.rows(), ws, true);
        System.arraycopy(u.data(), 0, ws.outputGradient(), 0, u.data().length);
        double[] grad = new double[net.parameterCount()];
        net.backward(theta, x.data(), x.rows(), ws, grad);
        return grad;
    }

    @Override
    public Batch jvp(double[] theta, Batch x, double[] v) {
        requireShapes(theta, x);
        layout().requireVector(v, "direction");
        DoubleMlpNetwork net = network();
        DoubleMlpNetwork.Workspace ws = net.workspace(x.rows());
        net.forward(theta, x.data(), x.rows(), ws, true);
        double[] out = new double[x.rows() * outputSize()];
        net.tangent(theta, v, x.data(), x.rows(), ws, out);
        return new Batch(x.rows(), outputSize(), out);
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
        DoubleMlpNetwork net = network();
        DoubleMlpNetwork.Workspace ws = net.workspace(x.rows());
        net.forward(theta, x.data(), x.rows(), ws, false);
        int count = 0;
        for (int l = 0; l < layers() - 1; l++) {
            double[] z = ws.preActivations(l);
            for (int i = 0; i < x.rows() * sizes[l + 1]; i++) {
                count += z[i] == 0 ? 1 : 0;
            }
        }
        return count;
    }

    /** The batched passes of this MLP, in double precision. */
    public DoubleMlpNetwork network() {
        return new DoubleMlpNetwork(sizes, activation, gemm);
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
}
