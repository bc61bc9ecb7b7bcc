package dev.subliminal.simulation.check;

import dev.subliminal.linear.AffineModel;
import dev.subliminal.simulation.mlp.Activation;
import dev.subliminal.simulation.mlp.Mlp;
import dev.subliminal.theory.model.Model;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * A model architecture: the family, the layer sizes (d, h_1, ..., n) and, for an MLP, the hidden
 * activation.
 *
 * @param family linear (sizes (d, n)) or mlp (sizes (d, h_1, ..., h_k, n) with k ≥ 1)
 * @param sizes layer sizes, input first, output last
 * @param activation the hidden activation; ignored (and normalized to tanh) for linear models
 */
public record Architecture(Family family, int[] sizes, Activation activation) {

    /** Model families. */
    public enum Family {
        /** f(x) = W x + b; its Jacobian does not depend on θ. */
        LINEAR,
        /** A multilayer perceptron with at least one hidden layer. */
        MLP;

        public String cliName() {
            return dev.subliminal.theory.text.EnumNames.of(this);
        }

        public static Family parse(String s) {
            return dev.subliminal.theory.text.EnumNames.parse(Family.class, s, "model");
        }
    }

    public Architecture {
        sizes = sizes.clone();
        for (int s : sizes) {
            if (s < 1) {
                throw new IllegalArgumentException("layer sizes must be ≥ 1, got " + text(sizes));
            }
        }
        if (family == Family.LINEAR && sizes.length != 2) {
            throw new IllegalArgumentException("a linear model takes two sizes (inputs, outputs), got " + text(sizes));
        }
        if (family == Family.MLP && sizes.length < 3) {
            throw new IllegalArgumentException("an mlp needs at least one hidden layer (three sizes), got "
                    + text(sizes));
        }
        if (family == Family.LINEAR || activation == null) {
            activation = Activation.TANH;
        }
    }

    /** An MLP with these sizes and activation. */
    public static Architecture mlp(Activation activation, int... sizes) {
        return new Architecture(Family.MLP, sizes, activation);
    }

    /** An affine model with d inputs and n outputs. */
    public static Architecture linear(int inputs, int outputs) {
        return new Architecture(Family.LINEAR, new int[] {inputs, outputs}, Activation.TANH);
    }

    @Override
    public int[] sizes() {
        return sizes.clone();
    }

    /** d. */
    public int inputs() {
        return sizes[0];
    }

    /** n. */
    public int outputs() {
        return sizes[sizes.length - 1];
    }

    /** The model. */
    public Model build() {
        return family == Family.LINEAR ? new AffineModel(sizes[0], sizes[1]) : new Mlp(sizes, activation);
    }

    /** This architecture with other sizes. */
    public Architecture withSizes(int... newSizes) {
        Family f = newSizes.length == 2 ? Family.LINEAR : family;
        return new Architecture(f, newSizes, activation);
    }

    /** Sizes joined by commas, as the command line takes them. */
    public String sizesText() {
        return Arrays.stream(sizes).mapToObj(Integer::toString).collect(Collectors.joining(","));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Architecture a && a.family == family && Arrays.equals(a.sizes, sizes)
                && a.activation == activation;
    }

    @Override
    public int hashCode() {
        return (family.hashCode() * 31 + Arrays.hashCode(sizes)) * 31 + activation.hashCode();
    }

    @Override
    public String toString() {
        return build().describe();
    }

    private static String text(int[] sizes) {
        return Arrays.toString(sizes);
    }
}
