package dev.subliminal.experiments.mnist;

import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.distribution.ZigguratSampler;

/** The distribution of the students' noise images, pixel by pixel, independent. */
public enum NoiseKind {
    /** Uniform on [−1, 1): the paper's {@code torch.rand(...) * 2 − 1}. */
    UNIFORM {
        @Override
        public void fill(float[] x, UniformRandomProvider rng) {
            for (int i = 0; i < x.length; i++) {
                x[i] = 2f * rng.nextFloat() - 1f;
            }
        }
    },
    /** Standard normal N(0, 1). */
    GAUSSIAN {
        @Override
        public void fill(float[] x, UniformRandomProvider rng) {
            ZigguratSampler.NormalizedGaussian g = ZigguratSampler.NormalizedGaussian.of(rng);
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) g.sample();
            }
        }
    };

    /** Fills {@code x} with independent draws, in index order. */
    public abstract void fill(float[] x, UniformRandomProvider rng);
}
