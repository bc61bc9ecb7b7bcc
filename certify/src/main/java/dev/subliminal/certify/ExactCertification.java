package dev.subliminal.certify;

import dev.subliminal.linear.AffineModel;
import dev.subliminal.simulation.check.CheckCase;
import dev.subliminal.theory.check.CheckResult;
import dev.subliminal.theory.check.CheckSetup;
import dev.subliminal.theory.check.TransmissionCheck;
import dev.subliminal.theory.loss.WeightedSquaredError;
import java.math.BigDecimal;
import org.apache.commons.numbers.fraction.BigFraction;

/**
 * {@code certify --exact}: the lemma for an affine model with weighted squared error, proved in exact
 * fractions ({@link ExactAffineProof}) and compared with the double-precision check at the case's ε.
 *
 * @param checkCase the case
 * @param setup its setup
 * @param check the double-precision check at ε
 * @param proof the exact proof
 * @param errorBound the a priori bound on the double result's rounding error
 */
public record ExactCertification(CheckCase checkCase, CheckSetup setup, CheckResult check, ExactAffineProof proof,
        double errorBound) {

    /** Proves the lemma for a linear model with squared-error imitation. */
    public static ExactCertification of(CheckCase c) {
        CheckSetup s = c.setup();
        if (!(s.teacherModel() instanceof AffineModel model) || c.config().otherArchitecture()) {
            throw new IllegalArgumentException("--exact needs --model linear (the Jacobian of an MLP depends on θ; "
                    + "use interval certify without --exact)");
        }
        if (!(s.imitation() instanceof WeightedSquaredError w)) {
            throw new IllegalArgumentException("--exact needs --loss mse (softmax cross-entropy is not rational; "
                    + "use interval certify without --exact)");
        }
        CheckResult r = TransmissionCheck.run(s);
        ExactAffineProof p = ExactAffineProof.prove(model, s.theta0(), s.studentInit(), r.deltaT(), w.weights(),
                s.studentInputs(), s.epsilon());
        if (!p.identityHolds()) {
            throw new IllegalStateException("the exact identity (Δ_S − Δ_S^c)·Δ_T = ε·Q failed: a bug");
        }
        double bound = ExactAffineProof.doubleErrorBound(model, s.theta0(), s.studentInit(), r.deltaT(), w.weights(),
                s.studentInputs(), s.epsilon());
        return new ExactCertification(c, s, r, p, bound);
    }

    /** |double − exact| of the double trait part, to 6 digits. */
    public BigDecimal traitPartError() {
        return ExactAffineProof.decimal(BigFraction.from(check.traitPart()).subtract(proof.traitPart()), 6).abs();
    }

    /** True when the double trait part lies within the stated bound of the exact one. */
    public boolean withinBound() {
        return traitPartError().compareTo(new BigDecimal(errorBound)) <= 0;
    }
}
