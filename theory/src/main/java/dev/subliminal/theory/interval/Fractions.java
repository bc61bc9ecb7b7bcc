package dev.subliminal.theory.interval;

import dev.subliminal.theory.model.Batch;
import org.apache.commons.numbers.fraction.BigFraction;

/** Doubles as the exact fractions they are, and boxes of them, for exact and rational interval arithmetic. */
public final class Fractions {

    private Fractions() {
    }

    /** Each double as its exact value. */
    public static BigFraction[] exact(double[] v) {
        BigFraction[] out = new BigFraction[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = BigFraction.from(v[i]);
        }
        return out;
    }

    /** The rows of a batch, exactly. */
    public static BigFraction[][] exact(Batch b) {
        BigFraction[][] out = new BigFraction[b.rows()][];
        for (int r = 0; r < b.rows(); r++) {
            out[r] = exact(b.row(r));
        }
        return out;
    }

    /** The degenerate box {v}. */
    public static RationalInterval[] points(BigFraction[] v) {
        RationalInterval[] out = new RationalInterval[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = RationalInterval.point(v[i]);
        }
        return out;
    }

    /** The degenerate box at the exact values of {@code v}. */
    public static RationalInterval[] points(double[] v) {
        return points(exact(v));
    }

    /** The doubles nearest the fractions. */
    public static double[] doubles(BigFraction[] v) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i].doubleValue();
        }
        return out;
    }
}
