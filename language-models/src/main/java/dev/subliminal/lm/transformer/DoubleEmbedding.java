package dev.subliminal.lm.transformer;

import dev.subliminal.theory.linalg.Gemm;

/**
 * Token embedding plus, for GPT-2, a learned position embedding: h_t = E[id_t] + P[pos_t] with E the
 * [V, d] table and P the [context, d] table (absent for Llama, whose positions enter through RoPE).
 * It is linear in θ: the tangent is the same lookup in the direction v, and the backward pass adds
 * each row's cotangent to the rows it read, tokens in order. Written in double; {@code FloatEmbedding} is
 * generated.
 */
final class DoubleEmbedding {

    private final Gemm gemm;
    private final int width;
    private final int tokens;
    private final int positions;

    /**
     * @param gemm the context whose threads run the rows
     * @param width d
     * @param tokens offset of E in θ
     * @param positions offset of P in θ, or −1 when there is none
     */
    DoubleEmbedding(Gemm gemm, int width, int tokens, int positions) {
        this.gemm = gemm;
        this.width = width;
        this.tokens = tokens;
        this.positions = positions;
    }

    /** h_t = E[id_t] (+ P[pos_t]) for every row t, read from {@code params} (θ, or v for the tangent). */
    void forward(double[] params, int[] ids, int[] pos, double[] h) {
        Rows.run(gemm, ids.length, width, (from, to) -> {
            for (int t = from; t < to; t++) {
                int e = tokens + ids[t] * width;
                int p = positions < 0 ? -1 : positions + pos[t] * width;
                for (int j = 0; j < width; j++) {
                    h[t * width + j] = p < 0 ? params[e + j] : params[e + j] + params[p + j];
                }
            }
        });
    }

    /**
     * grad[E[id_t]] += dh_t and grad[P[pos_t]] += dh_t for rows from ≤ t < to, in order (columns spread
     * over the threads).
     */
    void backward(int[] ids, int[] pos, double[] dh, double[] grad, int from, int to) {
        Rows.columns(gemm, to - from, width, (j0, j1) -> {
            for (int t = from; t < to; t++) {
                int e = tokens + ids[t] * width;
                for (int j = j0; j < j1; j++) {
                    grad[e + j] += dh[t * width + j];
                }
                if (positions >= 0) {
                    int p = positions + pos[t] * width;
                    for (int j = j0; j < j1; j++) {
                        grad[p + j] += dh[t * width + j];
                    }
                }
            }
        });
    }
}
