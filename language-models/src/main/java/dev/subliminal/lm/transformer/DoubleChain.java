package dev.subliminal.lm.transformer;

import java.util.List;

/**
 * Blocks applied one after another: Y = g_k(... g_2(g_1(X))). The backward pass runs the blocks in
 * reverse, each adding its input cotangent into a fresh buffer; the tangent pass runs them in order.
 */
final class DoubleChain implements DoubleBlock<Object[]> {

    private final List<DoubleBlock<?>> blocks;

    DoubleChain(List<? extends DoubleBlock<?>> blocks) {
        if (blocks.isEmpty()) {
            throw new IllegalArgumentException("a chain needs at least one block");
        }
        for (int i = 1; i < blocks.size(); i++) {
            if (blocks.get(i).inputWidth() != blocks.get(i - 1).outputWidth()) {
                throw new IllegalArgumentException("block " + i + " takes " + blocks.get(i).inputWidth()
                        + " columns but block " + (i - 1) + " gives " + blocks.get(i - 1).outputWidth());
            }
        }
        this.blocks = List.copyOf(blocks);
    }

    @Override
    public int inputWidth() {
        return blocks.get(0).inputWidth();
    }

    @Override
    public int outputWidth() {
        return blocks.get(blocks.size() - 1).outputWidth();
    }

    /** The saved states of the blocks, followed by the intermediate outputs (inputs of blocks 1..k−1). */
    @Override
    public Object[] forward(double[] theta, Segments seg, double[] x, double[] y) {
        int k = blocks.size();
        Object[] saved = new Object[2 * k];
        double[] in = x;
        for (int i = 0; i < k; i++) {
            DoubleBlock<?> b = blocks.get(i);
            double[] out = i == k - 1 ? y : new double[seg.tokens() * b.outputWidth()];
            saved[i] = b.forward(theta, seg, in, out);
            saved[k + i] = in;
            in = out;
        }
        return saved;
    }

    @Override
    public void backward(double[] theta, Segments seg, Object[] saved, double[] dy, double[] grad, double[] dx) {
        double[] d = dy;
        for (int i = blocks.size() - 1; i >= 0; i--) {
            DoubleBlock<?> b = blocks.get(i);
            double[] din = i == 0 ? dx : new double[seg.tokens() * b.inputWidth()];
            backward(b, theta, seg, saved[i], d, grad, din);
            d = din;
        }
    }

    @Override
    public void tangent(double[] theta, double[] v, Segments seg, Object[] saved, double[] dx, double[] dy) {
        int k = blocks.size();
        double[] d = dx;
        for (int i = 0; i < k; i++) {
            DoubleBlock<?> b = blocks.get(i);
            double[] dout = i == k - 1 ? dy : new double[seg.tokens() * b.outputWidth()];
            tangent(b, theta, v, seg, saved[i], d, dout);
            d = dout;
        }
    }

    @Override
    public void forwardTangent(double[] theta, double[] v, Segments seg, double[] x, double[] dx, double[] y,
            double[] dy) {
        int k = blocks.size();
        double[] in = x;
        double[] din = dx;
        for (int i = 0; i < k; i++) {
            DoubleBlock<?> b = blocks.get(i);
            double[] out = i == k - 1 ? y : new double[seg.tokens() * b.outputWidth()];
            double[] dout = i == k - 1 ? dy : new double[seg.tokens() * b.outputWidth()];
            b.forwardTangent(theta, v, seg, in, din, out, dout);
            in = out;
            din = dout;
        }
    }

    @SuppressWarnings("unchecked")
    private static <S> void backward(DoubleBlock<S> b, double[] theta, Segments seg, Object saved, double[] dy,
            double[] grad, double[] dx) {
        b.backward(theta, seg, (S) saved, dy, grad, dx);
    }

    @SuppressWarnings("unchecked")
    private static <S> void tangent(DoubleBlock<S> b, double[] theta, double[] v, Segments seg, Object saved,
            double[] dx, double[] dy) {
        b.tangent(theta, v, seg, (S) saved, dx, dy);
    }
}
