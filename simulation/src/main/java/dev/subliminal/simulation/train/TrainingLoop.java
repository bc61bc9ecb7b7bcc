package dev.subliminal.simulation.train;

import dev.subliminal.simulation.optim.Optimizer;

/**
 * The one training loop: for steps t = 1..T, take the next batch of examples, compute the gradient
 * g_t of the loss at θ_{t−1} over it, let a listener see it, and take the optimizer's step
 * θ_t = θ_{t−1} + η_t·u_t in place. It is independent of the precision θ is stored in ({@code P} is
 * {@code double[]} or {@code float[]}) and of the model: the caller's {@link Gradient} runs the
 * model's forward and backward passes.
 *
 * @param <P> the parameter storage
 */
public final class TrainingLoop<P> {

    /** Computes ∇L(θ) over a batch. */
    public interface Gradient<P> {
        /** Writes the gradient at θ over the first {@code rows} of {@code examples} into {@code gradient}. */
        void compute(P theta, int[] examples, int rows, P gradient);
    }

    /** Sees every step. */
    public interface Listener<P> {
        /** Called after step t (1-based) with θ_t, the gradient g_t it used and its update u_t. */
        void stepped(int step, P theta, P gradient, P update);
    }

    private final Optimizer<P> optimizer;
    private final Gradient<P> gradient;
    private final BatchOrder order;

    /** A loop that trains with {@code optimizer} on batches from {@code order}. */
    public TrainingLoop(Optimizer<P> optimizer, Gradient<P> gradient, BatchOrder order) {
        this.optimizer = optimizer;
        this.gradient = gradient;
        this.order = order;
    }

    /**
     * Takes {@code steps} steps from θ (changed in place), using the caller's buffers for the gradient
     * and, when {@code update} is not null, the update.
     */
    public void run(P theta, int steps, P gradientBuffer, P update, Listener<P> listener) {
        if (steps < 0) {
            throw new IllegalArgumentException("steps = " + steps + " must be ≥ 0");
        }
        int[] examples = new int[order.maxRows()];
        for (int t = 1; t <= steps; t++) {
            int rows = order.next(examples);
            gradient.compute(theta, examples, rows, gradientBuffer);
            optimizer.step(theta, gradientBuffer, update);
            listener.stepped(t, theta, gradientBuffer, update);
        }
    }
}
