package dev.subliminal.experiments.certify;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.subliminal.simulation.check.CheckCase;
import dev.subliminal.theory.certify.CertifiedRange;
import dev.subliminal.theory.certify.TransmissionCertifier;
import dev.subliminal.theory.check.CheckSetup;
import dev.subliminal.theory.param.Vectors;

/**
 * The interval certificates of one check case: the largest range (0, ε*] on which
 * (Δ_S − Δ_S^c)·Δ_T > 0 is proved and, at the same init, the largest range on which
 * L_T(θ_S) < L_T(θ_S0) is proved for the case's α (see {@link TransmissionCertifier}).
 *
 * @param checkCase the case
 * @param setup its setup
 * @param deltaT Δ_T = −∇L_T(θ0) in double precision, the direction every claim is about
 * @param traitPart the range of the trait-carrying part
 * @param traitLoss the range of the trait loss's decrease; null unless the init is the same
 */
public record Certification(CheckCase checkCase, CheckSetup setup, double[] deltaT, CertifiedRange traitPart,
        CertifiedRange traitLoss) {

    /** Claim name and statement of the trait-carrying part. */
    public static final String TRAIT_PART = "trait-part-positive";

    /** Claim name of the trait loss's decrease. */
    public static final String TRAIT_LOSS = "trait-loss-decreases";

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

    /** The certificate's JSON tree (without its digest; {@link CertificateRecord#toJson} adds it). */
    public ObjectNode certificate(String commandLine, String[] args) {
        ObjectNode root = CertificateRecord.inputs(checkCase, setup, deltaT, "interval", commandLine, args);
        CertificateRecord.addClaim(root, TRAIT_PART, "(Δ_S − Δ_S^c)·Δ_T > 0 for every ε in (0, ε*]"
                + (setup.sameInit() ? " (Δ_S^c = 0 at the same init, so Δ_S·Δ_T > 0)" : "")
                + "; the enclosure bounds (Δ_S − Δ_S^c)·Δ_T / ε", traitPart.epsilon(), traitPart.enclosure(),
                traitPart.limit());
        if (traitLoss != null) {
            CertificateRecord.addClaim(root, TRAIT_LOSS, "L_T(θ_S0 + αΔ_S) < L_T(θ_S0) for every ε in (0, ε*] at α = "
                    + setup.alpha() + "; the enclosure bounds (L_T(θ_S) − L_T(θ_S0)) / (αε)", traitLoss.epsilon(),
                    traitLoss.enclosure(), traitLoss.limit()).put("alpha", setup.alpha());
        }
        return root;
    }
}
