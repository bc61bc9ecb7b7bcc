package dev.subliminal.lm.transformer;

/**
 * Rotary position embeddings in Hugging Face's rotate-half convention, applied to the query and key
 * heads of a fused [q | k | v] row (the value heads pass through). For a head vector x ∈ R^hd at
 * position p, with h = hd/2, inv_freq_i = θ^(−2i/hd) and a_i = p·inv_freq_i (i < h):
 * y_i = x_i cos a_i − x_{i+h} sin a_i, y_{i+h} = x_{i+h} cos a_i + x_i sin a_i,
 * i.e. y = x·cos + rotate_half(x)·sin with rotate_half(x) = (−x_{h..}, x_{..h}). It is a rotation,
 * linear in x with no parameters: the tangent rotates dx, the backward pass rotates dy back.
 */
final class Rope implements Block<Void> {

    private final int headDim;
    private final int rotatedHeads;
    private final int width;
    private final int maxPositions;
    private final double[] cos;
    private final double[] sin;

    /**
     * @param headDim hd (even)
     * @param heads query heads H
     * @param kvHeads key/value heads
     * @param base θ of the frequencies
     * @param maxPositions the number of positions to tabulate (the context length)
     */
    Rope(int headDim, int heads, int kvHeads, double base, int maxPositions) {
        this.headDim = headDim;
        this.rotatedHeads = heads + kvHeads;
        this.width = (heads + 2 * kvHeads) * headDim;
        this.maxPositions = maxPositions;
        int h = headDim / 2;
        cos = new double[maxPositions * h];
        sin = new double[maxPositions * h];
        for (int i = 0; i < h; i++) {
            double invFreq = 1.0 / StrictMath.pow(base, (2.0 * i) / headDim);
            for (int p = 0; p < maxPositions; p++) {
                double a = p * invFreq;
                cos[p * h + i] = StrictMath.cos(a);
                sin[p * h + i] = StrictMath.sin(a);
            }
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
    private void rotate(Segments seg, double[] x, double[] out, boolean inverse) {
        int h = headDim / 2;
        if (seg.positionsNeeded() > maxPositions) {
            throw new IllegalArgumentException("position " + (seg.positionsNeeded() - 1)
                    + " is beyond the rotary table of " + maxPositions + " positions");
        }
        int[] pos = seg.positions();
        double sign = inverse ? -1 : 1;
        Rows.run(seg.tokens(), width, (from, to) -> {
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
