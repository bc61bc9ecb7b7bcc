package dev.subliminal.lm.transformer;

/**
 * One differentiable stage of a transformer acting on a matrix of token activations:
 * Y = g(θ, X) with X of shape N × {@link #inputWidth()} and Y of shape N × {@link #outputWidth()},
 * row-major, one row per token, rows grouped into sequences by {@link Segments}. Parameters are read
 * from θ at offsets fixed when the block is built; a block owns no mutable state.
 *
 * <p>Three passes, each over the whole matrix:
 * <ul>
 *   <li>{@link #forward}: Y, and what the other two passes need (the saved state S);</li>
 *   <li>{@link #backward}: the vector-Jacobian product: grad += J_θᵀ dY and dX += J_Xᵀ dY
 *       (both accumulate, so residual branches add up without copies); a null {@code grad} skips the
 *       parameter gradient (frozen parameters), a null {@code dx} the input cotangent;</li>
 *   <li>{@link #tangent}: the Jacobian-vector product dY = J_θ v + J_X dX for a parameter direction v
 *       (read from v at the same offsets as θ; null for none: frozen parameters) and an input tangent
 *       dX.</li>
 * </ul>
 * Written once in double precision; {@code FloatBlock} and its implementations are generated from
 * these sources (docs/precision-twins.md).
 *
 * @param <S> what the forward pass saves for the backward and tangent passes
 */
interface DoubleBlock<S> {

    /** Columns of X. */
    int inputWidth();

    /** Columns of Y. */
    int outputWidth();

    /** Writes Y = g(θ, X) into {@code y} (N × outputWidth, overwritten) and returns the saved state. */
    S forward(double[] theta, Segments seg, double[] x, double[] y);

    /** grad += J_θᵀ dY when {@code grad} is not null; dX += J_Xᵀ dY when {@code dx} is not null. */
    void backward(double[] theta, Segments seg, S saved, double[] dy, double[] grad, double[] dx);

    /** dY = J_θ v + J_X dX (without the first term when v is null), written into {@code dy} (overwritten). */
    void tangent(double[] theta, double[] v, Segments seg, S saved, double[] dx, double[] dy);

    /**
     * Y and dY in one go, keeping nothing afterwards; compositions override it so that only one
     * stage's state is alive at a time (the JVP never needs the whole network's activations).
     */
    default void forwardTangent(double[] theta, double[] v, Segments seg, double[] x, double[] dx, double[] y,
            double[] dy) {
        S saved = forward(theta, seg, x, y);
        tangent(theta, v, seg, saved, dx, dy);
    }
}
