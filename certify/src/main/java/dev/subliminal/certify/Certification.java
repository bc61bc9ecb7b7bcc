package dev.subliminal.certify;

import dev.subliminal.simulation.check.CheckCase;
import dev.subliminal.theory.check.CheckSetup;
import dev.subliminal.theory.param.Vectors;

/**
 * The interval certificates of one check case: the largest range (0, ε*] on which
 * (Δ_S − Δ_S^c)·Δ_T > 0 is proved and, at the same init, the largest range on which
 * L_T(θ_S) < L_T(θ_S0) is proved for the case's α (see {@link TransmissionCertifier}). The model is
 * evaluated through its architecture's interval form, so any family that has one is certifiable.
 *
 * @param checkCase the case
 * @param setup its setup
 * @param deltaT Δ_T = −∇L_T(θ0) in double precision, the direction every claim is about
 * @param traitPart the range of the trait-carrying part
 * @param traitLoss the range of the trait loss's decrease; null unless the init is the same and α > 0
 */
public record Certification(CheckCase checkCase, CheckSetup setup, double[] deltaT, CertifiedRange traitPart,
        CertifiedRange traitLoss) {

    /** Certifies a case; the student must share the teacher's architecture. */
    public static Certification of(CheckCase c) {
        if (c.config().otherArchitecture()) {
            throw new IllegalArgumentException("certify needs the student to share the teacher's architecture; "
                    + "across architectures Δ_S·Δ_T is undefined");
        }
        CheckSetup s = c.setup();
        double[] deltaT = Vectors.scale(-1, s.trait().gradient(s.teacherModel(), s.theta0()));
        TransmissionCertifier certifier = new TransmissionCertifier(c.config().teacher().intervalForm(), s.theta0(),
                s.studentInit(), deltaT, s.imitation(), s.studentInputs());
        CertifiedRange part = certifier.certifyTraitPart();
        CertifiedRange loss = certifier.sameInit() && s.alpha() > 0 ? certifier.certifyTraitLoss(s.trait(), s.alpha())
                : null;
        return new Certification(c, s, deltaT, part, loss);
    }
}
