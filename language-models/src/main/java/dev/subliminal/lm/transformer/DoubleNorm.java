package dev.subliminal.lm.transformer;

import dev.subliminal.theory.linalg.Gemm;

/**
 * LayerNorm (GPT-2) or RMSNorm (Llama) over each row x ∈ R^w:
 * <ul>
 *   <li>LayerNorm: μ = mean(x), σ² = mean((x − μ)²), r = 1/√(σ² + eps), x̂ = (x − μ)·r,
 *       y = γ ⊙ x̂ + β;</li>
 *   <li>RMSNorm: r = 1/√(mean(x²) + eps), x̂ = x·r, y = γ ⊙ x̂.</li>
 * </ul>
 * With g = γ ⊙ dy the input cotangent is dx = r·(g − mean(g) − x̂·mean(g ⊙ x̂)) (LayerNorm; RMSNorm
 * drops the mean(g) term), and the tangent dx̂ is the same operator applied to dx (it is symmetric).
 * Parameter gradients: grad γ += Σ_rows dy ⊙ x̂, grad β += Σ_rows dy. Sums run in the working precision,
 * in index order (rows and columns spread over the context's threads, each sum on one thread); r is rounded once from a 64-bit √. Written in double; {@code FloatNorm} is generated.
 */
final class DoubleNorm implements DoubleBlock<DoubleNorm.Saved> {

    /** x̂ (N × w) and r (N) of the forward pass. */
    record Saved(double[] xhat, double[] r) {
    }

    private final Gemm gemm;
    private final int width;
    private final boolean centered;
    private final double eps;
    private final int weight;
    private final int bias;

    private DoubleNorm(Gemm gemm, int width, boolean centered, double eps, int weight, int bias) {
        this.gemm = gemm;
        this.width = width;
        this.centered = centered;
        this.eps = eps;
        this.weight = weight;
        this.bias = bias;
    }

    /** LayerNorm with weight γ and bias β at the given offsets of θ. */
    static DoubleNorm layerNorm(Gemm gemm, int width, double eps, int weight, int bias) {
        return new DoubleNorm(gemm, width, true, eps, weight, bias);
    }

    /** RMSNorm with weight γ at the given offset of θ. */
    static DoubleNorm rmsNorm(Gemm gemm, int width, double eps, int weight) {
        return new DoubleNorm(gemm, width, false, eps, weight, -1);
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
    public Saved forward(double[] theta, Segments seg, double[] x, double[] y) {
        int n = seg.tokens();
        double[] xhat = new double[n * width];
        double[] r = new double[n];
        Rows.run(gemm, n, width, (from, to) -> {
            for (int t = from; t < to; t++) {
                int o = t * width;
                double mu = 0;
                if (centered) {
                    for (int j = 0; j < width; j++) {
                        mu += x[o + j];
                    }
                    mu /= width;
                }
                double var = 0;
                for (int j = 0; j < width; j++) {
                    double c = x[o + j] - mu;
                    var += c * c;
                }
                var /= width;
                double rt = (double) (1 / Math.sqrt(var + eps));
                r[t] = rt;
                for (int j = 0; j < width; j++) {
                    double h = (x[o + j] - mu) * rt;
                    xhat[o + j] = h;
                    y[o + j] = bias >= 0 ? theta[weight + j] * h + theta[bias + j] : theta[weight + j] * h;
                }
            }
        });
        return new Saved(xhat, r);
    }

    @Override
    public void backward(double[] theta, Segments seg, Saved s, double[] dy, double[] grad, double[] dx) {
        int n = seg.tokens();
        if (grad != null) {
            Rows.columns(gemm, n, width, (j0, j1) -> {
                for (int t = 0; t < n; t++) {
                    int o = t * width;
                    for (int j = j0; j < j1; j++) {
                        grad[weight + j] += dy[o + j] * s.xhat[o + j];
                    }
                    if (bias >= 0) {
                        for (int j = j0; j < j1; j++) {
                            grad[bias + j] += dy[o + j];
                        }
                    }
                }
            });
        }
        if (dx == null) {
            return;
        }
        Rows.run(gemm, n, width, (from, to) -> {
            double[] g = new double[width];
            for (int t = from; t < to; t++) {
                int o = t * width;
                for (int j = 0; j < width; j++) {
                    g[j] = theta[weight + j] * dy[o + j];
                }
                project(g, s.xhat, o, s.r[t], dx, true);
            }
        });
    }

    @Override
    public void tangent(double[] theta, double[] v, Segments seg, Saved s, double[] dx, double[] dy) {
        int n = seg.tokens();
        Rows.run(gemm, n, width, (from, to) -> {
            double[] g = new double[width];
            double[] dh = new double[width];
            for (int t = from; t < to; t++) {
                int o = t * width;
                for (int j = 0; j < width; j++) {
                    g[j] = dx[o + j];
                    dh[j] = 0;
                }
                project(g, s.xhat, o, s.r[t], dh, false);
                for (int j = 0; j < width; j++) {
                    double d = theta[weight + j] * dh[j];
                    if (v != null) {
                        d += v[weight + j] * s.xhat[o + j];
                        if (bias >= 0) {
                            d += v[bias + j];
                        }
                    }
                    dy[o + j] = d;
                }
            }
        });
    }

    /**
     * out[base + j] += r·(g_j − mean(g) − x̂_j·mean(g ⊙ x̂)) (without mean(g) for RMSNorm); out is indexed
     * from {@code base} when {@code atBase}, from 0 otherwise.
     */
    private void project(double[] g, double[] xhat, int o, double r, double[] out, boolean atBase) {
        double mean = 0;
        double dot = 0;
        for (int j = 0; j < width; j++) {
            mean += g[j];
            dot += g[j] * xhat[o + j];
        }
        mean = centered ? mean / width : 0;
        dot /= width;
        int b = atBase ? o : 0;
        for (int j = 0; j < width; j++) {
            out[b + j] += r * (g[j] - mean - xhat[o + j] * dot);
        }
    }
}
