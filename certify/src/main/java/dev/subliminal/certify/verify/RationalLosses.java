package dev.subliminal.certify.verify;

import dev.subliminal.theory.interval.Fractions;
import dev.subliminal.theory.interval.RationalInterval;
import dev.subliminal.theory.loss.CrossEntropyTrait;
import dev.subliminal.theory.loss.ImitationLoss;
import dev.subliminal.theory.loss.SoftCrossEntropy;
import dev.subliminal.theory.loss.SquaredErrorTrait;
import dev.subliminal.theory.loss.TraitLoss;
import dev.subliminal.theory.loss.WeightedSquaredError;
import java.util.Arrays;
import java.util.stream.IntStream;
import org.apache.commons.numbers.fraction.BigFraction;

/**
 * The losses' parts of the verifier's computations, in {@link RationalInterval}s: the imitation
 * cotangent's rate c/ε (2w ⊙ D for squared error; P ⊙ (D_S − Σ_j P_j D_j)/T² on the distilled
 * logits S for cross-entropy, with P_k = 1/(1 + Σ_{j≠k} exp((F_j − F_k)/T)) clipped to [0, 1]) and
 * the trait loss's cotangent ((P − e_c)/m for cross-entropy on m labelled inputs, 2(F − t)/m for
 * squared error). Written apart from the certifier's enclosures, which it re-checks.
 */
final class RationalLosses {

    private RationalLosses() {
    }

    /** An enclosure of c/ε from enclosures F of the teacher's outputs and D of their rate along Δ_T. */
    static RationalInterval[] imitationRate(ImitationLoss loss, RationalInterval[] f, RationalInterval[] d) {
        if (loss instanceof WeightedSquaredError mse) {
            double[] w = mse.weights();
            return IntStream.range(0, d.length).mapToObj(i -> d[i].multiply(BigFraction.from(2 * w[i])))
                    .toArray(RationalInterval[]::new);
        }
        if (!(loss instanceof SoftCrossEntropy ce)) {
            throw new IllegalArgumentException("the verifier has no rational form of imitation loss " + loss.describe());
        }
        int[] s = ce.logits() == null ? IntStream.range(0, f.length).toArray() : ce.logits();
        BigFraction invT = BigFraction.from(ce.temperature()).reciprocal();
        RationalInterval[] p = softmax(f, s, invT);
        RationalInterval average = RationalInterval.ZERO;
        for (int k = 0; k < s.length; k++) {
            average = average.add(p[k].multiply(d[s[k]]));
        }
        RationalInterval[] c = new RationalInterval[f.length];
        Arrays.fill(c, RationalInterval.ZERO);
        BigFraction scale = invT.multiply(invT);
        for (int k = 0; k < s.length; k++) {
            c[s[k]] = d[s[k]].subtract(average).multiply(p[k]).multiply(scale).outward();
        }
        return c;
    }

    /** The trait loss's cotangent at the r-th trait input, from the enclosure F of the outputs there. */
    static RationalInterval[] traitCotangent(TraitLoss trait, int r, RationalInterval[] f) {
        int n = f.length;
        RationalInterval[] u = new RationalInterval[n];
        if (trait instanceof CrossEntropyTrait ce) {
            BigFraction perInput = BigFraction.of(1, ce.inputs().rows());
            RationalInterval[] p = softmax(f, IntStream.range(0, n).toArray(), BigFraction.ONE);
            int label = ce.labels()[r];
            for (int k = 0; k < n; k++) {
                u[k] = (k == label ? p[k].subtract(RationalInterval.ONE) : p[k]).multiply(perInput).outward();
            }
            return u;
        }
        if (trait instanceof SquaredErrorTrait se) {
            BigFraction twicePerInput = BigFraction.of(2, se.inputs().rows());
            for (int k = 0; k < n; k++) {
                u[k] = f[k].outward().subtract(RationalInterval.point(se.targets().get(r, k)))
                        .multiply(twicePerInput).outward();
            }
            return u;
        }
        throw new IllegalArgumentException("the verifier has no rational form of trait loss " + trait.describe());
    }

    /** The trait loss's inputs, exactly. */
    static BigFraction[][] traitInputs(TraitLoss trait) {
        if (trait instanceof CrossEntropyTrait ce) {
            return Fractions.exact(ce.inputs());
        }
        if (trait instanceof SquaredErrorTrait se) {
            return Fractions.exact(se.inputs());
        }
        throw new IllegalArgumentException("the verifier has no rational form of trait loss " + trait.describe());
    }

    /** P_k = 1/(1 + Σ_{j≠k} exp((F_{s_j} − F_{s_k})/T)) over the indices s, clipped to [0, 1], rounded outward. */
    private static RationalInterval[] softmax(RationalInterval[] f, int[] s, BigFraction invT) {
        return IntStream.range(0, s.length).mapToObj(k -> IntStream.range(0, s.length).filter(j -> j != k)
                .mapToObj(j -> f[s[j]].subtract(f[s[k]]).multiply(invT).exp())
                .reduce(RationalInterval.ONE, RationalInterval::add)
                .reciprocalOfPositive().clip(BigFraction.ZERO, BigFraction.ONE).outward())
                .toArray(RationalInterval[]::new);
    }
}
