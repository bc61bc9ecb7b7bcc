package dev.subliminal.simulation.optim;

/**
 * A first-order optimizer over a flat parameter vector θ stored as {@code P} ({@code double[]} or
 * {@code float[]}), with the state of its past steps. Step t turns the gradient g_t = ∇L(θ_{t−1})
 * into an update u_t and moves θ_t = θ_{t−1} + η_t·u_t in place; plain SGD has u_t = −g_t, so
 * η·u_t is the paper's α·Δ_S. Implementations come from one double-precision source and its
 * generated float twin ({@code DoubleOptimizer}, {@code FloatOptimizer}).
 *
 * <p>An optimizer is stateful and not thread-safe: use one instance per training run.
 *
 * @param <P> the parameter storage
 */
public interface Optimizer<P> {

    /**
     * One step: θ ← θ + η_t·u_t in place, from the gradient g_t (left unchanged); when
     * {@code update} is not null, u_t is written into it.
     */
    void step(P theta, P gradient, P update);

    /** The number of steps taken. */
    int steps();
}
