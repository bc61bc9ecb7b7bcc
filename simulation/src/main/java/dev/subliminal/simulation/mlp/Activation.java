package dev.subliminal.simulation.mlp;

import dev.subliminal.spec.Names;
import dev.subliminal.theory.interval.Interval;
import dev.subliminal.theory.interval.IntervalActivation;
import dev.subliminal.theory.interval.RationalActivation;
import dev.subliminal.theory.interval.RationalInterval;
import java.util.Arrays;
import org.apache.commons.numbers.fraction.BigFraction;
import org.apache.commons.numbers.gamma.Erfc;

/**
 * Hidden-layer activations φ with their derivatives φ′, as PyTorch defines them. Transcendental
 * functions use {@link StrictMath} so results are bit-identical across platforms.
 *
 * <p>A {@link #certifiable()} activation also encloses φ and φ′ over intervals (its
 * {@link IntervalActivation} form, for the certifier) and over rational intervals (its
 * {@link RationalActivation} form, for the independent verifier); the others refuse both by name.
 */
public enum Activation implements IntervalActivation, RationalActivation {

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

        @Override
        public boolean certifiable() {
            return true;
        }

        /** tanh Z, each end widened by twice StrictMath's error. */
        @Override
        public Interval value(Interval z) {
            return z.tanh();
        }

        /** 1 − tanh(Z)², clipped to [0, 1] where tanh′ lies. */
        @Override
        public Interval derivative(Interval z) {
            Interval d = Interval.ONE.subtract(z.tanh().square());
            return new Interval(Math.max(0, d.lo()), Math.min(1, d.hi()));
        }

        @Override
        public RationalInterval value(RationalInterval z) {
            return z.tanh();
        }

        @Override
        public RationalInterval derivative(RationalInterval z) {
            return RationalInterval.ONE.subtract(z.tanh().square()).clip(BigFraction.ZERO, BigFraction.ONE);
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

        @Override
        public boolean certifiable() {
            return true;
        }

        /** max(Z, 0), exact. */
        @Override
        public Interval value(Interval z) {
            return z.relu();
        }

        /** {0} below the kink, {1} above it, and [0, 1] (both one-sided slopes) when Z holds it. */
        @Override
        public Interval derivative(Interval z) {
            return z.lo() > 0 ? Interval.ONE : z.hi() < 0 ? Interval.ZERO : new Interval(0, 1);
        }

        @Override
        public RationalInterval value(RationalInterval z) {
            return z.relu();
        }

        @Override
        public RationalInterval derivative(RationalInterval z) {
            return z.positive() ? RationalInterval.ONE : z.negative() ? RationalInterval.ZERO : RationalInterval.UNIT;
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
     * The interval form for certificates ({@link IntervalActivation}): this activation itself when it
     * is {@link #certifiable()}, refused by name otherwise.
     */
    public IntervalActivation intervalForm() {
        return certifiable(this, "interval certificates");
    }

    /**
     * The rational form the certificate verifier evaluates ({@link RationalActivation}): this
     * activation itself when it is {@link #certifiable()}, refused by name otherwise.
     */
    public RationalActivation rationalForm() {
        return certifiable(this, "the certificate verifier");
    }

    /**
     * True when the activation encloses φ and φ′ in intervals and in rationals, so that MLPs using it
     * can be certified and their certificates verified. An activation becomes certifiable by
     * overriding this and the four enclosure methods.
     */
    public boolean certifiable() {
        return false;
    }

    @Override
    public Interval value(Interval z) {
        throw refused("interval certificates");
    }

    @Override
    public Interval derivative(Interval z) {
        throw refused("interval certificates");
    }

    @Override
    public RationalInterval value(RationalInterval z) {
        throw refused("the certificate verifier");
    }

    @Override
    public RationalInterval derivative(RationalInterval z) {
        throw refused("the certificate verifier");
    }

    private <T> T certifiable(T form, String who) {
        if (!certifiable()) {
            throw refused(who);
        }
        return form;
    }

    private IllegalArgumentException refused(String who) {
        return new IllegalArgumentException(who + " need an activation with interval and rational enclosures; "
                + Names.of(this) + " has none (certifiable: " + String.join(", ", Arrays.stream(values())
                        .filter(Activation::certifiable).map(Names::of).toList()) + ")");
    }

    private static double cdf(double x) {
        return 0.5 * Erfc.value(-x * INV_SQRT_2);
    }
}
