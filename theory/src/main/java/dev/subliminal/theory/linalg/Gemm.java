package dev.subliminal.theory.linalg;

/**
 * General matrix multiply on row-major arrays: C = α·op(A)·op(B) + β·C with op(X) = X or Xᵀ,
 * op(A) m × k, op(B) k × n, C m × n. Element (i, j) of a matrix X with row stride ldx starting at
 * offX is {@code x[offX + i·ldx + j]}.
 *
 * <p>Every element is computed in one fixed order, whatever the thread count or vector width:
 * s = fma(a_{i,k−1}, b_{k−1,j}, ... fma(a_{i0}, b_{0j}, 0)), then c_ij = α·s + β·c_ij (c_ij = α·s when
 * β = 0, so C need not be initialized). Threads split the output into rectangles only, so results are
 * bit-identical for 1 or N threads and equal to plain loops computing the formula above.
 *
 * <p>A {@code Gemm} is an immutable context: the number of threads its products use
 * ({@link #serial()}, {@link #threads(int)}, {@link #defaults()}: all processors) and whether its
 * micro-kernels use the Vector API or plain loops ({@link #withPlainLoops()}: same bits, for tests and
 * comparisons). The micro-kernels follow the vector width the JVM offers ({@link #vectorWidth()};
 * {@code -XX:MaxVectorSize=16|32|64} selects 128, 256 or 512 bits): the build, the tests and
 * {@code ./subliminal} pass {@code --add-modules jdk.incubator.vector}; a JVM without it gets plain
 * loops, the same bits an order of magnitude slower.
 */
public final class Gemm {

    private static final Gemm DEFAULTS = new Gemm(Runtime.getRuntime().availableProcessors(), Tiles.VECTOR_API);
    private static final Gemm SERIAL = new Gemm(1, Tiles.VECTOR_API);

    /** The runs of a product summed in one run. */
    private static final int[] ONE_RUN = {0};

    private final int threads;
    private final boolean vectors;

    private Gemm(int threads, boolean vectors) {
        this.threads = threads;
        this.vectors = vectors;
    }

    /** Products on all available processors. */
    public static Gemm defaults() {
        return DEFAULTS;
    }

    /** Products on the calling thread alone. */
    public static Gemm serial() {
        return SERIAL;
    }

    /** Products on {@code count} threads (the caller and a shared pool); results do not depend on it. */
    public static Gemm threads(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("the thread count must be ≥ 1, got " + count);
        }
        return count == 1 ? SERIAL : new Gemm(count, Tiles.VECTOR_API);
    }

    /** The number of threads products use. */
    public int threads() {
        return threads;
    }

    /** The same context with plain-loop micro-kernels instead of the Vector API: the same bits, slower. */
    public Gemm withPlainLoops() {
        return new Gemm(threads, false);
    }

    /** Whether the micro-kernels use the Vector API. */
    public boolean vectors() {
        return vectors;
    }

    /**
     * The vector width the kernels run at and their register blocks, e.g. {@code "Vector API 256 bits
     * (-XX:MaxVectorSize=32), float 6×16, double 6×8"}, or that the Vector API module is absent.
     */
    public static String vectorWidth() {
        String blocks = "float " + shape(FloatKernel.blocking(Integer.MAX_VALUE)) + ", double "
                + shape(DoubleKernel.blocking(Integer.MAX_VALUE));
        return Tiles.VECTOR_API
                ? "Vector API " + DoubleKernel.BITS + " bits (-XX:MaxVectorSize=" + DoubleKernel.BITS / 8 + "), " + blocks
                : "plain loops (no jdk.incubator.vector), " + blocks;
    }

    private static String shape(Blocking b) {
        return b.mr() + "×" + b.nr();
    }

    /** C = α·op(A)·op(B) + β·C in double precision, row-major; lda/ldb/ldc are row strides. */
    public void dgemm(boolean transA, boolean transB, int m, int n, int k, double alpha,
            double[] a, int offA, int lda, double[] b, int offB, int ldb, double beta, double[] c, int offC, int ldc) {
        dgemmInRuns(transA, transB, m, n, k, ONE_RUN, alpha, a, offA, lda, b, offB, ldb, beta, c, offC, ldc);
    }

    /** C = α·op(A)·op(B) + β·C in single precision, row-major; lda/ldb/ldc are row strides. */
    public void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
            float[] a, int offA, int lda, float[] b, int offB, int ldb, float beta, float[] c, int offC, int ldc) {
        sgemmInRuns(transA, transB, m, n, k, ONE_RUN, alpha, a, offA, lda, b, offB, ldb, beta, c, offC, ldc);
    }

    /**
     * C = α·op(A)·op(B) + β·C in double precision with the k terms summed in runs: run r covers the terms
     * runs[r] ≤ p &lt; runs[r + 1] (the last one up to k) and adds its own sum s_r to C in turn,
     * c_ij = α·s_0 + β·c_ij, then c_ij = α·s_r + 1·c_ij for r = 1, 2, ...: the bits of one {@link #dgemm}
     * per run, in order, the first with β and the others with β = 1 (a gradient summed chunk after
     * chunk), at the cost of one product, C staying in cache from one run to the next.
     *
     * @param runs the first term of each run: 0 = runs[0] &lt; runs[1] &lt; ... &lt; k ({0}: one run)
     */
    public void dgemmInRuns(boolean transA, boolean transB, int m, int n, int k, int[] runs, double alpha,
            double[] a, int offA, int lda, double[] b, int offB, int ldb, double beta, double[] c, int offC, int ldc) {
        check(transA, transB, m, n, k, a.length, offA, lda, b.length, offB, ldb, c.length, offC, ldc);
        checkRuns(runs, k);
        DoubleKernel.product(threads, vectors, transA, transB, m, n, k, runs, alpha, a, offA, lda, b, offB, ldb, beta, c,
                offC, ldc);
    }

    /** {@link #dgemmInRuns} in single precision. */
    public void sgemmInRuns(boolean transA, boolean transB, int m, int n, int k, int[] runs, float alpha,
            float[] a, int offA, int lda, float[] b, int offB, int ldb, float beta, float[] c, int offC, int ldc) {
        check(transA, transB, m, n, k, a.length, offA, lda, b.length, offB, ldb, c.length, offC, ldc);
        checkRuns(runs, k);
        FloatKernel.product(threads, vectors, transA, transB, m, n, k, runs, alpha, a, offA, lda, b, offB, ldb, beta, c,
                offC, ldc);
    }

    /**
     * C = α·op(A)·op(B) + β·C in double precision: {@link #dgemm} under the name that precision
     * templates call (docs/precision-twins.md), so that the float twin calls the float overload.
     */
    public void multiply(boolean transA, boolean transB, int m, int n, int k, double alpha,
            double[] a, int offA, int lda, double[] b, int offB, int ldb, double beta, double[] c, int offC, int ldc) {
        dgemm(transA, transB, m, n, k, alpha, a, offA, lda, b, offB, ldb, beta, c, offC, ldc);
    }

    /** C = α·op(A)·op(B) + β·C in single precision: {@link #sgemm} under the templates' name. */
    public void multiply(boolean transA, boolean transB, int m, int n, int k, float alpha,
            float[] a, int offA, int lda, float[] b, int offB, int ldb, float beta, float[] c, int offC, int ldc) {
        sgemm(transA, transB, m, n, k, alpha, a, offA, lda, b, offB, ldb, beta, c, offC, ldc);
    }

    /**
     * Runs {@code body} over [0, count) in contiguous ranges of about {@code grain} indices on this
     * context's threads: for element-wise work whose result at each index does not depend on the cut
     * (an activation applied entry by entry), so results do not depend on the thread count.
     */
    public void ranges(int count, int grain, RangeBody body) {
        int ranges = (int) Math.max(1, count / Math.max(1L, grain));
        Tiles.each(ranges, threads, i -> body.run((int) ((long) count * i / ranges),
                (int) ((long) count * (i + 1) / ranges)));
    }

    /** Work on the indices [from, to). */
    @FunctionalInterface
    public interface RangeBody {
        void run(int from, int to);
    }

    @Override
    public String toString() {
        return "Gemm[" + threads + (threads == 1 ? " thread" : " threads") + (vectors ? "" : ", plain loops") + "]";
    }

    private static void check(boolean transA, boolean transB, int m, int n, int k, int aLen, int offA, int lda,
            int bLen, int offB, int ldb, int cLen, int offC, int ldc) {
        if (m < 0 || n < 0 || k < 0) {
            throw new IllegalArgumentException("matrix sizes must be ≥ 0, got m = " + m + ", n = " + n + ", k = " + k);
        }
        requireMatrix("A", aLen, offA, lda, transA ? k : m, transA ? m : k);
        requireMatrix("B", bLen, offB, ldb, transB ? n : k, transB ? k : n);
        requireMatrix("C", cLen, offC, ldc, m, n);
    }

    private static void checkRuns(int[] runs, int k) {
        if (runs.length == 0 || runs[0] != 0) {
            throw new IllegalArgumentException("the runs of terms must start at 0, got " + java.util.Arrays.toString(runs));
        }
        for (int r = 1; r < runs.length; r++) {
            if (runs[r] <= runs[r - 1] || runs[r] >= k) {
                throw new IllegalArgumentException("the runs of terms must start at 0 < ... < k = " + k
                        + ", one per run, got " + java.util.Arrays.toString(runs));
            }
        }
    }

    private static void requireMatrix(String name, int length, int off, int ld, int rows, int cols) {
        if (off < 0 || ld < Math.max(1, cols)) {
            throw new IllegalArgumentException(name + " has offset " + off + " and row stride " + ld
                    + " for " + cols + " columns");
        }
        if (rows > 0 && cols > 0 && off + (long) (rows - 1) * ld + cols > length) {
            throw new IllegalArgumentException(name + " (" + rows + "×" + cols + ", offset " + off + ", stride " + ld
                    + ") does not fit in an array of " + length);
        }
    }
}
