package dev.subliminal.theory.interval;

import dev.subliminal.theory.model.Batch;
import java.util.Arrays;
import java.util.stream.IntStream;
import org.apache.commons.numbers.fraction.BigFraction;

/** Doubles as the exact fractions they are, and boxes of them, for exact and rational interval arithmetic. */
public final class Fractions {

    private Fractions() {
    }

    /** Each double as its exact value. */
    public static BigFraction[] exact(double[] v) {
        return Arrays.stream(v).mapToObj(BigFraction::from).toArray(BigFraction[]::new);
    }

    /** The rows of a batch, exactly. */
    public static BigFraction[][] exact(Batch b) {
        return IntStream.range(0, b.rows()).mapToObj(r -> exact(b.row(r))).toArray(BigFraction[][]::new);
    }

    /** The degenerate box {v}. */
    public static RationalInterval[] points(BigFraction[] v) {
        return Arrays.stream(v).map(RationalInterval::point).toArray(RationalInterval[]::new);
    }

    /** The degenerate box at the exact values of {@code v}. */
    public static RationalInterval[] points(double[] v) {
        return points(exact(v));
    }

    /** The doubles nearest the fractions. */
    public static double[] doubles(BigFraction[] v) {
        return Arrays.stream(v).mapToDouble(BigFraction::doubleValue).toArray();
    }
}
