package dev.subliminal.theory.math;

import static org.assertj.core.api.Assertions.assertThat;

import dev.subliminal.theory.random.Seeds;
import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleUnaryOperator;
import org.apache.commons.rng.UniformRandomProvider;
import org.junit.jupiter.api.Test;

/**
 * {@link Fdlibm} against the JDK's {@link StrictMath} (native fdlibm), bit for bit (0 ulp): on every
 * branch boundary of both algorithms and its neighbours, on special values, and on 21 million random
 * arguments per function drawn three ways (uniform where the functions bend, log-uniform magnitudes
 * over the whole exponent range, raw bit patterns).
 */
class FdlibmTest {

    private static final long SEED = 20261203L;
    private static final int RANDOM = 7_000_000;

    /** High words at which a branch of tanh, expm1 or exp starts (fdlibm's thresholds). */
    private static final int[] HIGH_WORDS = {0x3c800000, 0x3c900000, 0x3e300000, 0x3fd62e42, 0x3ff00000, 0x3FF0A2B2, 0x40360000,
        0x4043687A, 0x40862E42, 0x7ff00000};

    @Test
    void tanhHasTheBitsOfStrictMath() {
        assertSameBits("tanh", Fdlibm::tanh, StrictMath::tanh);
    }

    /**
     * The array form (whole vectors of the Vector API where the JVM has them; the build runs this again
     * at 128 and 256 bits) against StrictMath on the same arguments, each at every position of a vector.
     */
    @Test
    void tanhOfArraysHasTheBitsOfStrictMath() {
        List<Double> edges = edges();
        UniformRandomProvider rng = Seeds.of(SEED + 1);
        int size = 4099;
        double[] x = new double[size];
        double[] y = new double[size];
        int blocks = (3 * RANDOM + edges.size()) / size + 1;
        for (int block = 0, e = 0; block < blocks; block++) {
            for (int i = 0; i < size; i++) {
                x[i] = e < edges.size() ? edges.get(e++) : switch (i % 3) {
                    case 0 -> rng.nextDouble(-40, 40);
                    case 1 -> Math.scalb(1 + rng.nextDouble(), rng.nextInt(-1074, 1024)) * (rng.nextBoolean() ? 1 : -1);
                    default -> Double.longBitsToDouble(rng.nextLong());
                };
            }
            int from = block % 5;
            Fdlibm.tanh(x, y, from, size);
            for (int i = from; i < size; i++) {
                long want = Double.doubleToRawLongBits(StrictMath.tanh(x[i]));
                if (Double.doubleToRawLongBits(y[i]) != want && !Double.isNaN(x[i])) {
                    throw new AssertionError("tanh of arrays at " + i + "(" + x[i] + "): " + y[i] + " ≠ StrictMath's "
                            + Double.longBitsToDouble(want));
                }
            }
        }
        System.out.printf("tanh of arrays: %d edge and about %d random arguments, seed %d%n", edges.size(),
                blocks * size - edges.size(), SEED + 1);
    }

    /**
     * exp of arrays (whole vectors where the JVM has them; the build runs this again at 128 and 256 bits)
     * against StrictMath.exp: the edges, exp's own thresholds (2⁻²⁸, the ranges' ends ±700, overflow and
     * underflow) and their neighbours, and about 21 million random arguments (uniform over a softmax's
     * range [−60, 0] and over [−750, 750], log-uniform magnitudes, raw bit patterns), each at every position
     * of a vector.
     */
    @Test
    void expOfArraysHasTheBitsOfStrictMath() {
        List<Double> edges = edges();
        for (double c : new double[] {0x1p-28, 700, 7.09782712893383973096e+02, 7.45133219101941108420e+02,
            1021 * Math.log(2)}) {
            double up = c;
            double down = c;
            for (int i = 0; i < 64; i++) {
                for (double x : new double[] {up, down}) {
                    edges.add(x);
                    edges.add(-x);
                }
                up = Math.nextUp(up);
                down = Math.nextDown(down);
            }
        }
        UniformRandomProvider rng = Seeds.of(SEED + 2);
        int size = 4099;
        double[] x = new double[size];
        double[] y = new double[size];
        int blocks = (3 * RANDOM + edges.size()) / size + 1;
        for (int block = 0, e = 0; block < blocks; block++) {
            for (int i = 0; i < size; i++) {
                x[i] = e < edges.size() ? edges.get(e++) : switch (i % 4) {
                    case 0 -> rng.nextDouble(-60, 0);
                    case 1 -> rng.nextDouble(-750, 750);
                    case 2 -> Math.scalb(1 + rng.nextDouble(), rng.nextInt(-1074, 1024)) * (rng.nextBoolean() ? 1 : -1);
                    default -> Double.longBitsToDouble(rng.nextLong());
                };
            }
            int from = block % 9;
            Fdlibm.exp(x, y, from, size);
            for (int i = from; i < size; i++) {
                long want = Double.doubleToRawLongBits(StrictMath.exp(x[i]));
                if (Double.doubleToRawLongBits(y[i]) != want && !Double.isNaN(x[i])) {
                    throw new AssertionError("exp of arrays at " + i + " (" + x[i] + " = "
                            + Long.toHexString(Double.doubleToRawLongBits(x[i])) + "): " + y[i] + " ≠ StrictMath's "
                            + Double.longBitsToDouble(want));
                }
            }
        }
        System.out.printf("exp of arrays: %d edge and about %d random arguments, seed %d%n", edges.size(),
                blocks * size - edges.size(), SEED + 2);
    }

    @Test
    void expm1HasTheBitsOfStrictMath() {
        assertSameBits("expm1", Fdlibm::expm1, StrictMath::expm1);
    }

    private static void assertSameBits(String name, DoubleUnaryOperator mine, DoubleUnaryOperator strict) {
        List<Double> edges = edges();
        for (double x : edges) {
            assertSame(name, mine, strict, x);
        }
        UniformRandomProvider rng = Seeds.of(SEED);
        System.out.printf("%s: %d edge and %d random arguments, seed %d%n", name, edges.size(), 3 * RANDOM, SEED);
        for (int i = 0; i < RANDOM; i++) {
            assertSame(name, mine, strict, rng.nextDouble(-40, 40));
            double magnitude = Math.scalb(1 + rng.nextDouble(), rng.nextInt(-1074, 1024));
            assertSame(name, mine, strict, rng.nextBoolean() ? magnitude : -magnitude);
            assertSame(name, mine, strict, Double.longBitsToDouble(rng.nextLong()));
        }
    }

    private static void assertSame(String name, DoubleUnaryOperator mine, DoubleUnaryOperator strict, double x) {
        long got = Double.doubleToRawLongBits(mine.applyAsDouble(x));
        long want = Double.doubleToRawLongBits(strict.applyAsDouble(x));
        if (got != want && !(Double.isNaN(Double.longBitsToDouble(got)) && Double.isNaN(Double.longBitsToDouble(want)))) {
            throw new AssertionError(name + "(" + x + " = " + Long.toHexString(Double.doubleToRawLongBits(x)) + "): "
                    + Double.longBitsToDouble(got) + " ≠ StrictMath's " + Double.longBitsToDouble(want) + " ("
                    + (got - want) + " ulp)");
        }
    }

    /** Special values, and 64 neighbours on each side of every threshold and of k·ln 2 / 2 for k up to 2,100. */
    private static List<Double> edges() {
        List<Double> xs = new ArrayList<>(List.of(0.0, -0.0, Double.MIN_VALUE, -Double.MIN_VALUE, Double.MIN_NORMAL,
                Double.MAX_VALUE, -Double.MAX_VALUE, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN,
                7.09782712893383973096e+02, 1.0, -1.0, 22.0, -22.0, 0.25, -0.25));
        List<Double> centres = new ArrayList<>();
        for (int high : HIGH_WORDS) {
            centres.add(Double.longBitsToDouble((long) high << 32));
        }
        for (int k = 1; k <= 2100; k++) {
            centres.add(k * Math.log(2) / 2);
        }
        for (double c : centres) {
            double up = c;
            double down = c;
            for (int i = 0; i < 64; i++) {
                for (double x : new double[] {up, down}) {
                    xs.add(x);
                    xs.add(-x);
                    xs.add(x / 2);
                    xs.add(-x / 2);
                }
                up = Math.nextUp(up);
                down = Math.nextDown(down);
            }
        }
        return xs;
    }
}
