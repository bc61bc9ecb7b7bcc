package dev.subliminal.certify;

import dev.subliminal.theory.interval.Interval;
import dev.subliminal.theory.interval.IntervalModel;
import dev.subliminal.theory.loss.CrossEntropyTrait;
import dev.subliminal.theory.loss.SquaredErrorTrait;
import dev.subliminal.theory.loss.TraitLoss;
import dev.subliminal.theory.model.Batch;

/**
 * An enclosure of the trait loss's gradient ∇L_T(θ) over a box Θ: the interval VJP of the model
 * with the loss's cotangent enclosed over the outputs' enclosure F, namely (σ(F) − e_c)/m for
 * cross-entropy on m labelled inputs and 2(F − t)/m for squared error.
 */
public final class TraitEnclosure {

    private TraitEnclosure() {
    }

    /** An enclosure of ∇L_T(θ) for every θ ∈ Θ. */
    public static Interval[] gradient(TraitLoss trait, IntervalModel model, Interval[] theta) {
        Batch x;
        if (trait instanceof CrossEntropyTrait ce) {
            x = ce.inputs();
        } else if (trait instanceof SquaredErrorTrait se) {
            x = se.inputs();
        } else {
            throw new IllegalArgumentException("no interval enclosure for trait loss " + trait.describe());
        }
        int m = x.rows();
        Interval inv = Interval.of(m).reciprocal();
        int[] labels = trait instanceof CrossEntropyTrait ce ? ce.labels() : null;
        Interval[][] u = new Interval[m][];
        for (int r = 0; r < m; r++) {
            Interval[] f = model.forward(theta, x, r);
            int n = f.length;
            u[r] = new Interval[n];
            if (labels != null) {
                int[] all = new int[n];
                for (int k = 0; k < n; k++) {
                    all[k] = k;
                }
                Interval[] p = ImitationEnclosure.softmax(f, all, 1);
                int label = labels[r];
                for (int k = 0; k < n; k++) {
                    u[r][k] = (k == label ? p[k].subtract(Interval.ONE) : p[k]).multiply(inv);
                }
            } else {
                Batch t = ((SquaredErrorTrait) trait).targets();
                for (int k = 0; k < n; k++) {
                    u[r][k] = f[k].subtract(Interval.of(t.get(r, k))).multiply(2).multiply(inv);
                }
            }
        }
        return model.vjp(theta, x, u);
    }
}
