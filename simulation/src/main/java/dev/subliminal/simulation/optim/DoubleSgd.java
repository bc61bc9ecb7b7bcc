package dev.subliminal.simulation.optim;

/**
 * Stochastic gradient descent without momentum, with L2 weight decay λ (PyTorch's
 * {@code SGD(lr=η, weight_decay=λ)}): u_t = −(g_t + λ·θ_{t−1}), θ_t = θ_{t−1} + η_t·u_t. Double
 * precision; {@code FloatSgd} is generated from this source.
 */
public final class DoubleSgd extends DoubleOptimizer {

    DoubleSgd(OptimizerSpec spec, int parameters) {
        super(spec, parameters);
    }

    @Override
    protected void apply(double[] theta, double[] gradient, double factor, double[] update, int t) {
        double rate = (double) spec.rate().at(t);
        double decay = (double) spec.weightDecay();
        for (int i = 0; i < theta.length; i++) {
            double gi = gradient[i] * factor;
            double u = -(decay == 0 ? gi : gi + decay * theta[i]);
            if (update != null) {
                update[i] = u;
            }
            theta[i] = theta[i] + rate * u;
        }
    }
}
