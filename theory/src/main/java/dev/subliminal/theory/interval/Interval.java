package dev.subliminal.theory.interval;

/**
 * A closed interval [lo, hi] of reals with outward-rounded arithmetic: every operation rounds its
 * lower endpoint down and its upper endpoint up ({@link Math#nextDown}/{@link Math#nextUp} of the
 * round-to-nearest result), so the result encloses the exact set {x ∘ y : x ∈ X, y ∈ Y}.
 * Transcendental functions are evaluated with {@link StrictMath} and widened by twice their
 * documented error in ulps (twice, because the ulp of the exact value can be twice the ulp of the
 * computed one at a power of two): exp within 1 ulp, tanh within 2.5 ulps.
 *
 * <p>An interval with an infinite or NaN endpoint is never produced silently: callers test
 * {@link #isFinite()} and give up (no certificate) instead.
 *
 * @param lo lower endpoint
 * @param hi upper endpoint, ≥ lo
 */
public record Interval(double lo, double hi) {

    /** [0, 0]. */
    public static final Interval ZERO = new Interval(0, 0);

    /** [1, 1]. */
    public static final Interval ONE = new Interval(1, 1);

    /** ulps by which {@link StrictMath#exp} may be wrong (1, per its specification), doubled. */
    static final int EXP_STEPS = 2;

    /** ulps by which {@link StrictMath#tanh} may be wrong (2.5, per its specification), doubled and rounded up. */
    static final int TANH_STEPS = 5;

    public Interval {
        if (Double.isNaN(lo) || Double.isNaN(hi)) {
            throw new ArithmeticException("an interval endpoint is NaN: the computation overflowed");
        }
        if (lo > hi) {
            throw new IllegalArgumentException("interval [" + lo + ", " + hi + "] is empty");
        }
    }

    /** The degenerate interval [x, x]. */
    public static Interval of(double x) {
        return new Interval(x, x);
    }

    /** The interval spanned by two points in any order. */
    public static Interval hull(double a, double b) {
        return new Interval(Math.min(a, b), Math.max(a, b));
    }

    /** The smallest interval holding both. */
    public Interval hull(Interval o) {
        return new Interval(Math.min(lo, o.lo), Math.max(hi, o.hi));
    }

    /** X + Y. */
    public Interval add(Interval o) {
        return new Interval(Math.nextDown(lo + o.lo), Math.nextUp(hi + o.hi));
    }

    /** X − Y. */
    public Interval subtract(Interval o) {
        return new Interval(Math.nextDown(lo - o.hi), Math.nextUp(hi - o.lo));
    }

    /** −X (exact). */
    public Interval negate() {
        return new Interval(-hi, -lo);
    }

    /** X · Y: the hull of the four endpoint products, rounded outward. */
    public Interval multiply(Interval o) {
        double a = lo * o.lo;
        double b = lo * o.hi;
        double c = hi * o.lo;
        double d = hi * o.hi;
        return new Interval(Math.nextDown(Math.min(Math.min(a, b), Math.min(c, d))),
                Math.nextUp(Math.max(Math.max(a, b), Math.max(c, d))));
    }

    /** X · y for a point y (two products instead of four). */
    public Interval multiply(double y) {
        double a = lo * y;
        double b = hi * y;
        return y >= 0 ? new Interval(Math.nextDown(a), Math.nextUp(b)) : new Interval(Math.nextDown(b), Math.nextUp(a));
    }

    /** X², which unlike X · X is never negative. */
    public Interval square() {
        double a = lo * lo;
        double b = hi * hi;
        if (lo <= 0 && hi >= 0) {
            return new Interval(0, Math.nextUp(Math.max(a, b)));
        }
        return new Interval(Math.max(0, Math.nextDown(Math.min(a, b))), Math.nextUp(Math.max(a, b)));
    }

    /** 1 / X for an X that does not contain 0. */
    public Interval reciprocal() {
        if (lo <= 0 && hi >= 0) {
            throw new ArithmeticException("1/X for X = " + this + " which contains 0");
        }
        return new Interval(Math.nextDown(1 / hi), Math.nextUp(1 / lo));
    }

    /** exp X (exp is increasing), never below 0. */
    public Interval exp() {
        return new Interval(Math.max(0, down(StrictMath.exp(lo), EXP_STEPS)), up(StrictMath.exp(hi), EXP_STEPS));
    }

    /** tanh X (tanh is increasing), within [−1, 1]. */
    public Interval tanh() {
        return new Interval(Math.max(-1, down(StrictMath.tanh(lo), TANH_STEPS)),
                Math.min(1, up(StrictMath.tanh(hi), TANH_STEPS)));
    }

    /** max(0, X) (exact). */
    public Interval relu() {
        return new Interval(Math.max(0, lo), Math.max(0, hi));
    }

    /** Width hi − lo (rounded up). */
    public double width() {
        return Math.nextUp(hi - lo);
    }

    /** True when both endpoints are finite. */
    public boolean isFinite() {
        return Double.isFinite(lo) && Double.isFinite(hi);
    }

    /** True when x ∈ [lo, hi]. */
    public boolean contains(double x) {
        return lo <= x && x <= hi;
    }

    /** True when every point of {@code o} is in this interval. */
    public boolean contains(Interval o) {
        return lo <= o.lo && o.hi <= hi;
    }

    private static double down(double x, int steps) {
        for (int i = 0; i < steps; i++) {
            x = Math.nextDown(x);
        }
        return x;
    }

    private static double up(double x, int steps) {
        for (int i = 0; i < steps; i++) {
            x = Math.nextUp(x);
        }
        return x;
    }

    @Override
    public String toString() {
        return "[" + lo + ", " + hi + "]";
    }
}
