package dev.subliminal.lm.transformer;

import dev.subliminal.theory.linalg.Gemm;

/**
 * A residual branch Y = X + g(X): its backward pass gives dX = dY + J_gᵀ dY, its tangent
 * dY = dX + J_g·(v, dX). The additions run in ranges of entries on the context's threads.
 *
 * @param <S> the branch's saved state
 */
final class DoubleResidual<S> implements DoubleBlock<S> {

    private final Gemm gemm;
    private final DoubleBlock<S> branch;

    DoubleResidual(Gemm gemm, DoubleBlock<S> branch) {
        if (branch.inputWidth() != branch.outputWidth()) {
            throw new IllegalArgumentException("a residual branch must keep the width, got " + branch.inputWidth()
                    + " → " + branch.outputWidth());
        }
        this.gemm = gemm;
        this.branch = branch;
    }

    @Override
    public int inputWidth() {
        return branch.inputWidth();
    }

    @Override
    public int outputWidth() {
        return branch.outputWidth();
    }

    @Override
    public S forward(double[] theta, Segments seg, double[] x, double[] y) {
        S saved = branch.forward(theta, seg, x, y);
        add(x, y);
        return saved;
    }

    @Override
    public void backward(double[] theta, Segments seg, S saved, double[] dy, double[] grad, double[] dx) {
        if (dx != null) {
            add(dy, dx);
        }
        branch.backward(theta, seg, saved, dy, grad, dx);
    }

    @Override
    public void tangent(double[] theta, double[] v, Segments seg, S saved, double[] dx, double[] dy) {
        branch.tangent(theta, v, seg, saved, dx, dy);
        add(dx, dy);
    }

    @Override
    public void forwardTangent(double[] theta, double[] v, Segments seg, double[] x, double[] dx, double[] y,
            double[] dy) {
        branch.forwardTangent(theta, v, seg, x, dx, y, dy);
        add(x, y);
        add(dx, dy);
    }

    /** to += from, entry by entry, in ranges on the context's threads. */
    private void add(double[] from, double[] to) {
        Rows.run(gemm, to.length, 1, (i0, i1) -> {
            for (int i = i0; i < i1; i++) {
                to[i] += from[i];
            }
        });
    }
}
