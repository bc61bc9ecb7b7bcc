package dev.subliminal.lm.transformer;

import dev.subliminal.theory.linalg.Gemm;

/**
 * The matrix product C = α·op(A)·op(B) + β·C in the precision of its arrays: {@link Gemm#dgemm} for
 * {@code double[]}, {@link Gemm#sgemm} for {@code float[]}. One name for both, so that a block written
 * once (a {@code Double} template and its generated {@code Float} twin, docs/precision-twins.md)
 * calls the product of its own precision.
 */
final class Products {

    /** The runs of a product summed in one run (never written). */
    static final int[] ONE_RUN = {0};

    private Products() {
    }

    /** {@link Gemm#dgemm}. */
    static void gemm(Gemm g, boolean transA, boolean transB, int m, int n, int k, double alpha, double[] a, int offA,
            int lda, double[] b, int offB, int ldb, double beta, double[] c, int offC, int ldc) {
        g.dgemm(transA, transB, m, n, k, alpha, a, offA, lda, b, offB, ldb, beta, c, offC, ldc);
    }

    /** {@link Gemm#dgemmInRuns}. */
    static void gemmInRuns(Gemm g, boolean transA, boolean transB, int m, int n, int k, int[] runs, double alpha,
            double[] a, int offA, int lda, double[] b, int offB, int ldb, double beta, double[] c, int offC, int ldc) {
        g.dgemmInRuns(transA, transB, m, n, k, runs, alpha, a, offA, lda, b, offB, ldb, beta, c, offC, ldc);
    }

    /** {@link Gemm#sgemmInRuns}. */
    static void gemmInRuns(Gemm g, boolean transA, boolean transB, int m, int n, int k, int[] runs, float alpha,
            float[] a, int offA, int lda, float[] b, int offB, int ldb, float beta, float[] c, int offC, int ldc) {
        g.sgemmInRuns(transA, transB, m, n, k, runs, alpha, a, offA, lda, b, offB, ldb, beta, c, offC, ldc);
    }

    /** {@link Gemm#sgemm}. */
    static void gemm(Gemm g, boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, int offA,
            int lda, float[] b, int offB, int ldb, float beta, float[] c, int offC, int ldc) {
        g.sgemm(transA, transB, m, n, k, alpha, a, offA, lda, b, offB, ldb, beta, c, offC, ldc);
    }
}
