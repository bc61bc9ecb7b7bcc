package dev.subliminal.simulation.mlp;

import dev.subliminal.spec.Names;
import dev.subliminal.theory.certify.IntervalActivation;
import dev.subliminal.theory.interval.Interval;
import org.apache.commons.numbers.gamma.Erfc;

/**
 * Hidden-layer activations φ with their derivatives φ′, as PyTorch defines them. Transcendental
 * functions use {@link StrictMath} so results are bit-identical across platforms.
 */
public enum Activation {

    /** φ(x) = tanh x, φ′ = 1 − tanh² x. */
    TANH {
        @Override
        public double value(double x) {
            return StrictMath.tanh(x);
        }

        @Override
        public double derivative(double x) {
            double t = StrictMath.tanh(x);
            return 1 - t * t;
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

    /**
     * φ′(x) given y = φ(x): for tanh 1 − y², the value {@link #derivative(double)} gives without a
     * second tanh; for the others φ′(x).
     */
    public double derivative(double x, double y) {
        return this == TANH ? 1 - y * y : derivative(x);
    }

    /**
     * The interval form for certificates: tanh(Z) and 1 − tanh(Z)² clipped to [0, 1]; ReLU's
     * max(Z, 0) and derivative {0}, {1} or [0, 1] when Z holds the kink. GELU and softplus have none
     * yet and are refused by name.
     */
    public IntervalActivation intervalForm() {
        return switch (this) {
            case TANH -> new IntervalActivation() {
                @Override
                public Interval value(Interval z) {
                    return z.tanh();
                }

                @Override
                public Interval derivative(Interval z) {
                    Interval d = Interval.ONE.subtract(z.tanh().square());
                    return new Interval(Math.max(0, d.lo()), Math.min(1, d.hi()));
                }
            };
            case RELU -> new IntervalActivation() {
                @Override
                public Interval value(Interval z) {
                    return z.relu();
                }

                @Override
                public Interval derivative(Interval z) {
                    return z.lo() > 0 ? Interval.ONE : z.hi() < 0 ? Interval.ZERO : new Interval(0, 1);
                }
            };
            default -> throw new IllegalArgumentException("interval certificates support tanh and relu activations, not "
                    + Names.of(this));
        };
    }

    private static double cdf(double x) {
        return 0.5 * Erfc.value(-x * INV_SQRT_2);
    }
}
