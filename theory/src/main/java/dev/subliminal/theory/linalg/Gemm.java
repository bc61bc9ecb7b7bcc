package dev.subliminal.theory.linalg;

/**
 * General matrix multiply on row-major arrays: C = α·op(A)·op(B) + β·C with op(X) = X or Xᵀ,
 * op(A) m × k, op(B) k × n, C m × n. Element (i, j) of a matrix X with row stride ldx starting at
 * offX is {@code x[offX + i·ldx + j]}.
 *
 * <p>Every element is computed in one fixed order, whatever the thread count:
 * s = fma(a_{i,k−1}, b_{k−1,j}, ... fma(a_{i0}, b_{0j}, 0)), then c_ij = α·s + β·c_ij (c_ij = α·s when
 * β = 0, so C need not be initialized). Threads split the output into rectangles only, so results are
 * bit-identical for 1 or N threads and equal to plain loops computing the formula above.
 *
 * <p>The kernels use the Vector API: the JVM must run with {@code --add-modules jdk.incubator.vector}
 * (the build, the tests and {@code ./subliminal} pass it).
 */
public final class Gemm {

    private static final boolean VECTOR_API = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();

    private static volatile int threads = Runtime.getRuntime().availableProcessors();

    private Gemm() {
    }

    /** The number of threads products use (default: the available processors). */
    public static int threads() {
        return threads;
    }

    /** Sets the number of threads products use; results do not depend on it. */
    public static void threads(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("the thread count must be ≥ 1, got " + count);
        }
        threads = count;
    }

    /** C = α·op(A)·op(B) + β·C in double precision, row-major; lda/ldb/ldc are row strides. */
    public static void dgemm(boolean transA, boolean transB, int m, int n, int k, double alpha,
            double[] a, int offA, int lda, double[] b, int offB, int ldb, double beta, double[] c, int offC, int ldc) {
        check(transA, transB, m, n, k, a.length, offA, lda, b.length, offB, ldb, c.length, offC, ldc);
        if (m > 0 && n > 0) {
            Tiles.run(threads, m, n, k, DoubleKernel.MR, DoubleKernel.NR, (i0, i1, j0, j1) -> DoubleKernel.rectangle(
                    transA, transB, i0, i1, j0, j1, k, alpha, a, offA, lda, b, offB, ldb, beta, c, offC, ldc));
        }
    }

    /** C = α·op(A)·op(B) + β·C in single precision, row-major; lda/ldb/ldc are row strides. */
    public static void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
            float[] a, int offA, int lda, float[] b, int offB, int ldb, float beta, float[] c, int offC, int ldc) {
        check(transA, transB, m, n, k, a.length, offA, lda, b.length, offB, ldb, c.length, offC, ldc);
        if (m > 0 && n > 0) {
            Tiles.run(threads, m, n, k, FloatKernel.MR, FloatKernel.NR, (i0, i1, j0, j1) -> FloatKernel.rectangle(
                    transA, transB, i0, i1, j0, j1, k, alpha, a, offA, lda, b, offB, ldb, beta, c, offC, ldc));
        }
    }

    private static void check(boolean transA, boolean transB, int m, int n, int k, int aLen, int offA, int lda,
            int bLen, int offB, int ldb, int cLen, int offC, int ldc) {
        if (!VECTOR_API) {
            throw new IllegalStateException("matrix products need the JVM option --add-modules jdk.incubator.vector");
        }
        if (m < 0 || n < 0 || k < 0) {
            throw new IllegalArgumentException("matrix sizes must be ≥ 0, got m = " + m + ", n = " + n + ", k = " + k);
        }
        requireMatrix("A", aLen, offA, lda, transA ? k : m, transA ? m : k);
        requireMatrix("B", bLen, offB, ldb, transB ? n : k, transB ? k : n);
        requireMatrix("C", cLen, offC, ldc, m, n);
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
