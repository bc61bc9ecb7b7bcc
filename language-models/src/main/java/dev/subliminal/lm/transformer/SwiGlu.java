package dev.subliminal.lm.transformer;

/**
 * Llama's gated unit on a fused row [a | b] = [gate x | up x] of width 2I: y = silu(a) ⊙ b (width I).
 * Backward: da += silu′(a) ⊙ b ⊙ dy, db += silu(a) ⊙ dy. Tangent: dy = silu′(a) ⊙ b ⊙ da + silu(a) ⊙ db.
 */
final class SwiGlu implements Block<double[]> {

    private final int width;

    /** @param width I, the output width (the input has 2I columns) */
    SwiGlu(int width) {
        this.width = width;
    }

    @Override
    public int inputWidth() {
        return 2 * width;
    }

    @Override
    public int outputWidth() {
        return width;
    }

    @Override
    public double[] forward(double[] theta, Segments seg, double[] x, double[] y) {
        Rows.run(seg.tokens(), 2 * width, (from, to) -> {
            for (int t = from; t < to; t++) {
                int o = 2 * width * t;
                for (int j = 0; j < width; j++) {
                    y[t * width + j] = Pointwise.silu(x[o + j]) * x[o + width + j];
                }
            }
        });
        return x;
    }

    @Override
    public void backward(double[] theta, Segments seg, double[] x, double[] dy, double[] grad, double[] dx) {
        if (dx == null) {
            return;
        }
        Rows.run(seg.tokens(), 2 * width, (from, to) -> {
            for (int t = from; t < to; t++) {
                int o = 2 * width * t;
                for (int j = 0; j < width; j++) {
                    double a = x[o + j];
                    double g = dy[t * width + j];
                    dx[o + j] += Pointwise.siluDerivative(a) * x[o + width + j] * g;
                    dx[o + width + j] += Pointwise.silu(a) * g;
                }
            }
        });
    }

    @Override
    public void tangent(double[] theta, double[] v, Segments seg, double[] x, double[] dx, double[] dy) {
        Rows.run(seg.tokens(), 2 * width, (from, to) -> {
            for (int t = from; t < to; t++) {
                int o = 2 * width * t;
                for (int j = 0; j < width; j++) {
                    double a = x[o + j];
                    dy[t * width + j] = Pointwise.siluDerivative(a) * x[o + width + j] * dx[o + j]
                            + Pointwise.silu(a) * dx[o + width + j];
                }
            }
        });
    }
}
