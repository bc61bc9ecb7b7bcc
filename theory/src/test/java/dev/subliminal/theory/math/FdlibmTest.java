package dev.subliminal.theory.math;

import dev.subliminal.theory.random.Seeds;
import java.util.ArrayList;
import java.util.Arrays;
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

    /** Arrays of a length that is no multiple of a vector's, so that every array form ends in scalar code. */
    private static final int SIZE = 4099;

    /** An array form: y[i] = f(x[i]) for from ≤ i < to. */
    @FunctionalInterface
    private interface OfArrays {
        void apply(double[] x, double[] y, int from, int to);
    }

    /** A random argument for position i of an array. */
    @FunctionalInterface
    private interface Draw {
        double next(UniformRandomProvider rng, int i);
    }

    @Test
    void tanhHasTheBitsOfStrictMath() {
        assertSameBits("tanh", Fdlibm::tanh, StrictMath::tanh);
    }

    @Test
    void expm1HasTheBitsOfStrictMath() {
        assertSameBits("expm1", Fdlibm::expm1, StrictMath::expm1);
    }

    /**
     * The array form (whole vectors of the Vector API where the JVM has them; the build runs this again
     * at 128 and 256 bits) against StrictMath on the edges and about 21 million random arguments (uniform
     * where tanh bends, log-uniform magnitudes, raw bit patterns), each at every position of a vector.
     */
    @Test
    void tanhOfArraysHasTheBitsOfStrictMath() {
        Draw draw = (rng, i) -> switch (i % 3) {
            case 0 -> rng.nextDouble(-40, 40);
            case 1 -> signedLogUniform(rng);
            default -> Double.longBitsToDouble(rng.nextLong());
        };
        assertSameBitsOfArrays("tanh", Fdlibm::tanh, StrictMath::tanh, edges(), SEED + 1, 5, draw);
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
            addNeighbours(edges, c, 1, -1);
        }
        Draw draw = (rng, i) -> switch (i % 4) {
            case 0 -> rng.nextDouble(-60, 0);
            case 1 -> rng.nextDouble(-750, 750);
            case 2 -> signedLogUniform(rng);
            default -> Double.longBitsToDouble(rng.nextLong());
        };
        assertSameBitsOfArrays("exp", Fdlibm::exp, StrictMath::exp, edges, SEED + 2, 9, draw);
    }

    /**
     * The array forms write y[from:to] only, with StrictMath's bits there, and in place (x = y) the same,
     * for every length of a last partial vector (which goes through the vector code in a padded copy).
     */
    @Test
    void rangesOfArraysAreTheOnlyEntriesWrittenInPlaceOrNot() {
        UniformRandomProvider rng = Seeds.of(SEED + 3);
        System.out.printf("array ranges: seed %d%n", SEED + 3);
        List<OfArrays> forms = List.of(Fdlibm::tanh, Fdlibm::exp);
        List<DoubleUnaryOperator> stricts = List.of(StrictMath::tanh, StrictMath::exp);
        List<String> names = List.of("tanh", "exp");
        for (int f = 0; f < forms.size(); f++) {
            for (int from = 0; from < 3; from++) {
                for (int to = from; to < from + 21; to++) {
                    double[] x = new double[to + 3];
                    for (int i = 0; i < x.length; i++) {
                        x[i] = rng.nextDouble(-30, 30);
                    }
                    double[] y = new double[x.length];
                    Arrays.fill(y, -7.5);
                    forms.get(f).apply(x, y, from, to);
                    double[] inPlace = x.clone();
                    forms.get(f).apply(inPlace, inPlace, from, to);
                    String range = names.get(f) + " of [" + from + ", " + to + ")";
                    for (int i = 0; i < x.length; i++) {
                        boolean inside = i >= from && i < to;
                        double want = inside ? stricts.get(f).applyAsDouble(x[i]) : -7.5;
                        assertSame(range, i, x[i], y[i], want);
                        assertSame(range + " in place", i, x[i], inPlace[i], inside ? want : x[i]);
                    }
                }
            }
        }
    }

    /**
     * mine against strict on the edges, then on 3·RANDOM random arguments: uniform on [−40, 40],
     * log-uniform magnitudes, raw bit patterns.
     */
    private static void assertSameBits(String name, DoubleUnaryOperator mine, DoubleUnaryOperator strict) {
        List<Double> edges = edges();
        for (double x : edges) {
            assertSame(name, -1, x, mine.applyAsDouble(x), strict.applyAsDouble(x));
        }
        UniformRandomProvider rng = Seeds.of(SEED);
        System.out.printf("%s: %d edge and %d random arguments, seed %d%n", name, edges.size(), 3 * RANDOM, SEED);
        for (int i = 0; i < RANDOM; i++) {
            for (double x : new double[] {rng.nextDouble(-40, 40), signedLogUniform(rng),
                Double.longBitsToDouble(rng.nextLong())}) {
                assertSame(name, -1, x, mine.applyAsDouble(x), strict.applyAsDouble(x));
            }
        }
    }

    /**
     * The array form mine against strict element by element: arrays of SIZE filled with the edges and then
     * with about 3·RANDOM arguments from draw (seeded), evaluated from position block mod offsets on, so
     * that each argument meets every position of a vector.
     */
    private static void assertSameBitsOfArrays(String name, OfArrays mine, DoubleUnaryOperator strict,
            List<Double> edges, long seed, int offsets, Draw draw) {
        UniformRandomProvider rng = Seeds.of(seed);
        double[] x = new double[SIZE];
        double[] y = new double[SIZE];
        int blocks = (3 * RANDOM + edges.size()) / SIZE + 1;
        for (int block = 0, e = 0; block < blocks; block++) {
            for (int i = 0; i < SIZE; i++) {
                x[i] = e < edges.size() ? edges.get(e++) : draw.next(rng, i);
            }
            int from = block % offsets;
            mine.apply(x, y, from, SIZE);
            for (int i = from; i < SIZE; i++) {
                assertSame(name + " of arrays", i, x[i], y[i], strict.applyAsDouble(x[i]));
            }
        }
        System.out.printf("%s of arrays: %d edge and about %d random arguments, seed %d%n", name, edges.size(),
                blocks * SIZE - edges.size(), seed);
    }

    /**
     * got = f(x) has the bits of StrictMath's want (where want is NaN, any NaN); else fails naming f, the
     * position at in an array (none when negative), x and the distance in ulps.
     */
    private static void assertSame(String f, int at, double x, double got, double want) {
        long g = Double.doubleToRawLongBits(got);
        long w = Double.doubleToRawLongBits(want);
        if (g != w && !(Double.isNaN(got) && Double.isNaN(want))) {
            throw new AssertionError(f + (at < 0 ? "" : " at " + at) + "(" + x + " = "
                    + Long.toHexString(Double.doubleToRawLongBits(x)) + "): " + got + " ≠ StrictMath's " + want + " ("
                    + (g - w) + " ulp)");
        }
    }

    /** ±(1 + u)·2ᵉ, u uniform on [0, 1), e uniform on [−1074, 1023]: magnitudes over the whole exponent range. */
    private static double signedLogUniform(UniformRandomProvider rng) {
        return Math.scalb(1 + rng.nextDouble(), rng.nextInt(-1074, 1024)) * (rng.nextBoolean() ? 1 : -1);
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
            addNeighbours(xs, c, 1, -1, 0.5, -0.5);
        }
        return xs;
    }

    /** c and its 63 nearest neighbours above and below, each times every factor (exact: factors ±1, ±1/2). */
    private static void addNeighbours(List<Double> xs, double c, double... factors) {
        double up = c;
        double down = c;
        for (int i = 0; i < 64; i++) {
            for (double x : new double[] {up, down}) {
                for (double factor : factors) {
                    xs.add(x * factor);
                }
            }
            up = Math.nextUp(up);
            down = Math.nextDown(down);
        }
    }
}
