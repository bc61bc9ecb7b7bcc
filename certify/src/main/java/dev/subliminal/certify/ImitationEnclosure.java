package dev.subliminal.certify;

import dev.subliminal.theory.interval.Interval;
import dev.subliminal.theory.loss.ImitationLoss;
import dev.subliminal.theory.loss.SoftCrossEntropy;
import dev.subliminal.theory.loss.WeightedSquaredError;

/**
 * How the student's cotangent moves with the teacher, enclosed. For a teacher whose outputs move
 * along y(s) = f_{θ0 + sΔ_T}(x), the trait-carrying cotangent is
 * c(ε) = −(∇_z ℓ(z, y(ε)) − ∇_z ℓ(z, y(0))) = ∫₀^ε M(y(s)) y′(s) ds, with y′(s) = J(θ0 + sΔ_T)Δ_T.
 * Given enclosures F ∋ y(s) and D ∋ y′(s) over s ∈ [0, ε], c(ε)/ε lies in:
 * <ul>
 *   <li>weighted squared error (M = 2·diag(w)): 2 w ⊙ D;</li>
 *   <li>soft cross-entropy on the logits S at temperature T (M = (diag(p) − ppᵀ)/T²):
 *       P ⊙ (D_S − Σ_j P_j D_j) / T² on S and 0 elsewhere, with P ∋ σ(F_S/T).</li>
 * </ul>
 */
public final class ImitationEnclosure {

    private ImitationEnclosure() {
    }

    /** An enclosure of c(ε)/ε from enclosures of the teacher's outputs F and their derivative D. */
    public static Interval[] cotangent(ImitationLoss loss, Interval[] outputs, Interval[] tangents) {
        int n = tangents.length;
        Interval[] c = new Interval[n];
        if (loss instanceof WeightedSquaredError w) {
            double[] weights = w.weights();
            for (int i = 0; i < n; i++) {
                c[i] = tangents[i].multiply(2 * weights[i]);
            }
            return c;
        }
        if (loss instanceof SoftCrossEntropy ce) {
            java.util.Arrays.fill(c, Interval.ZERO);
            int[] s = logits(ce, n);
            double t = ce.temperature();
            Interval[] p = softmax(outputs, s, t);
            Interval mean = Interval.ZERO;
            for (int k = 0; k < s.length; k++) {
                mean = mean.add(p[k].multiply(tangents[s[k]]));
            }
            Interval scale = Interval.of(t).square().reciprocal();
            for (int k = 0; k < s.length; k++) {
                c[s[k]] = p[k].multiply(tangents[s[k]].subtract(mean)).multiply(scale);
            }
            return c;
        }
        throw new IllegalArgumentException("no interval enclosure for imitation loss " + loss.describe());
    }

    /**
     * σ(Z_S/T) enclosed coordinate by coordinate as P_k = 1 / (1 + Σ_{j≠k} exp((Z_j − Z_k)/T)),
     * clipped to [0, 1].
     */
    public static Interval[] softmax(Interval[] z, int[] index, double temperature) {
        Interval inv = Interval.of(temperature).reciprocal();
        Interval[] p = new Interval[index.length];
        for (int k = 0; k < index.length; k++) {
            Interval sum = Interval.ONE;
            for (int j = 0; j < index.length; j++) {
                if (j != k) {
                    sum = sum.add(z[index[j]].subtract(z[index[k]]).multiply(inv).exp());
                }
            }
            Interval q = sum.reciprocal();
            p[k] = new Interval(Math.max(0, q.lo()), Math.min(1, q.hi()));
        }
        return p;
    }

    /** The logit indices S of a cross-entropy over n outputs. */
    static int[] logits(SoftCrossEntropy ce, int n) {
        int[] s = ce.logits();
        if (s == null) {
            s = new int[n];
            for (int i = 0; i < n; i++) {
                s[i] = i;
            }
        }
        return s;
    }
}
