package dev.subliminal.lm.transformer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.subliminal.theory.random.Seeds;
import org.apache.commons.rng.UniformRandomProvider;
import org.junit.jupiter.api.Test;

/**
 * Pointwise's array forms of GELU against the scalar formula written here with {@link StrictMath#tanh},
 * and of the shifted exponential against {@link StrictMath#exp}, bit for bit, in both precisions: on about 3 million arguments (where GELU bends, over the whole
 * exponent range, raw bit patterns, specials), at every offset and length around the blocks, with the
 * slope written and accumulated.
 */
class PointwiseTest {

    private static final double C = 0.7978845608028654;
    private static final double A = 0.044715;
    private static final int SIZE = 1031;
    private static final int ROUNDS = 1500;

    private static double gelu(double x) {
        return 0.5 * x * (1 + StrictMath.tanh(C * (x + A * x * x * x)));
    }

    private static double slope(double x) {
        double t = StrictMath.tanh(C * (x + A * x * x * x));
        return 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * C * (1 + 3 * A * x * x);
    }

    private static double argument(UniformRandomProvider rng, int i) {
        return switch (i % 4) {
            case 0 -> rng.nextDouble(-12, 12);
            case 1 -> Math.scalb(1 + rng.nextDouble(), rng.nextInt(-1074, 1024)) * (rng.nextBoolean() ? 1 : -1);
            case 2 -> Double.longBitsToDouble(rng.nextLong());
            default -> new double[] {0.0, -0.0, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
                Double.MIN_VALUE, -Double.MAX_VALUE, 1e-30, -1e30, 9.0, -9.0}[rng.nextInt(11)];
        };
    }

    @Test
    void doubleArraysHaveTheBitsOfTheScalarFormula() {
        UniformRandomProvider rng = Seeds.of(41);
        double[] x = new double[SIZE];
        double[] d = new double[SIZE];
        double[] y = new double[SIZE];
        double[] acc = new double[SIZE];
        for (int round = 0; round < ROUNDS; round++) {
            for (int i = 0; i < SIZE; i++) {
                x[i] = argument(rng, i + round);
                d[i] = rng.nextDouble(-2, 2);
                acc[i] = rng.nextDouble(-2, 2);
            }
            int from = rng.nextInt(40);
            int to = from + rng.nextInt(SIZE - from + 1);
            double[] before = acc.clone();
            double[] in = x.clone();
            Pointwise.gelu(x, y, from, to);
            Pointwise.geluSlope(x, d, acc, from, to, true);
            for (int i = from; i < to; i++) {
                same(y[i], gelu(x[i]), x[i]);
                same(acc[i], before[i] + slope(x[i]) * d[i], x[i]);
            }
            Pointwise.geluSlope(x, d, y, from, to, false);
            for (int i = from; i < to; i++) {
                same(y[i], slope(x[i]) * d[i], x[i]);
            }
            Pointwise.gelu(x, x, from, to); // in place
            for (int i = 0; i < SIZE; i++) {
                same(x[i], i >= from && i < to ? gelu(in[i]) : in[i], in[i]);
            }
        }
    }

    @Test
    void floatArraysHaveTheBitsOfTheScalarFormulaRoundedOnce() {
        UniformRandomProvider rng = Seeds.of(42);
        float[] x = new float[SIZE];
        float[] d = new float[SIZE];
        float[] y = new float[SIZE];
        float[] acc = new float[SIZE];
        for (int round = 0; round < ROUNDS; round++) {
            for (int i = 0; i < SIZE; i++) {
                x[i] = (float) argument(rng, i + round);
                d[i] = (float) rng.nextDouble(-2, 2);
                acc[i] = (float) rng.nextDouble(-2, 2);
            }
            int from = rng.nextInt(40);
            int to = from + rng.nextInt(SIZE - from + 1);
            float[] before = acc.clone();
            float[] in = x.clone();
            Pointwise.gelu(x, y, from, to);
            Pointwise.geluSlope(x, d, acc, from, to, true);
            for (int i = from; i < to; i++) {
                same(y[i], (float) gelu(x[i]), x[i]);
                same(acc[i], before[i] + (float) slope(x[i]) * d[i], x[i]);
            }
            Pointwise.geluSlope(x, d, y, from, to, false);
            for (int i = from; i < to; i++) {
                same(y[i], (float) slope(x[i]) * d[i], x[i]);
            }
            Pointwise.gelu(x, x, from, to); // in place
            for (int i = 0; i < SIZE; i++) {
                same(x[i], i >= from && i < to ? (float) gelu(in[i]) : in[i], in[i]);
            }
        }
    }

    @Test
    void shiftedExponentialsHaveTheBitsOfStrictMathInBothPrecisions() {
        UniformRandomProvider rng = Seeds.of(43);
        double[] x = new double[SIZE];
        float[] f = new float[SIZE];
        for (int round = 0; round < ROUNDS; round++) {
            for (int i = 0; i < SIZE; i++) {
                x[i] = i % 3 == 0 ? rng.nextDouble(-30, 0) : argument(rng, i + round);
                f[i] = (float) x[i];
            }
            double shift = round % 5 == 0 ? Double.NEGATIVE_INFINITY : rng.nextDouble(-20, 20);
            float fShift = (float) shift;
            int from = rng.nextInt(40);
            int to = from + rng.nextInt(SIZE - from + 1);
            double[] xIn = x.clone();
            float[] fIn = f.clone();
            Pointwise.expShifted(x, shift, from, to);
            Pointwise.expShifted(f, fShift, from, to);
            for (int i = 0; i < SIZE; i++) {
                boolean in = i >= from && i < to;
                same(x[i], in ? StrictMath.exp(xIn[i] - shift) : xIn[i], xIn[i]);
                same(f[i], in ? (float) StrictMath.exp(fIn[i] - fShift) : fIn[i], fIn[i]);
            }
        }
    }

    @Test
    void emptyRangesWriteNothing() {
        float[] x = {1, 2};
        Pointwise.gelu(x, x, 1, 1);
        Pointwise.geluSlope(x, x, x, 2, 2, true);
        Pointwise.expShifted(x, 1, 1, 1);
        assertThat(x).containsExactly(1, 2);
    }

    private static void same(double got, double want, double x) {
        if (Double.doubleToLongBits(got) != Double.doubleToLongBits(want)) {
            throw new AssertionError("at x = " + x + ": " + got + " ≠ " + want);
        }
    }

    private static void same(float got, float want, float x) {
        if (Float.floatToIntBits(got) != Float.floatToIntBits(want)) {
            throw new AssertionError("at x = " + x + ": " + got + " ≠ " + want);
        }
    }
}
