package dev.subliminal.theory.loss;

import dev.subliminal.theory.linalg.Gemm;
import dev.subliminal.theory.model.Batch;
import java.util.Arrays;

/**
 * Softmax cross-entropy with soft targets and temperature T over a fixed subset S of the logits:
 * ℓ(z, y) = −Σ_{i∈S} p_i log q_i with p = σ(y_S/T) and q = σ(z_S/T). Then
 * ∇_z ℓ = (q − p)/T on S (zero elsewhere) and M = (diag(p) − p pᵀ)/T² on S (zero elsewhere).
 * With S = all logits and T = 1 this is the paper's M = diag(σ(y)) − σ(y)σ(y)ᵀ. Restricted to a
 * subset it is KL distillation on auxiliary logits: KL(p‖q) differs from ℓ by a term free of θ.
 *
 * @param temperature T > 0
 * @param logits the indices S, strictly increasing; null for all logits
 */
public record SoftCrossEntropy(double temperature, int[] logits) implements ImitationLoss {

    public SoftCrossEntropy {
        if (!(temperature > 0) || !Double.isFinite(temperature)) {
            throw new IllegalArgumentException("temperature T = " + temperature + " must be finite and > 0");
        }
        if (logits != null) {
            logits = logits.clone();
            if (logits.length == 0) {
                throw new IllegalArgumentException("the distilled logit subset is empty");
            }
            for (int k = 0; k < logits.length; k++) {
                if (logits[k] < 0 || (k > 0 && logits[k] <= logits[k - 1])) {
                    throw new IllegalArgumentException("distilled logit indices must be ≥ 0 and strictly increasing, got "
                            + Arrays.toString(logits));
                }
            }
        }
    }

    /** Cross-entropy over all logits at temperature T. */
    public static SoftCrossEntropy all(double temperature) {
        return new SoftCrossEntropy(temperature, null);
    }

    /** Cross-entropy over the last k of n logits (the auxiliary logits), at temperature T. */
    public static SoftCrossEntropy lastLogits(int n, int k, double temperature) {
        if (k < 1 || k > n) {
            throw new IllegalArgumentException("cannot distil the last " + k + " of " + n + " logits");
        }
        int[] idx = new int[k];
        for (int i = 0; i < k; i++) {
            idx[i] = n - k + i;
        }
        return new SoftCrossEntropy(temperature, idx);
    }

    /** {@code {"kind": "ce", "temperature": T, "logits": null or [indices]}}. */
    @Override
    public java.util.Map<String, Object> record() {
        java.util.Map<String, Object> r = new java.util.LinkedHashMap<>();
        r.put("kind", "ce");
        r.put("temperature", temperature);
        r.put("logits", logits);
        return r;
    }

    @Override
    public int[] logits() {
        return logits == null ? null : logits.clone();
    }

    @Override
    public double value(Batch z, Batch y) {
        check(z, y);
        int m = size(z.cols());
        double[] p = new double[m];
        double[] logq = new double[m];
        double total = 0;
        for (int r = 0; r < z.rows(); r++) {
            Softmax.softmax(y.data(), r * y.cols(), logits, m, temperature, p);
            Softmax.logSoftmax(z.data(), r * z.cols(), logits, m, temperature, logq);
            double s = 0;
            for (int k = 0; k < m; k++) {
                s -= p[k] * logq[k];
            }
            total += s;
        }
        return total / z.rows();
    }

    @Override
    public Batch gradient(Batch z, Batch y) {
        return gradient(z, y, Gemm.serial());
    }

    /**
     * {@link #gradient(Batch, Batch)} with its rows spread over {@code threads}' threads: every row is
     * computed as on one thread, so the bits do not depend on the count. When z and y are the same
     * array (the control's ∇ℓ(f_θ0, f_θ0)), σ is computed once per row, q = p, and not at all where
     * every z_k/T is finite: there σ is finite and the row is exactly +0 (the same bits).
     */
    public Batch gradient(Batch z, Batch y, Gemm threads) {
        check(z, y);
        int n = z.cols();
        int m = size(n);
        double[] g = new double[z.data().length];
        double scale = 1.0 / (temperature * z.rows());
        boolean same = z.data() == y.data();
        threads.ranges(z.rows(), grain(m), (r0, r1) -> {
            double[] p = new double[m];
            double[] q = same ? p : new double[m];
            for (int r = r0; r < r1; r++) {
                if (same && Double.isFinite(scale) && finiteScaled(z.data(), r * n, m)) {
                    continue; // q = p is finite, so every entry is scale·(p_k − p_k) = +0, as g already holds
                }
                Softmax.softmax(y.data(), r * n, logits, m, temperature, p);
                if (!same) {
                    Softmax.softmax(z.data(), r * n, logits, m, temperature, q);
                }
                for (int k = 0; k < m; k++) {
                    g[r * n + index(k)] = scale * (q[k] - p[k]);
                }
            }
        });
        return new Batch(z.rows(), n, g);
    }

    /**
     * (1/N) Σ_x Σ_k p_k (u_k − ū)(v_k − v̄)/T² with ū = Σ p_k u_k: the covariance form of
     * uᵀ(diag(p) − p pᵀ)v, which for u = v is a sum of non-negative terms.
     */
    @Override
    public double bilinear(Batch y, Batch u, Batch v) {
        return bilinear(y, u, v, Gemm.serial());
    }

    /**
     * {@link #bilinear(Batch, Batch, Batch)} with the rows' terms computed on {@code threads}' threads
     * and summed afterwards in row order: the same bits for any count.
     */
    public double bilinear(Batch y, Batch u, Batch v, Gemm threads) {
        check(y, u);
        check(u, v);
        int n = y.cols();
        int m = size(n);
        double[] rows = new double[y.rows()];
        threads.ranges(y.rows(), grain(m), (r0, r1) -> {
            double[] p = new double[m];
            for (int r = r0; r < r1; r++) {
                Softmax.softmax(y.data(), r * n, logits, m, temperature, p);
                double ubar = 0;
                double vbar = 0;
                for (int k = 0; k < m; k++) {
                    ubar += p[k] * u.data()[r * n + index(k)];
                    vbar += p[k] * v.data()[r * n + index(k)];
                }
                double s = 0;
                for (int k = 0; k < m; k++) {
                    s += p[k] * (u.data()[r * n + index(k)] - ubar) * (v.data()[r * n + index(k)] - vbar);
                }
                rows[r] = s;
            }
        });
        double total = 0;
        for (double s : rows) {
            total += s;
        }
        return total / (y.rows() * temperature * temperature);
    }

    /** Whether z_k/T is finite for every selected k of the row at {@code offset}. */
    private boolean finiteScaled(double[] z, int offset, int m) {
        for (int k = 0; k < m; k++) {
            if (!Double.isFinite(z[offset + index(k)] / temperature)) {
                return false;
            }
        }
        return true;
    }

    /** Rows per parallel range: about 2¹⁵ logits, so that small batches stay on the calling thread. */
    private static int grain(int m) {
        return Math.max(1, (1 << 15) / m);
    }

    @Override
    public String describe() {
        String t = temperature == 1.0 ? "" : " T=" + temperature;
        return "ce" + t + (logits == null ? "" : " logits" + Arrays.toString(logits));
    }

    private int size(int n) {
        return logits == null ? n : logits.length;
    }

    private int index(int k) {
        return logits == null ? k : logits[k];
    }

    private void check(Batch a, Batch b) {
        requireSameShape(a, b);
        if (logits != null && logits[logits.length - 1] >= a.cols()) {
            throw new IllegalArgumentException("distilled logit index " + logits[logits.length - 1]
                    + " is out of range for " + a.cols() + " outputs");
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SoftCrossEntropy c && c.temperature == temperature && Arrays.equals(c.logits, logits);
    }

    @Override
    public int hashCode() {
        return Double.hashCode(temperature) * 31 + Arrays.hashCode(logits);
    }

    @Override
    public String toString() {
        return describe();
    }
}
