package dev.subliminal.theory.loss;

import dev.subliminal.theory.model.Batch;
import java.util.Arrays;

/**
 * Weighted squared error ℓ(z, y) = Σ_i w_i (z_i − y_i)² with w_i ≥ 0, so ∇_z ℓ = 2 w ⊙ (z − y) and
 * M = 2·diag(w).
 *
 * @param weights w, one non-negative weight per output
 */
public record WeightedSquaredError(double[] weights) implements ImitationLoss {

    public WeightedSquaredError {
        if (weights.length == 0) {
            throw new IllegalArgumentException("squared error needs at least one weight");
        }
        weights = weights.clone();
        for (int i = 0; i < weights.length; i++) {
            if (!(weights[i] >= 0) || !Double.isFinite(weights[i])) {
                throw new IllegalArgumentException("weight w_" + i + " = " + weights[i]
                        + " must be finite and ≥ 0");
            }
        }
    }

    /** Unit weights on n outputs: ℓ = ‖z − y‖². */
    public static WeightedSquaredError unit(int outputs) {
        double[] w = new double[outputs];
        Arrays.fill(w, 1.0);
        return new WeightedSquaredError(w);
    }

    /** {@code {"kind": "mse", "weights": [w_i]}}. */
    @Override
    public java.util.Map<String, Object> record() {
        java.util.Map<String, Object> r = new java.util.LinkedHashMap<>();
        r.put("kind", "mse");
        r.put("weights", weights.clone());
        return r;
    }

    @Override
    public double[] weights() {
        return weights.clone();
    }

    @Override
    public double value(Batch z, Batch y) {
        check(z, y);
        int n = z.cols();
        double total = 0;
        for (int r = 0; r < z.rows(); r++) {
            double s = 0;
            for (int i = 0; i < n; i++) {
                double d = z.data()[r * n + i] - y.data()[r * n + i];
                s += weights[i] * d * d;
            }
            total += s;
        }
        return total / z.rows();
    }

    @Override
    public Batch gradient(Batch z, Batch y) {
        check(z, y);
        int n = z.cols();
        double[] g = new double[z.data().length];
        double scale = 2.0 / z.rows();
        for (int r = 0; r < z.rows(); r++) {
            for (int i = 0; i < n; i++) {
                g[r * n + i] = scale * weights[i] * (z.data()[r * n + i] - y.data()[r * n + i]);
            }
        }
        return new Batch(z.rows(), n, g);
    }

    @Override
    public double bilinear(Batch y, Batch u, Batch v) {
        check(u, v);
        check(y, u);
        int n = u.cols();
        double total = 0;
        for (int r = 0; r < u.rows(); r++) {
            double s = 0;
            for (int i = 0; i < n; i++) {
                s += 2 * weights[i] * u.data()[r * n + i] * v.data()[r * n + i];
            }
            total += s;
        }
        return total / u.rows();
    }

    @Override
    public String describe() {
        boolean unit = Arrays.stream(weights).allMatch(w -> w == 1.0);
        return unit ? "mse" : "mse w=" + Arrays.toString(weights);
    }

    private void check(Batch a, Batch b) {
        requireSameShape(a, b);
        if (a.cols() != weights.length) {
            throw new IllegalArgumentException("squared error has " + weights.length + " weights but the outputs have "
                    + a.cols() + " columns");
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WeightedSquaredError w && Arrays.equals(w.weights, weights);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(weights);
    }

    @Override
    public String toString() {
        return describe();
    }
}
