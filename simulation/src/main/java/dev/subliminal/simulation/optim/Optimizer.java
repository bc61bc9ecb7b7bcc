package dev.subliminal.simulation.optim;

import dev.subliminal.theory.param.Vectors;

/**
 * A first-order optimizer over a model's flat parameter vector θ ∈ R^p, with the state of its past
 * steps. Step t turns the gradient g_t = ∇L(θ_{t−1}) into an update u_t and moves
 * θ_t = θ_{t−1} + η·u_t, where η is the learning rate. Plain SGD has u_t = −g_t, so η·u_t is the
 * paper's α·Δ_S.
 *
 * <p>An optimizer is stateful and not thread-safe: use one instance per training run.
 */
public interface Optimizer {

    /** η, the learning rate. */
    double rate();

    /** The update u_t for gradient g_t at θ_{t−1}; advances the state by one step. Neither array is modified. */
    double[] update(double[] theta, double[] gradient);

    /** One step: θ_t = θ_{t−1} + η·u_t (a new array). */
    default double[] step(double[] theta, double[] gradient) {
        return Vectors.axpy(theta, rate(), update(theta, gradient));
    }

    /** g + λ·θ, the gradient of L(θ) + (λ/2)‖θ‖² (L2 weight decay); g itself when λ = 0. */
    static double[] withDecay(double[] gradient, double decay, double[] theta) {
        if (gradient.length != theta.length) {
            throw new IllegalArgumentException("gradient has " + gradient.length + " entries but θ has " + theta.length);
        }
        return decay == 0 ? gradient.clone() : Vectors.axpy(gradient, decay, theta);
    }

    /** Throws unless the rate and the decay are finite and ≥ 0. */
    static void requireSettings(double rate, double decay) {
        if (!(rate >= 0) || !Double.isFinite(rate)) {
            throw new IllegalArgumentException("learning rate = " + rate + " must be finite and ≥ 0");
        }
        if (!(decay >= 0) || !Double.isFinite(decay)) {
            throw new IllegalArgumentException("weight decay = " + decay + " must be finite and ≥ 0");
        }
    }
}
