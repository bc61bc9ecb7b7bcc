package dev.subliminal.simulation.mlp;

import dev.subliminal.spec.Names;
import dev.subliminal.theory.interval.ActivationForm;
import dev.subliminal.theory.interval.Interval;
import dev.subliminal.theory.interval.RationalInterval;
import dev.subliminal.theory.math.Fdlibm;
import java.util.Arrays;
import org.apache.commons.numbers.fraction.BigFraction;
import org.apache.commons.numbers.gamma.Erfc;

/**
 * Hidden-layer activations φ with their derivatives φ′, as PyTorch defines them. Transcendental
 * functions use {@link StrictMath}, or {@link Fdlibm}'s evaluation of the same algorithm in Java (for
 * tanh: the same bits, inlined), so results are bit-identical across platforms.
 *
 * <p>A {@link #certifiable()} activation also encloses φ and φ′ over intervals (its
 * {@link #intervalForm()}, for the certifier) and over rational intervals (its {@link #rationalForm()},
 * for the independent verifier); the others refuse both by name.
 */
public enum Activation {

    /** φ(x) = tanh x, φ′ = 1 − tanh² x; certifiable: tanh Z, and 1 − tanh(Z)² clipped to [0, 1]. */
    TANH(new ActivationForm<>(Interval::tanh, Activation::tanhSlope),
            new ActivationForm<>(RationalInterval::tanh, Activation::tanhSlope)) {
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

    /**
     * φ(x) = max(0, x), φ′ = 1 for x > 0 and 0 otherwise (PyTorch's convention at 0); certifiable:
     * max(Z, 0), and φ′ enclosed by {0}, {1}, or [0, 1] (both one-sided slopes) when Z holds the kink.
     */
    RELU(new ActivationForm<>(Interval::relu, Activation::reluSlope),
            new ActivationForm<>(RationalInterval::relu, Activation::reluSlope)) {
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
    GELU(null, null) {
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
    SOFTPLUS(null, null) {
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

    /** y[i] = φ(x[i]) rounded to float, for from ≤ i < to: the float twin's activation. */
    public void values(float[] x, float[] y, int from, int to) {
        for (int i = from; i < to; i++) {
            y[i] = (float) value(x[i]);
        }
    }

    /**
     * φ′(x) given y = φ(x): for tanh 1 − y², the value {@link #derivative(double)} gives without a
     * second tanh; for the others φ′(x).
     */
    public double derivative(double x, double y) {
        return this == TANH ? 1 - y * y : derivative(x);
    }

    private final ActivationForm<Interval> interval;
    private final ActivationForm<RationalInterval> rational;

    Activation(ActivationForm<Interval> interval, ActivationForm<RationalInterval> rational) {
        this.interval = interval;
        this.rational = rational;
    }

    /** The interval form for the certifier; refused by name when the activation has none. */
    public ActivationForm<Interval> intervalForm() {
        return require(interval, "interval certificates");
    }

    /** The rational form the certificate verifier evaluates; refused by name when the activation has none. */
    public ActivationForm<RationalInterval> rationalForm() {
        return require(rational, "the certificate verifier");
    }

    /**
     * True when the activation has both forms, so that MLPs using it can be certified and their
     * certificates verified. An activation becomes certifiable by giving both to its constructor.
     */
    public boolean certifiable() {
        return interval != null && rational != null;
    }

    private <T> ActivationForm<T> require(ActivationForm<T> form, String who) {
        if (!certifiable()) {
            throw new IllegalArgumentException(who + " need an activation with interval and rational enclosures; "
                    + Names.of(this) + " has none (certifiable: " + String.join(", ", Arrays.stream(values())
                            .filter(Activation::certifiable).map(Names::of).toList()) + ")");
        }
        return form;
    }

    /** 1 − tanh(Z)², clipped to [0, 1] where tanh′ lies. */
    private static Interval tanhSlope(Interval z) {
        Interval d = Interval.ONE.subtract(z.tanh().square());
        return new Interval(Math.max(0, d.lo()), Math.min(1, d.hi()));
    }

    private static RationalInterval tanhSlope(RationalInterval z) {
        return RationalInterval.ONE.subtract(z.tanh().square()).clip(BigFraction.ZERO, BigFraction.ONE);
    }

    private static Interval reluSlope(Interval z) {
        return z.lo() > 0 ? Interval.ONE : z.hi() < 0 ? Interval.ZERO : new Interval(0, 1);
    }

    private static RationalInterval reluSlope(RationalInterval z) {
        return z.positive() ? RationalInterval.ONE : z.negative() ? RationalInterval.ZERO : RationalInterval.UNIT;
    }

    private static double cdf(double x) {
        return 0.5 * Erfc.value(-x * INV_SQRT_2);
    }
}
