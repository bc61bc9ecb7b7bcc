package dev.subliminal.lm.transformer;

import dev.subliminal.theory.linalg.Gemm;

/**
 * Conversions between the precisions at the model contract's boundary, entry by entry, spread over
 * a matrix context's threads in contiguous ranges (each entry's result depends on that entry alone,
 * so the bits do not depend on the split).
 */
final class Floats {

    private Floats() {
    }

    /** Each entry rounded to float (nearest, ties to even). */
    static float[] round(Gemm gemm, double[] v) {
        float[] out = new float[v.length];
        round(gemm, v, 0, out, 0, v.length);
        return out;
    }

    /** Each entry widened to double (exact). */
    static double[] widen(Gemm gemm, float[] v) {
        double[] out = new double[v.length];
        widen(gemm, v, 0, out, 0, v.length);
        return out;
    }

    /** dst[at + i] = src[from + i] for i < n, widened exactly. */
    static void widen(Gemm gemm, float[] src, int from, double[] dst, int at, int n) {
        Rows.run(gemm, n, 1, (i0, i1) -> {
            for (int i = i0; i < i1; i++) {
                dst[at + i] = src[from + i];
            }
        });
    }

    /** dst[at + i] = (float) src[from + i] for i < n. */
    static void round(Gemm gemm, double[] src, int from, float[] dst, int at, int n) {
        Rows.run(gemm, n, 1, (i0, i1) -> {
            for (int i = i0; i < i1; i++) {
                dst[at + i] = (float) src[from + i];
            }
        });
    }
}
