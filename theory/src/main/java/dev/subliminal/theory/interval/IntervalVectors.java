package dev.subliminal.theory.interval;

/** Boxes of parameter vectors: one {@link Interval} per coordinate. */
public final class IntervalVectors {

    private IntervalVectors() {
    }

    /** The degenerate box {θ}. */
    public static Interval[] point(double[] theta) {
        Interval[] box = new Interval[theta.length];
        for (int i = 0; i < theta.length; i++) {
            box[i] = Interval.of(theta[i]);
        }
        return box;
    }

    /**
     * A box holding the segment {θ + s·v : s ∈ [0, t]}: coordinate i is θ_i + [0, t]·v_i, rounded
     * outward.
     */
    public static Interval[] segment(double[] theta, double[] v, double t) {
        return segment(theta, point(v), t);
    }

    /** A box holding {θ + s·b : s ∈ [0, t], b ∈ B} for a box B of directions. */
    public static Interval[] segment(double[] theta, Interval[] directions, double t) {
        requireSameLength(theta.length, directions.length);
        Interval s = Interval.hull(0, t);
        Interval[] box = new Interval[theta.length];
        for (int i = 0; i < theta.length; i++) {
            box[i] = Interval.of(theta[i]).add(s.multiply(directions[i]));
        }
        return box;
    }

    /** Σ_i X_i·Y_i in index order. */
    public static Interval dot(Interval[] x, Interval[] y) {
        requireSameLength(x.length, y.length);
        Interval s = Interval.ZERO;
        for (int i = 0; i < x.length; i++) {
            s = s.add(x[i].multiply(y[i]));
        }
        return s;
    }

    /** A vector of [0, 0]. */
    public static Interval[] zeros(int n) {
        Interval[] out = new Interval[n];
        java.util.Arrays.fill(out, Interval.ZERO);
        return out;
    }

    private static void requireSameLength(int a, int b) {
        if (a != b) {
            throw new IllegalArgumentException("vector lengths differ: " + a + " and " + b);
        }
    }
}
