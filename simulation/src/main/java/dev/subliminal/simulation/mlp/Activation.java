package dev.subliminal.simulation.mlp;

import dev.subliminal.theory.math.Fdlibm;
import org.apache.commons.numbers.gamma.Erfc;

/**
 * Hidden-layer activations φ with their derivatives φ′, as PyTorch defines them. Transcendental
 * functions use {@link StrictMath}, or {@link Fdlibm}'s evaluation of the same algorithm in Java (for
 * tanh: the same bits, inlined), so results are bit-identical across platforms.
 */
public enum Activation {

    /** φ(x) = tanh x, φ′ = 1 − tanh² x. */
    TANH {
        @Override
        public double value(double x) {
            return Fdlibm.tanh(x);
        }

        @Override
        public double derivative(double x) {
            double t = Fdlibm.tanh(x);
            return 1 - t * t;
        }

        @Override
        public void values(double[] x, double[] y, int from, int to) {
            Fdlibm.tanh(x, y, from, to);
        }
    },

    /** φ(x) = max(0, x), φ′ = 1 for x > 0 and 0 otherwise (PyTorch's convention at 0). */
    RELU {
        @Override
        public double value(double x) {
            return x > 0 ? x : 0;
        }

        @Override
        public double derivative(double x) {
            return x > 0 ? 1 : 0;
        }
    },

    /** φ(x) = x Φ(x) with Φ the standard normal CDF (exact GELU), φ′ = Φ(x) + x·ϕ(x). */
    GELU {
        @Override
        public double value(double x) {
            return x * cdf(x);
        }

        @Override
        public double derivative(double x) {
            return cdf(x) + x * INV_SQRT_2PI * StrictMath.exp(-0.5 * x * x);
        }
    },

    /** φ(x) = log(1 + eˣ), computed as max(x, 0) + log1p(e^−|x|); φ′ = 1/(1 + e^−x). */
    SOFTPLUS {
        @Override
        public double value(double x) {
            return Math.max(x, 0) + StrictMath.log1p(StrictMath.exp(-Math.abs(x)));
        }

        @Override
        public double derivative(double x) {
            return x >= 0 ? 1 / (1 + StrictMath.exp(-x)) : StrictMath.exp(x) / (1 + StrictMath.exp(x));
        }
    };

    private static final double INV_SQRT_2PI = 0.3989422804014327;
    private static final double INV_SQRT_2 = 0.7071067811865476;

    /** φ(x). */
    public abstract double value(double x);

    /** φ′(x). */
    public abstract double derivative(double x);

    /** y[i] = φ(x[i]) for from ≤ i < to, the same bits as {@link #value} (tanh: on whole vectors). */
    public void values(double[] x, double[] y, int from, int to) {
        for (int i = from; i < to; i++) {
            y[i] = value(x[i]);
        }
    }

    /**
     * φ′(x) given y = φ(x): for tanh 1 − y², the value {@link #derivative(double)} gives without a
     * second tanh; for the others φ′(x).
     */
    public double derivative(double x, double y) {
        return this == TANH ? 1 - y * y : derivative(x);
    }

    /** The lower-case name used on the command line and in files. */
    public String cliName() {
        return dev.subliminal.theory.text.EnumNames.of(this);
    }

    /** Parses a command-line name; the error lists the accepted ones. */
    public static Activation parse(String s) {
        return dev.subliminal.theory.text.EnumNames.parse(Activation.class, s, "activation");
    }

    private static double cdf(double x) {
        return 0.5 * Erfc.value(-x * INV_SQRT_2);
    }
}
