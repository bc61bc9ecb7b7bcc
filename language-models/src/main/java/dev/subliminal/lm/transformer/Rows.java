package dev.subliminal.lm.transformer;

import dev.subliminal.theory.linalg.Gemm;

/**
 * Row-wise work spread over a matrix context's threads. Each row's result depends only on that row,
 * so results do not depend on how the rows are split.
 */
final class Rows {

    /** Fewest values worth handing to another thread. */
    private static final int VALUES_PER_TASK = 1 << 14;

    private Rows() {
    }

    /** Runs {@code body} over rows [0, n) of width w, in ranges of rows, on the threads of {@code gemm}. */
    static void run(Gemm gemm, int n, int w, Gemm.RangeBody body) {
        if (n <= 0) {
            return;
        }
        gemm.ranges(n, Math.max(1, VALUES_PER_TASK / Math.max(1, w)), body);
    }
}
