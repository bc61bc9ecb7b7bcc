package dev.subliminal.lm.transformer;

import dev.subliminal.theory.linalg.Gemm;

/**
 * Llama's gated unit on a fused row [a | b] = [gate x | up x] of width 2I: y = silu(a) ⊙ b (width I).
 * Backward: da += silu′(a) ⊙ b ⊙ dy, db += silu(a) ⊙ dy. Tangent: dy = silu′(a) ⊙ b ⊙ da + silu(a) ⊙ db.
 * silu and silu′ are evaluated in 64-bit arithmetic and rounded once; {@code FloatSwiGlu} is generated from this source.
 */
final class DoubleSwiGlu implements DoubleBlock<double[]> {

    private final Gemm gemm;
    private final int width;

    /** @param width I, the output width (the input has 2I columns) */
    DoubleSwiGlu(Gemm gemm, int width) {
        this.gemm = gemm;
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
        Rows.run(gemm, seg.tokens(), 2 * width, (from, to) -> {
            for (int t = from; t < to; t++) {
                int o = 2 * width * t;
                for (int j = 0; j < width; j++) {
                    y[t * width + j] = (double) Pointwise.silu(x[o + j]) * x[o + width + j];
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
        Rows.run(gemm, seg.tokens(), 2 * width, (from, to) -> {
            for (int t = from; t < to; t++) {
                int o = 2 * width * t;
                for (int j = 0; j < width; j++) {
                    double a = x[o + j];
                    double g = dy[t * width + j];
                    dx[o + j] += (double) Pointwise.siluDerivative(a) * x[o + width + j] * g;
                    dx[o + width + j] += (double) Pointwise.silu(a) * g;
                }
            }
        });
    }

    @Override
    public void tangent(double[] theta, double[] v, Segments seg, double[] x, double[] dx, double[] dy) {
        Rows.run(gemm, seg.tokens(), 2 * width, (from, to) -> {
            for (int t = from; t < to; t++) {
                int o = 2 * width * t;
                for (int j = 0; j < width; j++) {
                    double a = x[o + j];
                    dy[t * width + j] = (double) Pointwise.siluDerivative(a) * x[o + width + j] * dx[o + j]
                            + (double) Pointwise.silu(a) * dx[o + width + j];
                }
            }
        });
    }
}
