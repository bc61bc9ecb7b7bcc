package dev.subliminal.lm.transformer;

import dev.subliminal.theory.linalg.Gemm;

/**
 * Rotary position embeddings in Hugging Face's rotate-half convention, applied to the query and key
 * heads of a fused [q | k | v] row (the value heads pass through). For a head vector x ∈ R^hd at
 * position p, with h = hd/2, inv_freq_i = θ^(−2i/hd) and a_i = p·inv_freq_i (i < h):
 * y_i = x_i cos a_i − x_{i+h} sin a_i, y_{i+h} = x_{i+h} cos a_i + x_i sin a_i,
 * i.e. y = x·cos + rotate_half(x)·sin with rotate_half(x) = (−x_{h..}, x_{..h}). It is a rotation,
 * linear in x with no parameters: the tangent rotates dx, the backward pass rotates dy back. The
 * table comes from {@link RotaryTable}. Written in double; {@code FloatRope} is generated.
 */
final class DoubleRope implements DoubleBlock<Void> {

    private final Gemm gemm;
    private final int headDim;
    private final int rotatedHeads;
    private final int width;
    private final int maxPositions;
    private final double[] cos;
    private final double[] sin;

    /**
     * @param gemm the context whose threads run the rows
     * @param heads query heads H
     * @param kvHeads key/value heads
     * @param table the angles of width hd (its positions: the context length)
     */
    DoubleRope(Gemm gemm, int heads, int kvHeads, RotaryTable table) {
        this.gemm = gemm;
        this.headDim = table.headDim();
        this.rotatedHeads = heads + kvHeads;
        this.width = (heads + 2 * kvHeads) * headDim;
        this.maxPositions = table.positions();
        var c = table.cos();
        var s = table.sin();
        cos = new double[c.length];
        sin = new double[s.length];
        for (int i = 0; i < cos.length; i++) {
            cos[i] = (double) c[i];
            sin[i] = (double) s[i];
        }
    }

    @Override
    public int inputWidth() {
        return width;
    }

    @Override
    public int outputWidth() {
        return width;
    }

    @Override
    public Void forward(double[] theta, Segments seg, double[] x, double[] y) {
        rotate(seg, x, y, false);
        return null;
    }

    @Override
    public void backward(double[] theta, Segments seg, Void saved, double[] dy, double[] grad, double[] dx) {
        if (dx == null) {
            return;
        }
        double[] back = new double[dy.length];
        rotate(seg, dy, back, true);
        for (int i = 0; i < back.length; i++) {
            dx[i] += back[i];
        }
    }

    @Override
    public void tangent(double[] theta, double[] v, Segments seg, Void saved, double[] dx, double[] dy) {
        rotate(seg, dx, dy, false);
    }

    /** out = R x (or Rᵀ x when {@code inverse}), row by row at each row's position. */
    void rotate(Segments seg, double[] x, double[] out, boolean inverse) {
        int h = headDim / 2;
        if (seg.positionsNeeded() > maxPositions) {
            throw new IllegalArgumentException("position " + (seg.positionsNeeded() - 1)
                    + " is beyond the rotary table of " + maxPositions + " positions");
        }
        int[] pos = seg.positions();
        int sign = inverse ? -1 : 1;
        Rows.run(gemm, seg.tokens(), width, (from, to) -> {
            for (int t = from; t < to; t++) {
                int o = t * width;
                int tab = pos[t] * h;
                for (int head = 0; head < rotatedHeads; head++) {
                    int b = o + head * headDim;
                    for (int i = 0; i < h; i++) {
                        double c = cos[tab + i];
                        double s = sign * sin[tab + i];
                        double a1 = x[b + i];
                        double a2 = x[b + h + i];
                        out[b + i] = a1 * c - a2 * s;
                        out[b + h + i] = a2 * c + a1 * s;
                    }
                }
                System.arraycopy(x, o + rotatedHeads * headDim, out, o + rotatedHeads * headDim,
                        width - rotatedHeads * headDim);
            }
        });
    }
}
