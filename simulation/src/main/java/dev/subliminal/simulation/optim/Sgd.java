package dev.subliminal.simulation.optim;

import dev.subliminal.theory.param.Vectors;

/**
 * Plain stochastic gradient descent with L2 weight decay λ (PyTorch's {@code SGD(weight_decay=λ)}
 * without momentum): u_t = −(g_t + λ·θ_{t−1}), θ_t = θ_{t−1} + η·u_t. It has no state.
 */
public final class Sgd implements Optimizer {

    private final double rate;
    private final double decay;

    /** SGD with learning rate η ≥ 0 and weight decay λ ≥ 0. */
    public Sgd(double rate, double decay) {
        Optimizer.requireSettings(rate, decay);
        this.rate = rate;
        this.decay = decay;
    }

    @Override
    public double rate() {
        return rate;
    }

    @Override
    public double[] update(double[] theta, double[] gradient) {
        return Vectors.scale(-1, Optimizer.withDecay(gradient, decay, theta));
    }
}
