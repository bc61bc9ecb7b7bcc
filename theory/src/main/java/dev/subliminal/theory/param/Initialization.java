package dev.subliminal.theory.param;

import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.distribution.ZigguratSampler;

/**
 * Initializations of dense and convolutional layouts, in which every {@code NAME.weight} tensor has
 * shape [out, in] (fan_in = in) or [out, in, k_1, ...] (fan_in = in·k_1·..., PyTorch's convention for
 * convolutions) and is followed by an optional {@code NAME.bias}. Tensors are filled in storage
 * order, weights row by row, so a seed gives the same θ on every platform.
 */
public enum Initialization {

    /** Weights N(0, 1/fan_in), biases 0: the paper's MNIST initialization. */
    NORMAL_FAN_IN {
        @Override
        void fill(double[] theta, TensorSpec t, int fanIn, UniformRandomProvider rng) {
            if (t.name().endsWith(".bias")) {
                return;
            }
            ZigguratSampler.NormalizedGaussian gauss = ZigguratSampler.NormalizedGaussian.of(rng);
            double sd = 1 / Math.sqrt(fanIn);
            for (int i = 0; i < t.size(); i++) {
                theta[t.offset() + i] = sd * gauss.sample();
            }
        }
    },

    /** Weights and biases U(−1/√fan_in, 1/√fan_in): PyTorch's default for {@code nn.Linear}. */
    UNIFORM_FAN_IN {
        @Override
        void fill(double[] theta, TensorSpec t, int fanIn, UniformRandomProvider rng) {
            double bound = 1 / Math.sqrt(fanIn);
            for (int i = 0; i < t.size(); i++) {
                theta[t.offset() + i] = bound * (2 * rng.nextDouble() - 1);
            }
        }
    };

    abstract void fill(double[] theta, TensorSpec t, int fanIn, UniformRandomProvider rng);

    /** A fresh θ for the layout, drawn from {@code rng}. */
    public double[] initialize(ParameterLayout layout, UniformRandomProvider rng) {
        double[] theta = new double[layout.size()];
        int fanIn = -1;
        for (TensorSpec t : layout.tensors()) {
            int[] shape = t.shape();
            if (t.name().endsWith(".weight")) {
                if (shape.length < 2) {
                    throw new IllegalArgumentException("weight " + t.name() + " must have shape [out, in, ...]");
                }
                fanIn = 1;
                for (int i = 1; i < shape.length; i++) {
                    fanIn = Math.multiplyExact(fanIn, shape[i]);
                }
            } else if (!t.name().endsWith(".bias") || fanIn < 0) {
                throw new IllegalArgumentException("tensor " + t.name()
                        + " is neither a weight nor a bias following one; cannot initialize it");
            }
            fill(theta, t, fanIn, rng);
        }
        return theta;
    }
}
