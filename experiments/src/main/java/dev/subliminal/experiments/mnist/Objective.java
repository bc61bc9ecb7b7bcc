package dev.subliminal.experiments.mnist;

/**
 * A loss on a range of logits [from, to), averaged over a batch. By default a softmax cross-entropy
 * at temperature T: L = −(1/B) Σ_r Σ_{i∈[from,to)} t_{r,i} log σ(z_r/T)_i with σ the softmax over the
 * range and t_r the target distribution of example r; ∂L/∂z_{r,i} = (σ(z_r/T)_i − t_{r,i}) / (T·B) in
 * the range and 0 outside. With soft targets t = σ(y/T) this is KL(σ(y/T) ‖ σ(z/T)) up to a constant
 * in z: at T = 1 the paper's distillation loss ({@code kl_div(..., reduction="batchmean")}).
 * {@link SquaredError} overrides it with ½‖z − y‖² on the range.
 */
public sealed interface Objective permits Objective.Labels, Objective.Distillation, Objective.SquaredError {

    /** First logit of the range. */
    int from();

    /** One past the last logit of the range. */
    int to();

    /** Writes the target distribution of example {@code example} into {@code t[0 .. to − from)}. */
    void target(int example, double[] t);

    /** T, the temperature dividing the logits before the softmax. */
    default double temperature() {
        return 1;
    }

    /** Hard labels on the class logits [0, classes): the teacher's cross-entropy. */
    record Labels(byte[] labels, int classes) implements Objective {
        @Override
        public int from() {
            return 0;
        }

        @Override
        public int to() {
            return classes;
        }

        @Override
        public void target(int example, double[] t) {
            java.util.Arrays.fill(t, 0, classes, 0);
            t[labels[example]] = 1;
        }
    }

    /**
     * Soft targets σ(y) from a teacher's logits y (rows of {@code n}) on the logits [from, n).
     */
    record Distillation(float[] teacherLogits, int n, int from, double temperature) implements Objective {

        /** At temperature 1. */
        public Distillation(float[] teacherLogits, int n, int from) {
            this(teacherLogits, n, from, 1);
        }

        public Distillation {
            if (!(temperature > 0) || Double.isInfinite(temperature)) {
                throw new IllegalArgumentException("temperature " + temperature + " must be a positive number");
            }
        }

        @Override
        public int to() {
            return n;
        }

        @Override
        public void target(int example, double[] t) {
            softmax(teacherLogits, example * n + from, n - from, temperature, t);
        }
    }

    /**
     * Squared error on the logits [from, n) against a teacher's logits y (rows of {@code n}):
     * L = (1/B) Σ_r ½ Σ_{i∈[from,n)} (z_{r,i} − y_{r,i})², ∂L/∂z = (z − y)/B, M = I/B.
     */
    record SquaredError(float[] teacherLogits, int n, int from) implements Objective {
        @Override
        public int to() {
            return n;
        }

        @Override
        public void target(int example, double[] t) {
            for (int i = 0; i < n - from; i++) {
                t[i] = teacherLogits[example * n + from + i];
            }
        }

        @Override
        public void gradient(float[] logits, int n, int[] examples, int rows, float[] out) {
            int k = n - from;
            double[] t = new double[k];
            for (int r = 0; r < rows; r++) {
                int o = r * n;
                java.util.Arrays.fill(out, o, o + n, 0f);
                target(examples[r], t);
                for (int i = 0; i < k; i++) {
                    out[o + from + i] = (float) ((logits[o + from + i] - t[i]) / rows);
                }
            }
        }

        @Override
        public double curvature(float[] logits, int n, int rows, float[] v) {
            double sum = 0;
            for (int r = 0; r < rows; r++) {
                for (int i = from; i < n; i++) {
                    double x = v[r * n + i];
                    sum += x * x;
                }
            }
            return sum / rows / rows;
        }
    }

    /**
     * The loss's curvature along output directions v (rows × n, the range is read): Σ_r v_rᵀ M_r v_r
     * with M_r = ∂²L/∂z_r² of the batch mean L; for the cross-entropy M_r = (diag(p) − ppᵀ)/(T²B) over the
     * range (p = σ(z_r/T)), computed as the p-weighted variance Σ_i p_i (v_i − v̄)² / (T²B) so that it
     * is ≥ 0 in floating point too.
     */
    default double curvature(float[] logits, int n, int rows, float[] v) {
        int k = to() - from();
        double[] p = new double[k];
        double sum = 0;
        for (int r = 0; r < rows; r++) {
            int o = r * n + from();
            softmax(logits, o, k, temperature(), p);
            double mean = 0;
            for (int i = 0; i < k; i++) {
                mean += p[i] * v[o + i];
            }
            double variance = 0;
            for (int i = 0; i < k; i++) {
                double c = v[o + i] - mean;
                variance += p[i] * c * c;
            }
            sum += variance;
        }
        return sum / (temperature() * temperature()) / rows;
    }

    /**
     * Writes ∂L/∂Z into {@code out} (rows × n, row-major) for the logits {@code logits} of a batch
     * whose row r is example {@code examples[r]}.
     */
    default void gradient(float[] logits, int n, int[] examples, int rows, float[] out) {
        int k = to() - from();
        double[] p = new double[k];
        double[] t = new double[k];
        for (int r = 0; r < rows; r++) {
            int o = r * n;
            java.util.Arrays.fill(out, o, o + n, 0f);
            softmax(logits, o + from(), k, temperature(), p);
            target(examples[r], t);
            for (int i = 0; i < k; i++) {
                out[o + from() + i] = (float) ((p[i] - t[i]) / (temperature() * rows));
            }
        }
    }

    /** σ(z/T)_i = exp((z_i − max z)/T) / Σ_j exp((z_j − max z)/T) over z = x[off .. off + k), in double. */
    static void softmax(float[] x, int off, int k, double temperature, double[] p) {
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < k; i++) {
            max = Math.max(max, x[off + i]);
        }
        double sum = 0;
        for (int i = 0; i < k; i++) {
            p[i] = temperature == 1 ? StrictMath.exp(x[off + i] - max) : StrictMath.exp((x[off + i] - max) / temperature);
            sum += p[i];
        }
        for (int i = 0; i < k; i++) {
            p[i] /= sum;
        }
    }
}
