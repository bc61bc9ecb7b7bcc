package dev.subliminal.theory.loss;

import dev.subliminal.theory.model.Batch;
import dev.subliminal.theory.model.Model;
import java.util.Arrays;

/**
 * Cross-entropy on a labelled set: L_T(θ) = −(1/N) Σ_x log σ(f_θ(x))_{c(x)}, with gradient
 * ∇L_T = Σ_x J_xᵀ (σ(f_θ(x)) − e_{c(x)})/N.
 *
 * @param inputs the trait inputs x, one per row
 * @param labels the class c(x) of each input, in [0, n)
 */
public record CrossEntropyTrait(Batch inputs, int[] labels) implements TraitLoss {

    public CrossEntropyTrait {
        inputs.requireFinite("trait inputs");
        if (labels.length != inputs.rows()) {
            throw new IllegalArgumentException("trait set has " + inputs.rows() + " inputs but " + labels.length
                    + " labels");
        }
        labels = labels.clone();
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0) {
                throw new IllegalArgumentException("trait label " + labels[i] + " at row " + i + " is negative");
            }
        }
    }

    /** {@code {"kind": "ce", "inputs": tensor, "labels": [c]}}. */
    @Override
    public java.util.Map<String, Object> record() {
        java.util.Map<String, Object> r = new java.util.LinkedHashMap<>();
        r.put("kind", "ce");
        r.put("inputs", inputs);
        r.put("labels", labels.clone());
        return r;
    }

    @Override
    public int[] labels() {
        return labels.clone();
    }

    @Override
    public double value(Model model, double[] theta) {
        Batch z = model.forward(theta, inputs);
        requireLabelsFit(z.cols());
        double[] logq = new double[z.cols()];
        double total = 0;
        for (int r = 0; r < z.rows(); r++) {
            Softmax.logSoftmax(z.data(), r * z.cols(), null, z.cols(), 1.0, logq);
            total -= logq[labels[r]];
        }
        return total / z.rows();
    }

    @Override
    public double[] gradient(Model model, double[] theta) {
        Batch z = model.forward(theta, inputs);
        int n = z.cols();
        requireLabelsFit(n);
        double[] g = new double[z.data().length];
        double[] q = new double[n];
        for (int r = 0; r < z.rows(); r++) {
            Softmax.softmax(z.data(), r * n, null, n, 1.0, q);
            for (int k = 0; k < n; k++) {
                g[r * n + k] = (q[k] - (k == labels[r] ? 1 : 0)) / z.rows();
            }
        }
        return model.vjp(theta, inputs, new Batch(z.rows(), n, g));
    }

    @Override
    public boolean appliesToAnyArchitecture() {
        return true;
    }

    /** The model's kinks on the trait inputs. */
    @Override
    public int kinks(Model model, double[] theta) {
        return model.kinks(theta, inputs);
    }

    @Override
    public String describe() {
        return "ce on " + inputs.rows() + " labelled inputs";
    }

    private void requireLabelsFit(int n) {
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] >= n) {
                throw new IllegalArgumentException("trait label " + labels[i] + " at row " + i
                        + " is out of range for " + n + " outputs");
            }
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CrossEntropyTrait c && c.inputs.equals(inputs) && Arrays.equals(c.labels, labels);
    }

    @Override
    public int hashCode() {
        return inputs.hashCode() * 31 + Arrays.hashCode(labels);
    }

    @Override
    public String toString() {
        return describe();
    }
}
