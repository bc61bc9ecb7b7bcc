package dev.subliminal.experiments.certify;

import java.math.BigInteger;
import org.apache.commons.numbers.fraction.BigFraction;

/**
 * An interval with exact rational endpoints, for the independent re-check of certificates: sums,
 * differences and products are exact; only the transcendental functions round, outward, to doubles
 * (exp widened by 2 ulps and tanh by 5, twice their documented errors of 1 and 2.5 ulps).
 *
 * @param lo lower endpoint
 * @param hi upper endpoint
 */
record RationalInterval(BigFraction lo, BigFraction hi) {

    static final RationalInterval ZERO = point(BigFraction.ZERO);
    static final RationalInterval ONE = point(BigFraction.ONE);

    RationalInterval {
        if (less(hi, lo)) {
            throw new IllegalStateException("empty interval [" + lo + ", " + hi + "]");
        }
    }

    static RationalInterval point(BigFraction x) {
        return new RationalInterval(x, x);
    }

    static RationalInterval point(double x) {
        return point(BigFraction.from(x));
    }

    /** The hull of two points in any order. */
    static RationalInterval hull(BigFraction a, BigFraction b) {
        return less(a, b) ? new RationalInterval(a, b) : new RationalInterval(b, a);
    }

    RationalInterval add(RationalInterval o) {
        return new RationalInterval(lo.add(o.lo), hi.add(o.hi));
    }

    RationalInterval subtract(RationalInterval o) {
        return new RationalInterval(lo.subtract(o.hi), hi.subtract(o.lo));
    }

    RationalInterval multiply(RationalInterval o) {
        BigFraction[] p = {lo.multiply(o.lo), lo.multiply(o.hi), hi.multiply(o.lo), hi.multiply(o.hi)};
        BigFraction min = p[0];
        BigFraction max = p[0];
        for (BigFraction x : p) {
            min = less(x, min) ? x : min;
            max = less(max, x) ? x : max;
        }
        return new RationalInterval(min, max);
    }

    RationalInterval multiply(BigFraction c) {
        return multiply(point(c));
    }

    /** 1/X for X > 0. */
    RationalInterval reciprocalOfPositive() {
        if (lo.signum() <= 0) {
            throw new IllegalStateException("1/X needs X > 0, got " + this);
        }
        return new RationalInterval(hi.reciprocal(), lo.reciprocal());
    }

    /** The interval rounded outward to double endpoints (an enclosure with short fractions). */
    RationalInterval outward() {
        return new RationalInterval(BigFraction.from(down(lo)), BigFraction.from(up(hi)));
    }

    /** Clipped to [a, b]; used where the exact value is known to lie there (a softmax, tanh′). */
    RationalInterval clip(BigFraction a, BigFraction b) {
        BigFraction l = less(lo, a) ? a : lo;
        BigFraction h = less(b, hi) ? b : hi;
        return less(h, l) ? hull(l, l) : new RationalInterval(l, h);
    }

    RationalInterval exp() {
        return new RationalInterval(BigFraction.from(Math.max(0, steps(StrictMath.exp(down(lo)), -2))),
                BigFraction.from(finite(steps(StrictMath.exp(up(hi)), 2))));
    }

    RationalInterval tanh() {
        return new RationalInterval(BigFraction.from(Math.max(-1, steps(StrictMath.tanh(down(lo)), -5))),
                BigFraction.from(Math.min(1, steps(StrictMath.tanh(up(hi)), 5))));
    }

    /** True when every point is > 0. */
    boolean positive() {
        return lo.signum() > 0;
    }

    /** True when every point is < 0. */
    boolean negative() {
        return hi.signum() < 0;
    }

    /** a < b. ({@code BigFraction.compareTo} in Commons Numbers 1.2 orders negative values by magnitude.) */
    static boolean less(BigFraction a, BigFraction b) {
        BigInteger left = a.getNumerator().multiply(b.getDenominator());
        BigInteger right = b.getNumerator().multiply(a.getDenominator());
        return a.getDenominator().signum() * b.getDenominator().signum() > 0 ? left.compareTo(right) < 0
                : left.compareTo(right) > 0;
    }

    /** The largest double ≤ x; fails on overflow. */
    static double down(BigFraction x) {
        double d = x.doubleValue();
        if (less(x, BigFraction.from(finite(d)))) {
            d = Math.nextDown(d);
        }
        return finite(d);
    }

    /** The smallest double ≥ x; fails on overflow. */
    static double up(BigFraction x) {
        double d = x.doubleValue();
        if (less(BigFraction.from(finite(d)), x)) {
            d = Math.nextUp(d);
        }
        return finite(d);
    }

    private static double finite(double d) {
        if (!Double.isFinite(d)) {
            throw new ArithmeticException("a value overflows a double");
        }
        return d;
    }

    private static double steps(double x, int k) {
        for (int i = 0; i < Math.abs(k); i++) {
            x = k > 0 ? Math.nextUp(x) : Math.nextDown(x);
        }
        return x;
    }

    double width() {
        return hi.subtract(lo).doubleValue();
    }

    @Override
    public String toString() {
        return "[" + lo.doubleValue() + ", " + hi.doubleValue() + "]";
    }
}
