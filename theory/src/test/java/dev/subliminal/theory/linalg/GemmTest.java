package dev.subliminal.theory.linalg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.subliminal.theory.property.Generator;
import dev.subliminal.theory.property.Outcome;
import dev.subliminal.theory.property.PropertyCheck;
import dev.subliminal.theory.random.Seeds;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.apache.commons.rng.UniformRandomProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Gemm against its slow twin: plain loops that compute each element in the documented order
 * (fma over p = 0..k−1, then α·s + β·c), which the fast kernels must match bit for bit; and against
 * independent references (exact integer sums, an exact BigDecimal sum with the standard error bound
 * |ĉ − c| ≤ γ_k Σ_p |a_ip b_pj|, γ_k = k·u/(1 − k·u)).
 */
class GemmTest {

    /**
     * One product: transposes, sizes, padding of each row stride beyond the row length, offsets,
     * α, β, and the seed of its values.
     */
    record Case(boolean transA, boolean transB, int m, int n, int k, int padA, int padB, int padC, int offA,
            int offB, int offC, double alpha, double beta, long seed) {

        int rowsA() {
            return transA ? k : m;
        }

        int lda() {
            return Math.max(1, transA ? m : k) + padA;
        }

        int rowsB() {
            return transB ? n : k;
        }

        int ldb() {
            return Math.max(1, transB ? k : n) + padB;
        }

        int ldc() {
            return Math.max(1, n) + padC;
        }

        Case withSizes(int m2, int n2, int k2) {
            return new Case(transA, transB, m2, n2, k2, padA, padB, padC, offA, offB, offC, alpha, beta, seed);
        }

        double[] values(String name, int rows, int ld, int off, boolean integers) {
            UniformRandomProvider rng = Seeds.stream(seed, name);
            double[] x = new double[off + rows * ld + 3];
            for (int i = 0; i < x.length; i++) {
                x[i] = integers ? rng.nextInt(17) - 8 : rng.nextDouble() * 2 - 1;
            }
            return x;
        }
    }

    /** Sizes up to 300 that cross every tile boundary, with edge cases 0 and 1. */
    static final class Cases implements Generator<Case> {
        private static final int[] SIZES = {0, 1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 23, 24, 25, 31, 32, 33, 47, 48, 49,
            63, 64, 65, 96, 127, 129, 255, 257, 300};

        @Override
        public Case generate(UniformRandomProvider rng) {
            int m = SIZES[rng.nextInt(SIZES.length)];
            int n = SIZES[rng.nextInt(SIZES.length)];
            int k = SIZES[rng.nextInt(SIZES.length)];
            double[] scalars = {0, 1, -1, 0.5, 2.75};
            return new Case(rng.nextBoolean(), rng.nextBoolean(), m, n, k, rng.nextInt(3), rng.nextInt(3),
                    rng.nextInt(3), rng.nextInt(5), rng.nextInt(5), rng.nextInt(5), scalars[1 + rng.nextInt(4)],
                    scalars[rng.nextInt(5)], rng.nextLong());
        }

        @Override
        public List<Case> edgeCases() {
            List<Case> cases = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                boolean ta = (t & 1) != 0;
                boolean tb = (t & 2) != 0;
                cases.add(new Case(ta, tb, 0, 3, 2, 0, 0, 0, 0, 0, 0, 1, 0, t));
                cases.add(new Case(ta, tb, 3, 0, 2, 0, 0, 0, 0, 0, 0, 1, 0, t));
                cases.add(new Case(ta, tb, 3, 2, 0, 0, 0, 0, 0, 0, 0, 1, 0.5, t));
                cases.add(new Case(ta, tb, 1, 1, 1, 0, 0, 0, 0, 0, 0, 1, 0, t));
                cases.add(new Case(ta, tb, 1, 37, 19, 1, 0, 2, 3, 1, 0, -1, 1, t));
                cases.add(new Case(ta, tb, 37, 1, 19, 0, 2, 0, 0, 4, 1, 2.75, 0, t));
                // more terms than a KC block at 128 and 512 bits (336 to 512), and narrow outputs that take the
                // edge kernels
                cases.add(new Case(ta, tb, 19, 29, 1100, 1, 0, 2, 3, 1, 0, 1, 0.5, t));
                // more columns than one packed block of B holds for k = 2100 (8 MiB): several blocks; and more terms
                // than a KC block at 256 bits (2,048 with panels of B in a level-2 cache of 1 MiB or more)
                cases.add(new Case(ta, tb, 5, 1000, 2100, 0, 1, 1, 2, 3, 1, 1, 0.5, t));
                // a long k (a product over a vocabulary): blocks of at least Blocking.MIN_COLUMNS columns, packed
                // into a buffer above 8 MiB of its own, two of them
                cases.add(new Case(ta, tb, 3, 600, 5000, 1, 0, 2, 0, 1, 0, 1, 0.5, t));
                cases.add(new Case(ta, tb, 70, 13, 260, 0, 1, 0, 2, 0, 1, 1, 0, t));
                cases.add(new Case(ta, tb, 13, 70, 260, 0, 1, 0, 2, 0, 1, 1, 0, t));
            }
            return cases;
        }

        @Override
        public Stream<Case> shrink(Case c) {
            return Stream.of(c.withSizes(c.m() / 2, c.n(), c.k()), c.withSizes(c.m(), c.n() / 2, c.k()),
                    c.withSizes(c.m(), c.n(), c.k() / 2)).filter(s -> !s.equals(c));
        }
    }

    private static double[] dgemm(Gemm gemm, Case c, double[] a, double[] b, double[] c0) {
        double[] out = c0.clone();
        gemm.dgemm(c.transA(), c.transB(), c.m(), c.n(), c.k(), c.alpha(), a, c.offA(), c.lda(), b, c.offB(), c.ldb(),
                c.beta(), out, c.offC(), c.ldc());
        return out;
    }

    private static float[] sgemm(Gemm gemm, Case c, float[] a, float[] b, float[] c0) {
        float[] out = c0.clone();
        gemm.sgemm(c.transA(), c.transB(), c.m(), c.n(), c.k(), (float) c.alpha(), a, c.offA(), c.lda(), b, c.offB(),
                c.ldb(), (float) c.beta(), out, c.offC(), c.ldc());
        return out;
    }

    /** The slow twin in double: the documented order, with plain loops. */
    private static double[] twin(Case c, double[] a, double[] b, double[] c0) {
        double[] out = c0.clone();
        for (int i = 0; i < c.m(); i++) {
            for (int j = 0; j < c.n(); j++) {
                double s = 0;
                for (int p = 0; p < c.k(); p++) {
                    s = Math.fma(elementA(c, a, i, p), elementB(c, b, p, j), s);
                }
                int at = c.offC() + i * c.ldc() + j;
                out[at] = c.beta() == 0 ? c.alpha() * s : c.alpha() * s + c.beta() * out[at];
            }
        }
        return out;
    }

    /** The slow twin in float. */
    private static float[] twin(Case c, float[] a, float[] b, float[] c0) {
        float[] out = c0.clone();
        float alpha = (float) c.alpha();
        float beta = (float) c.beta();
        for (int i = 0; i < c.m(); i++) {
            for (int j = 0; j < c.n(); j++) {
                float s = 0;
                for (int p = 0; p < c.k(); p++) {
                    int ai = c.offA() + (c.transA() ? p * c.lda() + i : i * c.lda() + p);
                    int bi = c.offB() + (c.transB() ? j * c.ldb() + p : p * c.ldb() + j);
                    s = Math.fma(a[ai], b[bi], s);
                }
                int at = c.offC() + i * c.ldc() + j;
                out[at] = beta == 0 ? alpha * s : alpha * s + beta * out[at];
            }
        }
        return out;
    }

    private static double elementA(Case c, double[] a, int i, int p) {
        return a[c.offA() + (c.transA() ? p * c.lda() + i : i * c.lda() + p)];
    }

    private static double elementB(Case c, double[] b, int p, int j) {
        return b[c.offB() + (c.transB() ? j * c.ldb() + p : p * c.ldb() + j)];
    }

    private static float[] toFloat(double[] x) {
        float[] f = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            f[i] = (float) x[i];
        }
        return f;
    }

    private static void assertPassed(Outcome<Case> outcome, String claim) {
        assertThat(outcome.passed()).as(() -> outcome.report(claim)).isTrue();
    }

    private static void dgemmEqualsTwin(Gemm gemm, Case c) {
        double[] a = c.values("a", c.rowsA(), c.lda(), c.offA(), false);
        double[] b = c.values("b", c.rowsB(), c.ldb(), c.offB(), false);
        double[] c0 = c.values("c", c.m(), c.ldc(), c.offC(), false);
        double[] got = dgemm(gemm, c, a, b, c0);
        double[] want = twin(c, a, b, c0);
        if (!Arrays.equals(got, want)) {
            int i = Arrays.mismatch(got, want);
            throw new AssertionError("index " + i + ": " + got[i] + " ≠ " + want[i]);
        }
    }

    private static void sgemmEqualsTwin(Gemm gemm, Case c) {
        float[] a = toFloat(c.values("a", c.rowsA(), c.lda(), c.offA(), false));
        float[] b = toFloat(c.values("b", c.rowsB(), c.ldb(), c.offB(), false));
        float[] c0 = toFloat(c.values("c", c.m(), c.ldc(), c.offC(), false));
        float[] got = sgemm(gemm, c, a, b, c0);
        float[] want = twin(c, a, b, c0);
        if (!Arrays.equals(got, want)) {
            int i = Arrays.mismatch(got, want);
            throw new AssertionError("index " + i + ": " + got[i] + " ≠ " + want[i]);
        }
    }

    /**
     * The vector width this JVM offers (the build runs this class again with -XX:MaxVectorSize=16 and
     * 32, see theory/pom.xml): printed, and no wider than the run asked for in {@code gemm.maxBits}.
     */
    @Test
    void runsAtTheVectorWidthTheJvmOffers() {
        assertThat(Tiles.VECTOR_API).as("the build runs the tests with the Vector API module").isTrue();
        System.out.println("GemmTest at " + Gemm.vectorWidth());
        int asked = Integer.getInteger("gemm.maxBits", 512);
        assertThat(DoubleKernel.BITS).isBetween(128, asked);
        assertThat(FloatKernel.BITS).isEqualTo(DoubleKernel.BITS);
        Blocking wide = FloatKernel.blocking(1000);
        assertThat(wide.mr() * wide.nv() + wide.nv() + 1).as("accumulators, B vectors and a broadcast fit the registers")
                .isLessThanOrEqualTo(Blocking.registers(wide.bits()));
        for (int n : new int[] {3, 10, 13, 100}) {
            Blocking narrow = FloatKernel.blocking(n);
            int padded = 0;
            for (int jr = 0; jr < n; jr += narrow.nr()) {
                padded += narrow.vectorsAt(jr, n) * narrow.lanes();
            }
            assertThat(padded).as("n = %d pads to the fewest whole vectors", n).isEqualTo(Tiles.roundUp(n, narrow.lanes()));
        }
    }

    /**
     * The level-2 cache size that sets the blocks of A, read from folders laid out as Linux's
     * {@code /sys/devices/system/cpu/cpu0/cache}: the unified level-2 entry wins over the level-1 ones;
     * sizes are clamped to [256 KiB, 4 MiB]; anything unreadable gives 512 KiB. Also the A panel stride:
     * a power of two of at least MR rows; and the rows of a block of A for a block of terms: whole slivers,
     * at least MC, within the block's share of the level-2 cache (or MC slivers, where one is larger).
     */
    @Test
    void blocksFollowTheLevel2CacheAndAPanelsHaveAPowerOfTwoStride(@TempDir Path dir) throws IOException {
        assertThat(Blocking.level2Bytes(sysfs(dir.resolve("zen4"), "1024K"))).isEqualTo(1 << 20);
        assertThat(Blocking.level2Bytes(sysfs(dir.resolve("big"), "64M"))).isEqualTo(4 << 20);
        assertThat(Blocking.level2Bytes(sysfs(dir.resolve("small"), "131072"))).isEqualTo(256 << 10);
        assertThat(Blocking.level2Bytes(sysfs(dir.resolve("garbled"), "lots"))).isEqualTo(512 << 10);
        assertThat(Blocking.level2Bytes(dir.resolve("absent"))).isEqualTo(512 << 10);
        assertThat(Blocking.L2_BYTES).isBetween(256 << 10, 4 << 20);
        for (int mr = 1; mr <= 8; mr++) {
            int stride = Blocking.aStride(mr);
            assertThat(Integer.bitCount(stride)).as("stride of %d rows", mr).isEqualTo(1);
            assertThat(stride).isGreaterThanOrEqualTo(mr).isLessThan(2 * mr);
        }
        for (Blocking b : List.of(FloatKernel.blocking(1000), DoubleKernel.blocking(1000))) {
            assertThat((long) b.mc() / b.mr() * b.aStride() * b.kc() * b.bytes()).as("block of A in %s", b)
                    .isLessThanOrEqualTo(Math.max(Blocking.aBlockBytes(b.bits()), (long) b.aStride() * b.kc() * b.bytes()));
            for (int terms : new int[] {1, 13, 255, 256, 784, 1050, b.kc()}) {
                int rows = b.mcFor(terms);
                long sliver = (long) b.aStride() * Math.max(terms, Blocking.MIN_KC) * b.bytes();
                assertThat(rows % b.mr()).as("rows for %d terms in %s", terms, b).isZero();
                assertThat(rows).as("rows for %d terms in %s", terms, b).isGreaterThanOrEqualTo(b.mc());
                assertThat(rows / b.mr() * sliver).as("block of A of %d terms in %s", terms, b)
                        .isLessThanOrEqualTo(Math.max(Blocking.aBlockBytes(b.bits()), b.mc() / b.mr() * sliver));
            }
        }
    }

    /**
     * A run of terms is cut into ⌈terms / KC⌉ blocks of equal length: none longer than KC, and the last
     * shorter than the others by fewer terms than there are blocks.
     */
    @Test
    void runsOfTermsAreCutIntoBlocksOfEqualLength() {
        for (Blocking b : List.of(FloatKernel.blocking(1000), DoubleKernel.blocking(1000), FloatKernel.blocking(13))) {
            for (int terms = 1; terms <= 5 * b.kc() + 3; terms++) {
                int step = b.kcFor(terms);
                int blocks = (terms + step - 1) / step;
                int last = terms - (blocks - 1) * step;
                assertThat(step).as("%s, %d terms", b, terms).isBetween(1, b.kc());
                assertThat(blocks).as("%s, %d terms", b, terms).isEqualTo((terms + b.kc() - 1) / b.kc());
                assertThat(step - last).as("%s, %d terms: first blocks less the last", b, terms).isBetween(0, blocks - 1);
            }
        }
    }

    /** A cache folder with level-1 data and instruction entries and a unified level-2 entry of the given size. */
    private static Path sysfs(Path cache, String level2Size) throws IOException {
        String[][] entries = {{"1", "Data", "32K"}, {"1", "Instruction", "32K"}, {"2", "Unified", level2Size}};
        for (int i = 0; i < entries.length; i++) {
            Path index = Files.createDirectories(cache.resolve("index" + i));
            Files.writeString(index.resolve("level"), entries[i][0] + "\n");
            Files.writeString(index.resolve("type"), entries[i][1] + "\n");
            Files.writeString(index.resolve("size"), entries[i][2] + "\n");
        }
        return cache;
    }

    @Test
    void dgemmMatchesItsTwinBitForBitIncludingPaddingOutsideC() {
        assertPassed(PropertyCheck.forAll(new Cases()).withTries(160).withSeed(20261126L)
                .check(c -> dgemmEqualsTwin(Gemm.defaults(), c)), "dgemm equals the plain-loop twin");
    }

    @Test
    void sgemmMatchesItsTwinBitForBit() {
        assertPassed(PropertyCheck.forAll(new Cases()).withTries(160).withSeed(20261127L)
                .check(c -> sgemmEqualsTwin(Gemm.defaults(), c)), "sgemm equals the plain-loop twin");
    }

    @Test
    void thePlainLoopMicroKernelsGiveTheSameBits() {
        Gemm plain = Gemm.defaults().withPlainLoops();
        assertThat(plain.vectors()).isFalse();
        assertPassed(PropertyCheck.forAll(new Cases()).withTries(40).withSeed(20261128L)
                .check(c -> dgemmEqualsTwin(plain, c)), "plain dgemm equals the twin");
        assertPassed(PropertyCheck.forAll(new Cases()).withTries(40).withSeed(20261129L)
                .check(c -> sgemmEqualsTwin(plain, c)), "plain sgemm equals the twin");
    }

    /**
     * A product summed in runs (gradients summed chunk after chunk): the bits of one product per run in
     * order, the first with β and the others with β = 1, in double and float, for any thread count and
     * with plain loops. Runs are cut at random, down to one term each, and across KC blocks.
     */
    @Test
    void aProductInRunsEqualsOneProductPerRun() {
        for (Gemm gemm : new Gemm[] {Gemm.serial(), Gemm.threads(3), Gemm.serial().withPlainLoops()}) {
            assertPassed(PropertyCheck.forAll(new Cases()).withTries(60).withSeed(20261204L)
                    .check(c -> inRunsEqualsProductPerRun(gemm, c)), "a product in runs equals one product per run");
        }
    }

    private static void inRunsEqualsProductPerRun(Gemm gemm, Case c) {
        UniformRandomProvider rng = Seeds.stream(c.seed(), "runs");
        List<Integer> starts = new ArrayList<>(List.of(0));
        for (int p = 1; p < c.k(); p++) {
            if (rng.nextInt(Math.max(1, c.k() / 4)) == 0) {
                starts.add(p);
            }
        }
        int[] runs = starts.stream().mapToInt(Integer::intValue).toArray();
        double[] a = c.values("a", c.rowsA(), c.lda(), c.offA(), false);
        double[] b = c.values("b", c.rowsB(), c.ldb(), c.offB(), false);
        double[] got = c.values("c", c.m(), c.ldc(), c.offC(), false);
        float[] gotF = toFloat(got);
        double[] want = got.clone();
        float[] wantF = gotF.clone();
        gemm.dgemmInRuns(c.transA(), c.transB(), c.m(), c.n(), c.k(), runs, c.alpha(), a, c.offA(), c.lda(), b,
                c.offB(), c.ldb(), c.beta(), got, c.offC(), c.ldc());
        gemm.sgemmInRuns(c.transA(), c.transB(), c.m(), c.n(), c.k(), runs, (float) c.alpha(), toFloat(a), c.offA(),
                c.lda(), toFloat(b), c.offB(), c.ldb(), (float) c.beta(), gotF, c.offC(), c.ldc());
        for (int r = 0; r < runs.length; r++) {
            int from = runs[r];
            int terms = (r + 1 < runs.length ? runs[r + 1] : c.k()) - from;
            // run r: the terms [from, from + terms) of op(A)'s columns and op(B)'s rows
            int offA = c.offA() + (c.transA() ? from * c.lda() : from);
            int offB = c.offB() + (c.transB() ? from : from * c.ldb());
            double beta = r == 0 ? c.beta() : 1;
            Gemm.serial().dgemm(c.transA(), c.transB(), c.m(), c.n(), terms, c.alpha(), a, offA, c.lda(), b, offB,
                    c.ldb(), beta, want, c.offC(), c.ldc());
            Gemm.serial().sgemm(c.transA(), c.transB(), c.m(), c.n(), terms, (float) c.alpha(), toFloat(a), offA,
                    c.lda(), toFloat(b), offB, c.ldb(), (float) beta, wantF, c.offC(), c.ldc());
        }
        if (!Arrays.equals(got, want) || !Arrays.equals(gotF, wantF)) {
            throw new AssertionError("runs " + Arrays.toString(runs) + ": double mismatch at "
                    + Arrays.mismatch(got, want) + ", float mismatch at " + Arrays.mismatch(gotF, wantF));
        }
    }

    @Test
    void runsThatDoNotCutTheTermsAreRefused() {
        double[] x = new double[6];
        assertThatThrownBy(() -> Gemm.serial().dgemmInRuns(false, false, 2, 2, 3, new int[] {1}, 1, x, 0, 3, x, 0, 2, 0,
                x, 0, 2)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("start at 0");
        assertThatThrownBy(() -> Gemm.serial().dgemmInRuns(false, false, 2, 2, 3, new int[] {0, 2, 2}, 1, x, 0, 3, x, 0,
                2, 0, x, 0, 2)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[0, 2, 2]");
        assertThatThrownBy(() -> Gemm.serial().sgemmInRuns(false, false, 2, 2, 3, new int[] {0, 3}, 1, new float[6], 0,
                3, new float[6], 0, 2, 0, new float[6], 0, 2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("k = 3");
    }

    @Test
    void smallIntegerProductsAreExact() {
        // entries in [−8, 8], k ≤ 2100: every partial sum is an integer below 2^24, exact in float and double
        Outcome<Case> outcome = PropertyCheck.forAll(new Cases()).withTries(60).withSeed(7L).check(c -> {
            double[] a = c.values("a", c.rowsA(), c.lda(), c.offA(), true);
            double[] b = c.values("b", c.rowsB(), c.ldb(), c.offB(), true);
            double[] c0 = c.values("c", c.m(), c.ldc(), c.offC(), true);
            double[] got = dgemm(Gemm.defaults(), c, a, b, c0);
            float[] gotF = sgemm(Gemm.defaults(), c, toFloat(a), toFloat(b), toFloat(c0));
            for (int i = 0; i < c.m(); i++) {
                for (int j = 0; j < c.n(); j++) {
                    long s = 0;
                    for (int p = 0; p < c.k(); p++) {
                        s += (long) elementA(c, a, i, p) * (long) elementB(c, b, p, j);
                    }
                    int at = c.offC() + i * c.ldc() + j;
                    double want = c.alpha() * s + c.beta() * c0[at];
                    if (got[at] != want || gotF[at] != (float) want) {
                        throw new AssertionError("(" + i + ", " + j + "): " + got[at] + ", " + gotF[at] + " ≠ " + want);
                    }
                }
            }
        });
        assertPassed(outcome, "integer products are exact");
    }

    @Test
    void staysWithinTheStandardErrorBoundOfTheExactProduct() {
        Case c = new Case(true, false, 13, 11, 300, 1, 2, 0, 3, 1, 0, 1, 0, 99);
        double[] a = c.values("a", c.rowsA(), c.lda(), c.offA(), false);
        double[] b = c.values("b", c.rowsB(), c.ldb(), c.offB(), false);
        double[] got = dgemm(Gemm.defaults(), c, a, b, new double[c.m() * c.ldc()]);
        float[] af = toFloat(a);
        float[] bf = toFloat(b);
        float[] gotF = sgemm(Gemm.defaults(), c, af, bf, new float[c.m() * c.ldc()]);
        double gammaD = c.k() * 0x1p-53 / (1 - c.k() * 0x1p-53);
        double gammaF = c.k() * 0x1p-24 / (1 - c.k() * 0x1p-24);
        for (int i = 0; i < c.m(); i++) {
            for (int j = 0; j < c.n(); j++) {
                BigDecimal exact = BigDecimal.ZERO;
                BigDecimal exactF = BigDecimal.ZERO;
                double abs = 0;
                for (int p = 0; p < c.k(); p++) {
                    double x = elementA(c, a, i, p);
                    double y = elementB(c, b, p, j);
                    exact = exact.add(new BigDecimal(x).multiply(new BigDecimal(y)));
                    int ai = c.offA() + p * c.lda() + i;
                    int bi = c.offB() + p * c.ldb() + j;
                    exactF = exactF.add(new BigDecimal(af[ai]).multiply(new BigDecimal(bf[bi])));
                    abs += Math.abs(x * y);
                }
                int at = i * c.ldc() + j;
                double errD = Math.abs(new BigDecimal(got[at]).subtract(exact).doubleValue());
                double errF = Math.abs(new BigDecimal(gotF[at]).subtract(exactF, MathContext.DECIMAL128).doubleValue());
                assertThat(errD).as("double (%d, %d)", i, j).isLessThanOrEqualTo(gammaD * abs * 1.01);
                assertThat(errF).as("float (%d, %d)", i, j).isLessThanOrEqualTo(gammaF * abs * 1.01);
            }
        }
    }

    @Test
    void resultsAreBitIdenticalForAnyThreadCount() {
        for (int t = 0; t < 4; t++) {
            Case c = new Case((t & 1) != 0, (t & 2) != 0, 203, 261, 300, 1, 0, 3, 2, 0, 1, 1, 0.5, t);
            double[] a = c.values("a", c.rowsA(), c.lda(), c.offA(), false);
            double[] b = c.values("b", c.rowsB(), c.ldb(), c.offB(), false);
            double[] c0 = c.values("c", c.m(), c.ldc(), c.offC(), false);
            double[] one = dgemm(Gemm.serial(), c, a, b, c0);
            float[] oneF = sgemm(Gemm.serial(), c, toFloat(a), toFloat(b), toFloat(c0));
            for (int threads : new int[] {2, 3, 8}) {
                Gemm gemm = Gemm.threads(threads);
                assertThat(dgemm(gemm, c, a, b, c0)).as("%d threads", threads).isEqualTo(one);
                assertThat(sgemm(gemm, c, toFloat(a), toFloat(b), toFloat(c0))).as("%d threads", threads).isEqualTo(oneF);
            }
        }
    }

    @Test
    void cWrittenOverTheNextBlockOfBGivesTheSameBitsOnAnyThreadCount() {
        // Two blocks of B's columns (k = 2,100 doubles: 512 columns each); C lies in B's array over the second
        // block's columns, so the first block's rectangles write what the second block packs: the product
        // packs that block after them, never at the same time, whatever the threads.
        int m = 48;
        int n = 1000;
        int k = 2100;
        SplittableRandom rng = new SplittableRandom(23);
        double[] a = rng.doubles((long) m * k, -1, 1).toArray();
        double[] start = rng.doubles((long) (k + m + 2) * n, -1, 1).toArray();
        int offC = (k - m) * n + 512;
        double[] one = start.clone();
        Gemm.serial().dgemm(false, false, m, n, k, 1, a, 0, k, one, 0, n, 0.5, one, offC, n);
        assertThat(one).isNotEqualTo(start);
        for (int threads : new int[] {2, 3}) {
            for (int r = 0; r < 3; r++) {
                double[] x = start.clone();
                Gemm.threads(threads).dgemm(false, false, m, n, k, 1, a, 0, k, x, 0, n, 0.5, x, offC, n);
                assertThat(x).as("%d threads, repetition %d", threads, r).isEqualTo(one);
            }
        }
    }

    @Test
    void zeroBetaIgnoresWhatCHeld() {
        double[] c = {Double.NaN, Double.POSITIVE_INFINITY};
        Gemm.serial().dgemm(false, false, 1, 2, 1, 2, new double[] {3}, 0, 1, new double[] {1, -1}, 0, 2, 0, c, 0, 2);
        assertThat(c).containsExactly(6, -6);
        // a packed product (micro-kernels, workspace, copy to C): NaN and −∞ in C stay unread
        int m = 67;
        int n = 70;
        int k = 600;
        SplittableRandom rng = new SplittableRandom(17);
        double[] a = rng.doubles((long) m * k, -1, 1).toArray();
        double[] b = rng.doubles((long) k * n, -1, 1).toArray();
        double[] zeros = new double[m * n];
        double[] poisoned = new double[m * n];
        for (int i = 0; i < poisoned.length; i++) {
            poisoned[i] = i % 2 == 0 ? Double.NaN : Double.NEGATIVE_INFINITY;
        }
        for (Gemm gemm : new Gemm[] {Gemm.serial(), Gemm.threads(2), Gemm.serial().withPlainLoops()}) {
            gemm.dgemm(false, false, m, n, k, 0.5, a, 0, k, b, 0, n, 0, zeros, 0, n);
            gemm.dgemm(false, false, m, n, k, 0.5, a, 0, k, b, 0, n, 0, poisoned, 0, n);
            assertThat(poisoned).isEqualTo(zeros).doesNotContain(Double.NaN);
            float[] zerosF = new float[m * n];
            float[] poisonedF = new float[m * n];
            Arrays.fill(poisonedF, Float.NaN);
            gemm.sgemm(false, true, m, n, k, 0.5f, toFloat(a), 0, k, toFloat(b), 0, k, 0, zerosF, 0, n);
            gemm.sgemm(false, true, m, n, k, 0.5f, toFloat(a), 0, k, toFloat(b), 0, k, 0, poisonedF, 0, n);
            assertThat(poisonedF).isEqualTo(zerosF);
        }
    }

    @Test
    void badShapesNameTheMatrix() {
        double[] x = new double[6];
        assertThatThrownBy(() -> Gemm.serial().dgemm(false, false, -1, 2, 3, 1, x, 0, 3, x, 0, 2, 0, x, 0, 2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("m = -1");
        assertThatThrownBy(() -> Gemm.serial().dgemm(false, false, 2, 2, 3, 1, x, 1, 3, x, 0, 2, 0, x, 0, 2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("A (2×3, offset 1");
        assertThatThrownBy(() -> Gemm.serial().dgemm(false, true, 2, 2, 3, 1, x, 0, 3, x, 0, 2, 0, x, 0, 2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("B has offset 0 and row stride 2");
        assertThatThrownBy(() -> Gemm.serial().sgemm(false, false, 2, 2, 3, 1, new float[6], 0, 3, new float[6], 0, 2, 0,
                new float[3], 0, 2)).isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("C (2×2");
        assertThatThrownBy(() -> Gemm.threads(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("got 0");
    }
}
