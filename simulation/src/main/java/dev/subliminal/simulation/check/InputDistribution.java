package dev.subliminal.simulation.check;

import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.distribution.ZigguratSampler;

/** Distributions of the student's inputs x ∼ D_S (and of trait inputs). */
public enum InputDistribution {
    /** Each coordinate N(0, 1). */
    GAUSSIAN {
        @Override
        public double[] sample(int count, UniformRandomProvider rng) {
            ZigguratSampler.NormalizedGaussian g = ZigguratSampler.NormalizedGaussian.of(rng);
            double[] out = new double[count];
            for (int i = 0; i < count; i++) {
                out[i] = g.sample();
            }
            return out;
        }
    },
    /** Each coordinate Uniform[−1, 1]: noise images. */
    UNIFORM {
        @Override
        public double[] sample(int count, UniformRandomProvider rng) {
            double[] out = new double[count];
            for (int i = 0; i < count; i++) {
                out[i] = 2 * rng.nextDouble() - 1;
            }
            return out;
        }
    };

    /** {@code count} independent coordinates. */
    public abstract double[] sample(int count, UniformRandomProvider rng);
}
