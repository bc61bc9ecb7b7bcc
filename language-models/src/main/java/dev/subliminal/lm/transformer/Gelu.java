package dev.subliminal.lm.transformer;

/**
 * GPT-2's activation, GELU with the tanh approximation, entry by entry: y = gelu(x), dx += gelu′(x) dy,
 * dy = gelu′(x) dx. It keeps its input and recomputes the slope when needed.
 */
final class Gelu implements Block<double[]> {

    private final int width;

    Gelu(int width) {
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
        Rows.run(seg.tokens(), width, (from, to) -> {
            for (int i = from * width; i < to * width; i++) {
                y[i] = Pointwise.gelu(x[i]);
            }
        });
        return x;
    }

    @Override
    public void backward(double[] theta, Segments seg, double[] x, double[] dy, double[] grad, double[] dx) {
        if (dx == null) {
            return;
        }
        Rows.run(seg.tokens(), width, (from, to) -> {
            for (int i = from * width; i < to * width; i++) {
                dx[i] += Pointwise.geluDerivative(x[i]) * dy[i];
            }
        });
    }

    @Override
    public void tangent(double[] theta, double[] v, Segments seg, double[] x, double[] dx, double[] dy) {
        Rows.run(seg.tokens(), width, (from, to) -> {
            for (int i = from * width; i < to * width; i++) {
                dy[i] = Pointwise.geluDerivative(x[i]) * dx[i];
            }
        });
    }
}
