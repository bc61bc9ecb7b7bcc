package dev.subliminal.lm.transformer;

import dev.subliminal.theory.linalg.Gemm;
import java.util.List;

/**
 * Affine projections of the same input, side by side: Y = [X W_1ᵀ + b_1 | X W_2ᵀ + b_2 | ...]. A single
 * part is one layer (GPT-2's {@code c_fc}, Llama's {@code o_proj}); several parts fuse projections
 * that read the same input (Llama's q/k/v, or gate/up), so the next block sees one matrix.
 *
 * <p>Weights are stored as Hugging Face stores them: {@link Storage#LINEAR} as [out, in]
 * ({@code nn.Linear}), {@link Storage#CONV1D} as [in, out] (GPT-2's {@code Conv1D}). Products go
 * through the context's {@link Gemm}, so every entry is summed in one fixed order.
 *
 * <p>Backward: grad W_p += dY_pᵀ X (or Xᵀ dY_p for Conv1D), grad b_p += Σ_rows dY_p, dX += dY_p W_p.
 * Tangent: dY_p = X dW_pᵀ + dX W_pᵀ + db_p. Written in double; {@code FloatLinear} is generated.
 */
final class DoubleLinear implements DoubleBlock<double[]> {

    /** How a weight matrix is stored in θ. */
    enum Storage {
        /** [out, in], row-major: {@code nn.Linear}. */
        LINEAR,
        /** [in, out], row-major: GPT-2's {@code Conv1D}. */
        CONV1D
    }

    private final Gemm gemm;
    private final int in;
    private final Storage storage;
    private final List<Part> parts;
    private final int out;
    /** Whether any part has a bias. */
    private final boolean biased;

    DoubleLinear(Gemm gemm, int in, Storage storage, List<Part> parts) {
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("a projection needs at least one part");
        }
        this.gemm = gemm;
        this.in = in;
        this.storage = storage;
        this.parts = List.copyOf(parts);
        this.out = parts.stream().mapToInt(Part::out).sum();
        this.biased = parts.stream().anyMatch(p -> p.bias() >= 0);
    }

    /** One projection with an optional bias (−1 for none). */
    static DoubleLinear single(Gemm gemm, int in, int out, Storage storage, int weight, int bias) {
        return new DoubleLinear(gemm, in, storage, List.of(new Part(out, weight, bias)));
    }

    /** The parts, in column order. */
    List<Part> parts() {
        return parts;
    }

    @Override
    public int inputWidth() {
        return in;
    }

    @Override
    public int outputWidth() {
        return out;
    }

    @Override
    public double[] forward(double[] theta, Segments seg, double[] x, double[] y) {
        apply(theta, x, 0, seg.tokens(), y, 0, false);
        return x;
    }

    /**
     * The weights' gradients one product summed in the gradient runs of {@code seg} (runs in order, so
     * they add up as the runs one after another would), dX over all rows at once.
     */
    @Override
    public void backward(double[] theta, Segments seg, double[] x, double[] dy, double[] grad, double[] dx) {
        backward(theta, x, 0, seg.tokens(), seg.gradientRunStarts(), dy, 0, grad, dx, 0);
    }

    @Override
    public void tangent(double[] theta, double[] v, Segments seg, double[] x, double[] dx, double[] dy) {
        int n = seg.tokens();
        if (v != null) {
            apply(v, x, 0, n, dy, 0, false);
        }
        if (dx != null) {
            applyWeights(theta, dx, 0, n, dy, 0, v != null);
        } else if (v == null) {
            java.util.Arrays.fill(dy, 0, n * out, 0);
        }
    }

    /**
     * Y = X Wᵀ + b over n rows, X read at {@code xOff} (stride in), Y written at {@code yOff} (stride out);
     * with {@code accumulate} Y += X Wᵀ + b instead.
     */
    void apply(double[] params, double[] x, int xOff, int n, double[] y, int yOff, boolean accumulate) {
        applyWeights(params, x, xOff, n, y, yOff, accumulate);
        if (!biased) {
            return;
        }
        Rows.run(gemm, n, out, (from, to) -> {
            int c = 0;
            for (Part p : parts) {
                if (p.bias() >= 0) {
                    for (int r = from; r < to; r++) {
                        int row = yOff + r * out + c;
                        for (int j = 0; j < p.out(); j++) {
                            y[row + j] += params[p.bias() + j];
                        }
                    }
                }
                c += p.out();
            }
        });
    }

    /** Y = X Wᵀ (or Y += X Wᵀ), without the biases. */
    private void applyWeights(double[] params, double[] x, int xOff, int n, double[] y, int yOff, boolean accumulate) {
        int beta = accumulate ? 1 : 0;
        int c = 0;
        for (Part p : parts) {
            if (storage == Storage.LINEAR) {
                Products.gemm(gemm, false, true, n, p.out(), in, 1, x, xOff, in, params, p.weight(), in, beta, y, yOff + c,
                        out);
            } else {
                Products.gemm(gemm, false, false, n, p.out(), in, 1, x, xOff, in, params, p.weight(), p.out(), beta, y,
                        yOff + c, out);
            }
            c += p.out();
        }
    }

    /**
     * The backward pass over n rows: grad += J_θᵀ dY when grad is not null, each weight's gradient summed
     * in the runs of rows that start at {@code runs} (see {@link Gemm#dgemmInRuns}; the bias's adds up
     * row after row), and, when dx is not null, dX += dY W (X at {@code xOff}, dY at {@code dyOff}, dX at
     * {@code dxOff}).
     */
    void backward(double[] theta, double[] x, int xOff, int n, int[] runs, double[] dy, int dyOff, double[] grad,
            double[] dx, int dxOff) {
        int c = 0;
        for (Part p : parts) {
            if (grad != null && runs.length > 0) {
                if (storage == Storage.LINEAR) {
                    Products.gemmInRuns(gemm, true, false, p.out(), in, n, runs, 1, dy, dyOff + c, out, x, xOff, in, 1,
                            grad, p.weight(), in);
                } else {
                    Products.gemmInRuns(gemm, true, false, in, p.out(), n, runs, 1, x, xOff, in, dy, dyOff + c, out, 1,
                            grad, p.weight(), p.out());
                }
                if (p.bias() >= 0) {
                    int col = dyOff + c;
                    Rows.columns(gemm, n, p.out(), (j0, j1) -> {
                        for (int r = 0; r < n; r++) {
                            int row = col + r * out;
                            for (int j = j0; j < j1; j++) {
                                grad[p.bias() + j] += dy[row + j];
                            }
                        }
                    });
                }
            }
            if (dx != null) {
                if (storage == Storage.LINEAR) {
                    Products.gemm(gemm, false, false, n, in, p.out(), 1, dy, dyOff + c, out, theta, p.weight(), in, 1, dx,
                            dxOff, in);
                } else {
                    Products.gemm(gemm, false, true, n, in, p.out(), 1, dy, dyOff + c, out, theta, p.weight(), p.out(), 1,
                            dx, dxOff, in);
                }
            }
            c += p.out();
        }
    }
}
