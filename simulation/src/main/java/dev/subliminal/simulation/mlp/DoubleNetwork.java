package dev.subliminal.simulation.mlp;

/**
 * The batched passes of a layered network in double precision over caller-owned buffers, one example
 * per row: the forward pass to the outputs f = z_{k+1} (keeping φ′(z_l) when asked), the tangent
 * df = J_θ f · v (JVP) and the reverse pass ∂L/∂θ = Σ_rows J_xᵀ u_x (VJP) from u = ∂L/∂f. Implemented
 * by {@link DoubleMlpNetwork} and {@code DoubleConvNetwork}; the float twin {@code FloatNetwork} is
 * generated from this source (docs/precision-twins.md).
 *
 * @param <W> the network's buffers for one batch
 */
public interface DoubleNetwork<W extends DoubleNetwork.Workspace> {

    /** p. */
    int parameterCount();

    /** n, the number of outputs. */
    int outputs();

    /** k, the number of hidden layers (each followed by φ). */
    int hiddenLayers();

    /** The pre-activations per example of hidden layer {@code i} (0-based). */
    int units(int i);

    /** Buffers for batches of at most {@code maxRows} examples. */
    W workspace(int maxRows);

    /** The forward pass over the first {@code rows} rows of {@code x}; with {@code slopes} it keeps φ′(z_l). */
    void forward(double[] theta, double[] x, int rows, W ws, boolean slopes);

    /** ∂L/∂θ into {@code gradient} (overwritten), from ∂L/∂f in {@link Workspace#outputGradient()}. */
    void backward(double[] theta, double[] x, int rows, W ws, double[] gradient);

    /** The outputs' tangent along {@code v} into {@code out} (rows × n), after a forward pass with slopes. */
    void tangent(double[] theta, double[] v, double[] x, int rows, W ws, double[] out);

    /** The buffers of one batch; a workspace belongs to one thread at a time. */
    interface Workspace {

        /** The outputs of the last forward pass, rows × n (later rows are stale). */
        double[] outputs();

        /** Where the caller writes ∂L/∂outputs (rows × n) before a backward pass; changed by it. */
        double[] outputGradient();

        /** The pre-activations of hidden layer {@code i} (0-based) of the last forward pass. */
        double[] preActivations(int i);
    }
}
