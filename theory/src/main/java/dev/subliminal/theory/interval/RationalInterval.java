package dev.subliminal.theory.interval;

import java.math.BigInteger;
import org.apache.commons.numbers.fraction.BigFraction;

/**
 * An interval [lo, hi] with exact rational endpoints, for the independent re-check of certificates:
 * sums, differences and products are exact; only the transcendental functions round, outward, to
 * doubles (exp widened by 2 ulps and tanh by 5, twice their documented errors of 1 and 2.5 ulps, as
 * in {@link Interval}). {@link #outward()} rounds an interval out to double endpoints, which keeps
 * fractions short where exactness is not needed.
 *
 * @param lo lower endpoint
 * @param hi upper endpoint, ≥ lo
 */
public record RationalInterval(BigFraction lo, BigFraction hi) {

    /** [0, 0]. */
    public static final RationalInterval ZERO = point(BigFraction.ZERO);

    /** [1, 1]. */
    public static final RationalInterval ONE = point(BigFraction.ONE);

    /** [0, 1]. */
    public static final RationalInterval UNIT = new RationalInterval(BigFraction.ZERO, BigFraction.ONE);

    public RationalInterval {
        if (less(hi, lo)) {
            throw new IllegalStateException("empty interval [" + lo + ", " + hi + "]");
        }
    }

    /** The degenerate interval [x, x]. */
    public static RationalInterval point(BigFraction x) {
        return new RationalInterval(x, x);
    }

    /** The degenerate interval at the exact value of a double. */
    public static RationalInterval point(double x) {
        return point(BigFraction.from(x));
    }

    /** The hull of two points in any order. */
    public static RationalInterval hull(BigFraction a, BigFraction b) {
        return less(a, b) ? new RationalInterval(a, b) : new RationalInterval(b, a);
    }

    /** X + Y. */
    public RationalInterval add(RationalInterval o) {
        return new RationalInterval(lo.add(o.lo), hi.add(o.hi));
    }

    /** X − Y. */
    public RationalInterval subtract(RationalInterval o) {
        return new RationalInterval(lo.subtract(o.hi), hi.subtract(o.lo));
    }

    /** X · Y: the hull of the four endpoint products. */
    public RationalInterval multiply(RationalInterval o) {
        BigFraction[] p = {lo.multiply(o.lo), lo.multiply(o.hi), hi.multiply(o.lo), hi.multiply(o.hi)};
        BigFraction min = p[0];
        BigFraction max = p[0];
        for (BigFraction x : p) {
            min = less(x, min) ? x : min;
            max = less(max, x) ? x : max;
        }
        return new RationalInterval(min, max);
    }

    /** X · c. */
    public RationalInterval multiply(BigFraction c) {
        return multiply(point(c));
    }

    /** X², which unlike X · X is never negative. */
    public RationalInterval square() {
        BigFraction a = lo.multiply(lo);
        BigFraction b = hi.multiply(hi);
        BigFraction max = less(a, b) ? b : a;
        if (lo.signum() <= 0 && hi.signum() >= 0) {
            return new RationalInterval(BigFraction.ZERO, max);
        }
        return new RationalInterval(less(a, b) ? a : b, max);
    }

    /** 1/X for X > 0. */
    public RationalInterval reciprocalOfPositive() {
        if (lo.signum() <= 0) {
            throw new IllegalStateException("1/X needs X > 0, got " + this);
        }
        return new RationalInterval(hi.reciprocal(), lo.reciprocal());
    }

    /** The interval rounded outward to double endpoints (an enclosure with short fractions). */
    public RationalInterval outward() {
        return new RationalInterval(BigFraction.from(down(lo)), BigFraction.from(up(hi)));
    }

    /** Clipped to [a, b]; used where the exact value is known to lie there (a softmax, tanh′). */
    public RationalInterval clip(BigFraction a, BigFraction b) {
        BigFraction l = less(lo, a) ? a : lo;
        BigFraction h = less(b, hi) ? b : hi;
        return less(h, l) ? hull(l, l) : new RationalInterval(l, h);
    }

    /** exp X (exp is increasing), never below 0. */
    public RationalInterval exp() {
        return new RationalInterval(BigFraction.from(Math.max(0, steps(StrictMath.exp(down(lo)), -2))),
                BigFraction.from(finite(steps(StrictMath.exp(up(hi)), 2))));
    }

    /** tanh X (tanh is increasing), within [−1, 1]. */
    public RationalInterval tanh() {
        return new RationalInterval(BigFraction.from(Math.max(-1, steps(StrictMath.tanh(down(lo)), -5))),
                BigFraction.from(Math.min(1, steps(StrictMath.tanh(up(hi)), 5))));
    }

    /** max(0, X) (exact). */
    public RationalInterval relu() {
        return new RationalInterval(lo.signum() > 0 ? lo : BigFraction.ZERO, hi.signum() > 0 ? hi : BigFraction.ZERO);
    }

    /** True when every point is > 0. */
    public boolean positive() {
        return lo.signum() > 0;
    }

    /** True when every point is < 0. */
    public boolean negative() {
        return hi.signum() < 0;
    }

    /** True when lo = hi. */
    public boolean isPoint() {
        return lo.equals(hi);
    }

    /** True when x ∈ [lo, hi]. */
    public boolean contains(double x) {
        BigFraction f = BigFraction.from(x);
        return !less(f, lo) && !less(hi, f);
    }

    /** True when every point of this interval lies in [a, b]. */
    public boolean within(double a, double b) {
        return !less(lo, BigFraction.from(a)) && !less(BigFraction.from(b), hi);
    }

    /** a < b. ({@code BigFraction.compareTo} in Commons Numbers 1.2 orders negative values by magnitude.) */
    public static boolean less(BigFraction a, BigFraction b) {
        BigInteger left = a.getNumerator().multiply(b.getDenominator());
        BigInteger right = b.getNumerator().multiply(a.getDenominator());
        return a.getDenominator().signum() * b.getDenominator().signum() > 0 ? left.compareTo(right) < 0
                : left.compareTo(right) > 0;
    }

    /** The largest double ≤ x; fails on overflow. */
    public static double down(BigFraction x) {
        double d = x.doubleValue();
        if (less(x, BigFraction.from(finite(d)))) {
            d = Math.nextDown(d);
        }
        return finite(d);
    }

    /** The smallest double ≥ x; fails on overflow. */
    public static double up(BigFraction x) {
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

    @Override
    public String toString() {
        return "[" + lo.doubleValue() + ", " + hi.doubleValue() + "]";
    }
}
