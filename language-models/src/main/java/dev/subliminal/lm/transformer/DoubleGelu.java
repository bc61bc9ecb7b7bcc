package dev.subliminal.lm.transformer;

import dev.subliminal.theory.linalg.Gemm;

/**
 * GPT-2's activation, GELU with the tanh approximation, entry by entry: y = gelu(x), dx += gelu′(x) dy,
 * dy = gelu′(x) dx. It keeps its input and recomputes the slope when needed. gelu and gelu′ are evaluated in
 * 64-bit arithmetic ({@link Pointwise}'s array forms, tanh on whole vectors) and rounded once; {@code FloatGelu}
 * is generated from this source.
 */
final class DoubleGelu implements DoubleBlock<double[]> {

    private final Gemm gemm;
    private final int width;

    DoubleGelu(Gemm gemm, int width) {
        this.gemm = gemm;
        this.width = width;
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
    public double[] forward(double[] theta, Segments seg, double[] x, double[] y) {
        Rows.run(gemm, seg.tokens(), width, (from, to) -> Pointwise.gelu(x, y, from * width, to * width));
        return x;
    }

    @Override
    public void backward(double[] theta, Segments seg, double[] x, double[] dy, double[] grad, double[] dx) {
        if (dx == null) {
            return;
        }
        Rows.run(gemm, seg.tokens(), width, (from, to) -> Pointwise.geluSlope(x, dy, dx, from * width, to * width, true));
    }

    @Override
    public void tangent(double[] theta, double[] v, Segments seg, double[] x, double[] dx, double[] dy) {
        Rows.run(gemm, seg.tokens(), width, (from, to) -> Pointwise.geluSlope(x, dx, dy, from * width, to * width, false));
    }
}
