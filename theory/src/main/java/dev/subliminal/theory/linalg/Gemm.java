package dev.subliminal.theory.linalg;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * General matrix multiply on row-major arrays: C = α·op(A)·op(B) + β·C with op(X) = X or Xᵀ,
 * op(A) m × k, op(B) k × n, C m × n. Element (i, j) of a matrix X with row stride ldx starting at
 * offX is {@code x[offX + i·ldx + j]}.
 *
 * <p>Every element is computed in one fixed order, whatever the thread count:
 * s = fma(a_{i,k−1}, b_{k−1,j}, ... fma(a_{i0}, b_{0j}, 0)), then c_ij = α·s + β·c_ij (c_ij = α·s when
 * β = 0, so C need not be initialized). Threads split the output into fixed tiles only, so results are
 * bit-identical for 1 or N threads.
 */
public final class Gemm {

    private static volatile int threads = Runtime.getRuntime().availableProcessors();

    private static final ExecutorService POOL = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "gemm");
        t.setDaemon(true);
        return t;
    });

    /** Rows of C per parallel task. */
    private static final int ROWS_PER_TASK = 32;

    /** Below this many multiply-adds a product runs on the calling thread. */
    private static final long PARALLEL_THRESHOLD = 1L << 16;

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
        if (m == 0 || n == 0) {
            return;
        }
        double[] bp = new double[k * n];
        for (int p = 0; p < k; p++) {
            for (int j = 0; j < n; j++) {
                bp[p * n + j] = transB ? b[offB + j * ldb + p] : b[offB + p * ldb + j];
            }
        }
        rows(m, (long) m * n * k, (r0, r1) -> {
            double[] acc = new double[n];
            for (int i = r0; i < r1; i++) {
                java.util.Arrays.fill(acc, 0);
                for (int p = 0; p < k; p++) {
                    double aip = transA ? a[offA + p * lda + i] : a[offA + i * lda + p];
                    int row = p * n;
                    for (int j = 0; j < n; j++) {
                        acc[j] = Math.fma(aip, bp[row + j], acc[j]);
                    }
                }
                int ci = offC + i * ldc;
                for (int j = 0; j < n; j++) {
                    c[ci + j] = beta == 0 ? alpha * acc[j] : alpha * acc[j] + beta * c[ci + j];
                }
            }
        });
    }

    /** C = α·op(A)·op(B) + β·C in single precision, row-major; lda/ldb/ldc are row strides. */
    public static void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
            float[] a, int offA, int lda, float[] b, int offB, int ldb, float beta, float[] c, int offC, int ldc) {
        check(transA, transB, m, n, k, a.length, offA, lda, b.length, offB, ldb, c.length, offC, ldc);
        if (m == 0 || n == 0) {
            return;
        }
        float[] bp = new float[k * n];
        for (int p = 0; p < k; p++) {
            for (int j = 0; j < n; j++) {
                bp[p * n + j] = transB ? b[offB + j * ldb + p] : b[offB + p * ldb + j];
            }
        }
        rows(m, (long) m * n * k, (r0, r1) -> {
            float[] acc = new float[n];
            for (int i = r0; i < r1; i++) {
                java.util.Arrays.fill(acc, 0);
                for (int p = 0; p < k; p++) {
                    float aip = transA ? a[offA + p * lda + i] : a[offA + i * lda + p];
                    int row = p * n;
                    for (int j = 0; j < n; j++) {
                        acc[j] = Math.fma(aip, bp[row + j], acc[j]);
                    }
                }
                int ci = offC + i * ldc;
                for (int j = 0; j < n; j++) {
                    c[ci + j] = beta == 0 ? alpha * acc[j] : alpha * acc[j] + beta * c[ci + j];
                }
            }
        });
    }

    private interface RowRange {
        void run(int r0, int r1);
    }

    /** Runs {@code body} over fixed blocks of rows, spread over the threads. */
    private static void rows(int m, long work, RowRange body) {
        int blocks = (m + ROWS_PER_TASK - 1) / ROWS_PER_TASK;
        int t = Math.min(threads, blocks);
        if (t <= 1 || work < PARALLEL_THRESHOLD) {
            body.run(0, m);
            return;
        }
        List<Future<?>> futures = new ArrayList<>();
        for (int w = 1; w < t; w++) {
            int b0 = (int) ((long) blocks * w / t);
            int b1 = (int) ((long) blocks * (w + 1) / t);
            futures.add(POOL.submit(() -> body.run(b0 * ROWS_PER_TASK, Math.min(m, b1 * ROWS_PER_TASK))));
        }
        body.run(0, Math.min(m, (int) ((long) blocks / t) * ROWS_PER_TASK));
        for (Future<?> f : futures) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted during a matrix product", e);
            } catch (ExecutionException e) {
                throw new IllegalStateException("matrix product failed", e.getCause());
            }
        }
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
