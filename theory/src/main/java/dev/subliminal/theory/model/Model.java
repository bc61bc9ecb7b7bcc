package dev.subliminal.theory.model;

import dev.subliminal.theory.param.ParameterLayout;

/**
 * The model contract: a differentiable map f_θ : R^d → R^n with parameters θ ∈ R^p laid out as
 * named tensors. A model gives outputs for a batch, vector-Jacobian products and Jacobian-vector
 * products, and never builds the Jacobian J_x = ∂f_θ(x)/∂θ (n × p) itself.
 *
 * <p>Implementations are immutable and thread-safe; θ is always passed in and never modified.
 */
public interface Model {

    /** The named tensors of θ. */
    ParameterLayout layout();

    /** d, the input size. */
    int inputSize();

    /** n, the output size. */
    int outputSize();

    /** p, the number of parameters. */
    default int parameterCount() {
        return layout().size();
    }

    /** f_θ(x) for every row x of {@code inputs}: a batch of rows × n. */
    Batch forward(double[] theta, Batch inputs);

    /**
     * The vector-Jacobian product summed over the batch: Σ_x J_xᵀ u_x ∈ R^p, where u_x is the row of
     * {@code cotangents} for input x. With u_x = ∂ℓ/∂z this is the gradient of Σ_x ℓ(f_θ(x)).
     * Returns a new array that the caller owns (the check negates it in place).
     */
    double[] vjp(double[] theta, Batch inputs, Batch cotangents);

    /**
     * {@link #vjp(double[], Batch, Batch)} written into {@code out} (p entries, all overwritten) instead of
     * a new array, the same bits; returns out, which must not be θ. For a caller that places its own
     * vectors (the check's buffer for θ_T becomes Δ_S). By default a copy of the new array; a model whose
     * vectors are large writes into out directly.
     */
    default double[] vjp(double[] theta, Batch inputs, Batch cotangents, double[] out) {
        requireOutput(theta, out);
        double[] g = vjp(theta, inputs, cotangents);
        System.arraycopy(g, 0, out, 0, g.length);
        return out;
    }

    /** Throws unless {@code out} has p entries and is not θ's array (an output of {@link #vjp} into out). */
    default void requireOutput(double[] theta, double[] out) {
        ParameterLayout.requireLength(out, parameterCount(), "the VJP's output");
        if (out == theta) {
            throw new IllegalArgumentException("the VJP's output is θ's own array");
        }
    }

    /** The Jacobian-vector product for every input: row x is J_x v ∈ R^n. */
    Batch jvp(double[] theta, Batch inputs, double[] direction);

    /**
     * This model at θ over {@code inputs}: f_θ(x) with its VJPs and JVPs there, the same numbers as
     * {@link #forward}, {@link #vjp} and {@link #jvp}, for a caller that needs several of them at one θ.
     * By default each is a call of those methods; a model overrides this to share their common work.
     */
    default Linearization linearize(double[] theta, Batch inputs) {
        return Linearization.of(this, theta, inputs);
    }

    /**
     * The number of points among these inputs at which f is not differentiable in θ at this θ, for
     * instance hidden ReLU pre-activations that are exactly 0, counted over every input; 0 for a smooth
     * model (the default). There the Jacobian is a one-sided convention (PyTorch's φ′(0) = 0), the
     * theorem's differentiability assumption fails and its first-order claims need not hold.
     */
    default int kinks(double[] theta, Batch inputs) {
        return 0;
    }

    /** A short human-readable description of the architecture, e.g. {@code mlp 3-5-2 tanh}. */
    String describe();

    /** Throws unless {@code inputs} has d columns and θ has p entries. */
    default void requireShapes(double[] theta, Batch inputs) {
        ParameterLayout.requireLength(theta, parameterCount(), "θ");
        if (inputs.cols() != inputSize()) {
            throw new IllegalArgumentException("inputs have " + inputs.cols() + " columns but the model "
                    + describe() + " takes " + inputSize());
        }
    }
}
