package dev.subliminal.lm.transformer;

import dev.subliminal.theory.linalg.Gemm;

/**
 * Row-wise and column-wise work spread over a matrix context's threads. Each row's (column's) result
 * depends only on that row (column), so results do not depend on how the rows (columns) are split:
 * a column sum over the rows, split by columns, still adds its rows in order.
 */
final class Rows {

    /** Fewest values worth handing to another thread. */
    private static final int VALUES_PER_TASK = 1 << 14;

    /** Fewest columns of a column range. */
    private static final int COLUMNS_PER_TASK = 16;

    private Rows() {
    }

    /** Runs {@code body} over rows [0, n) of width w, in ranges of rows, on the threads of {@code gemm}. */
    static void run(Gemm gemm, int n, int w, Gemm.RangeBody body) {
        if (n <= 0) {
            return;
        }
        gemm.ranges(n, Math.max(1, VALUES_PER_TASK / Math.max(1, w)), body);
    }

    /**
     * Runs {@code body} over columns [0, w) of an n-row matrix, in ranges of columns, on the threads of
     * {@code gemm}; each range sees every row, so per-column sums keep their row order. Ranges are at
     * least {@value #COLUMNS_PER_TASK} columns wide, whole cache lines of a row in either precision.
     */
    static void columns(Gemm gemm, int n, int w, Gemm.RangeBody body) {
        if (n <= 0 || w <= 0) {
            return;
        }
        gemm.ranges(w, Math.max(COLUMNS_PER_TASK, VALUES_PER_TASK / n), body);
    }
}
