package dev.subliminal.simulation.mlp;

import dev.subliminal.spec.Names;
import dev.subliminal.theory.linalg.Gemm;
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
public record Mlp(int[] sizes, Activation activation, Gemm gemm) implements NetworkModel {

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
