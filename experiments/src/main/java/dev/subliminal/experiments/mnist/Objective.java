package dev.subliminal.experiments.mnist;

/**
 * A softmax cross-entropy on a range of logits [from, to), averaged over a batch:
 * L = −(1/B) Σ_r Σ_{i∈[from,to)} t_{r,i} log σ(z_r)_i with σ the softmax over the range and t_r
 * the target distribution of example r; ∂L/∂z_{r,i} = (σ(z_r)_i − t_{r,i}) / B in the range and 0
 * outside. With soft targets t = σ(y) this is KL(σ(y) ‖ σ(z)) up to a constant in z: the paper's
 * distillation loss at temperature 1 ({@code kl_div(..., reduction="batchmean")}).
 */
public sealed interface Objective permits Objective.Labels, Objective.Distillation {

    /** First logit of the range. */
    int from();

    /** One past the last logit of the range. */
    int to();

    /** Writes the target distribution of example {@code example} into {@code t[0 .. to − from)}. */
    void target(int example, double[] t);

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
    record Distillation(float[] teacherLogits, int n, int from) implements Objective {
        @Override
        public int to() {
            return n;
        }

        @Override
        public void target(int example, double[] t) {
            softmax(teacherLogits, example * n + from, n - from, t);
        }
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
            softmax(logits, o + from(), k, p);
            target(examples[r], t);
            for (int i = 0; i < k; i++) {
                out[o + from() + i] = (float) ((p[i] - t[i]) / rows);
            }
        }
    }

    /** σ(z)_i = exp(z_i − max z) / Σ_j exp(z_j − max z) over z = x[off .. off + k), in double. */
    static void softmax(float[] x, int off, int k, double[] p) {
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < k; i++) {
            max = Math.max(max, x[off + i]);
        }
        double sum = 0;
        for (int i = 0; i < k; i++) {
            p[i] = StrictMath.exp(x[off + i] - max);
            sum += p[i];
        }
        for (int i = 0; i < k; i++) {
            p[i] /= sum;
        }
    }
}
