package dev.subliminal.lm.transformer;

import dev.subliminal.theory.linalg.Gemm;

/**
 * Causal multi-head attention with grouped-query heads, on a fused row [q_1..q_H | k_1..k_G | v_1..v_G]
 * of heads of width hd (G = kvHeads divides H; query head h reads key/value head g = h/(H/G)). Per
 * sequence and head, with s = 1/√hd:
 * S = s·Q_h K_gᵀ, P = softmax over each row i of S restricted to keys j ≤ i, O_h = P V_g.
 * The output row is [O_1 | ... | O_H]. Sequences never see each other, and a row sees only earlier
 * rows of its own sequence, so trailing padding (absent rows) changes nothing.
 *
 * <p>Backward: dP = dO V_gᵀ, dV_g += Pᵀ dO, dS = P ⊙ (dP − rowsum(P ⊙ dP)), dQ_h += s·dS K_g,
 * dK_g += s·dSᵀ Q_h (the heads of a group add in order). Tangent: dS = s·(dQ_h K_gᵀ + Q_h dK_gᵀ),
 * dP = P ⊙ (dS − rowsum(P ⊙ dS)), dO_h = dP V_g + P dV_g. P is kept from the forward pass. The softmax's
 * exponentials are StrictMath's, rounded once to the working precision. Written in double;
 * {@code FloatAttention} is generated.
 */
final class DoubleAttention implements DoubleBlock<DoubleAttention.Saved> {

    /** The fused input and the attention weights P of every (sequence, head), L × L each. */
    record Saved(double[] x, double[] probs, int[] offsets) {
    }

    private final Gemm gemm;
    /** The products inside one (sequence, head group) task, which already run side by side: one thread. */
    private final Gemm inner;
    private final int heads;
    private final int kvHeads;
    private final int headDim;
    private final int inWidth;
    private final int outWidth;
    private final double scale;

    DoubleAttention(Gemm gemm, int heads, int kvHeads, int headDim) {
        this.gemm = gemm;
        this.inner = gemm.vectors() ? Gemm.serial() : Gemm.serial().withPlainLoops();
        this.heads = heads;
        this.kvHeads = kvHeads;
        this.headDim = headDim;
        this.inWidth = (heads + 2 * kvHeads) * headDim;
        this.outWidth = heads * headDim;
        this.scale = (double) (1 / Math.sqrt(headDim));
    }

    @Override
    public int inputWidth() {
        return inWidth;
    }

    @Override
    public int outputWidth() {
        return outWidth;
    }

    /** Column of query head h, key head g and value head g in the fused row. */
    private int q(int h) {
        return h * headDim;
    }

    private int k(int g) {
        return (heads + g) * headDim;
    }

    private int v(int g) {
        return (heads + kvHeads + g) * headDim;
    }

    @Override
    public Saved forward(double[] theta, Segments seg, double[] x, double[] y) {
        int[] offsets = new int[seg.count() + 1];
        for (int s = 0; s < seg.count(); s++) {
            offsets[s + 1] = Math.addExact(offsets[s], Math.multiplyExact(heads, seg.length()[s] * seg.length()[s]));
        }
        double[] probs = new double[offsets[seg.count()]];
        eachGroup(seg, (s, g) -> {
            int n = seg.length()[s];
            int row = seg.start()[s] * inWidth;
            for (int h = g * heads / kvHeads; h < (g + 1) * heads / kvHeads; h++) {
                attend(inner, x, row + q(h), inWidth, x, row + k(g), inWidth, x, row + v(g), inWidth, n, 0, probs,
                        offsets[s] + h * n * n, y, seg.start()[s] * outWidth + h * headDim, outWidth);
            }
        });
        return new Saved(x, probs, offsets);
    }

    /**
     * One head over n queries at positions p0..p0+n−1 against the keys and values of positions
     * 0..p0+n−1 (rows of stride {@code kStride}/{@code vStride} from {@code kBase}/{@code vBase}):
     * writes P (n × (p0+n), zero above the causal diagonal) into {@code probs} at {@code pOff} and
     * O = P V into {@code out}. The decoding cache calls it with its stored keys; the block with p0 = 0.
     */
    void attend(double[] qs, int qBase, int qStride, double[] ks, int kBase, int kStride, double[] vs, int vBase,
            int vStride, int n, int p0, double[] probs, int pOff, double[] out, int oBase, int oStride) {
        attend(gemm, qs, qBase, qStride, ks, kBase, kStride, vs, vBase, vStride, n, p0, probs, pOff, out, oBase, oStride);
    }

    /** {@link #attend} with its products on {@code g}. */
    private void attend(Gemm g, double[] qs, int qBase, int qStride, double[] ks, int kBase, int kStride, double[] vs,
            int vBase, int vStride, int n, int p0, double[] probs, int pOff, double[] out, int oBase, int oStride) {
        int m = p0 + n;
        Products.gemm(g, false, true, n, m, headDim, scale, qs, qBase, qStride, ks, kBase, kStride, 0, probs, pOff, m);
        for (int i = 0; i < n; i++) {
            int r = pOff + i * m;
            int last = p0 + i;
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j <= last; j++) {
                max = Math.max(max, probs[r + j]);
            }
            Pointwise.expShifted(probs, max, r, r + last + 1);
            double sum = 0;
            for (int j = 0; j <= last; j++) {
                sum += probs[r + j];
            }
            for (int j = 0; j <= last; j++) {
                probs[r + j] /= sum;
            }
            for (int j = last + 1; j < m; j++) {
                probs[r + j] = 0;
            }
        }
        Products.gemm(g, false, false, n, headDim, m, 1, probs, pOff, m, vs, vBase, vStride, 0, out, oBase, oStride);
    }

    @Override
    public void backward(double[] theta, Segments seg, Saved saved, double[] dy, double[] grad, double[] dx) {
        if (dx == null) {
            return;
        }
        double[] x = saved.x;
        eachGroup(seg, (s, g) -> {
            int n = seg.length()[s];
            int row = seg.start()[s] * inWidth;
            double[] dp = new double[n * n];
            for (int h = g * heads / kvHeads; h < (g + 1) * heads / kvHeads; h++) {
                int p = saved.offsets[s] + h * n * n;
                int dyBase = seg.start()[s] * outWidth + h * headDim;
                Products.gemm(inner, false, true, n, n, headDim, 1, dy, dyBase, outWidth, x, row + v(g), inWidth, 0, dp, 0, n);
                Products.gemm(inner, true, false, n, headDim, n, 1, saved.probs, p, n, dy, dyBase, outWidth, 1, dx, row + v(g),
                        inWidth);
                softmaxTangent(saved.probs, p, dp, n);
                Products.gemm(inner, false, false, n, headDim, n, scale, dp, 0, n, x, row + k(g), inWidth, 1, dx, row + q(h),
                        inWidth);
                Products.gemm(inner, true, false, n, headDim, n, scale, dp, 0, n, x, row + q(h), inWidth, 1, dx, row + k(g),
                        inWidth);
            }
        });
    }

    @Override
    public void tangent(double[] theta, double[] v, Segments seg, Saved saved, double[] dx, double[] dy) {
        double[] x = saved.x;
        eachGroup(seg, (s, g) -> {
            int n = seg.length()[s];
            int row = seg.start()[s] * inWidth;
            double[] ds = new double[n * n];
            for (int h = g * heads / kvHeads; h < (g + 1) * heads / kvHeads; h++) {
                int p = saved.offsets[s] + h * n * n;
                int oBase = seg.start()[s] * outWidth + h * headDim;
                Products.gemm(inner, false, true, n, n, headDim, scale, dx, row + q(h), inWidth, x, row + k(g), inWidth, 0, ds,
                        0, n);
                Products.gemm(inner, false, true, n, n, headDim, scale, x, row + q(h), inWidth, dx, row + k(g), inWidth, 1, ds,
                        0, n);
                softmaxTangent(saved.probs, p, ds, n);
                Products.gemm(inner, false, false, n, headDim, n, 1, ds, 0, n, x, row + v(g), inWidth, 0, dy, oBase, outWidth);
                Products.gemm(inner, false, false, n, headDim, n, 1, saved.probs, p, n, dx, row + v(g), inWidth, 1, dy, oBase,
                        outWidth);
            }
        });
    }

    /**
     * d ← P ⊙ (d − rowsum(P ⊙ d)) on the causal part (j ≤ i), 0 above it: the softmax's Jacobian
     * (diag p − p pᵀ, symmetric) applied to each row.
     */
    private static void softmaxTangent(double[] probs, int p, double[] d, int n) {
        for (int i = 0; i < n; i++) {
            int r = i * n;
            double dot = 0;
            for (int j = 0; j <= i; j++) {
                dot += probs[p + r + j] * d[r + j];
            }
            for (int j = 0; j <= i; j++) {
                d[r + j] = probs[p + r + j] * (d[r + j] - dot);
            }
            for (int j = i + 1; j < n; j++) {
                d[r + j] = 0;
            }
        }
    }

    /** Work on one (sequence, key/value head) pair; pairs write disjoint columns and rows. */
    private interface GroupTask {
        void run(int sequence, int group);
    }

    private void eachGroup(Segments seg, GroupTask task) {
        int tasks = seg.count() * kvHeads;
        gemm.ranges(tasks, 1, (from, to) -> {
            for (int i = from; i < to; i++) {
                int s = i / kvHeads;
                if (seg.length()[s] > 0) {
                    task.run(s, i % kvHeads);
                }
            }
        });
    }
}
