package dev.subliminal.experiments.certify;

import dev.subliminal.simulation.check.CheckConfig;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.subliminal.linear.AffineModel;
import dev.subliminal.linear.ExactAffineProof;
import dev.subliminal.simulation.check.CheckCase;
import dev.subliminal.theory.check.CheckResult;
import dev.subliminal.theory.check.CheckSetup;
import dev.subliminal.theory.check.TransmissionCheck;
import dev.subliminal.theory.loss.WeightedSquaredError;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.util.Locale;
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

    /** Claim name of the exact proof. */
    public static final String CLAIM = "exact-quadratic-form";

    /** Fractions longer than this are printed by their size only (they are in the certificate). */
    private static final int PRINTED_DIGITS = 400;

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

    /** |double − exact| of the double trait part. */
    public BigDecimal traitPartError() {
        return ExactAffineProof.decimal(BigFraction.from(check.traitPart()).subtract(proof.traitPart()), 6).abs();
    }

    /** True when the double trait part lies within the stated bound of the exact one. */
    public boolean withinBound() {
        return traitPartError().compareTo(new BigDecimal(errorBound)) <= 0;
    }

    /** Prints the proof. */
    public void print(PrintWriter out) {
        BigFraction q = proof.quadraticForm();
        out.println("model " + setup.teacherModel().describe() + ", init " + CheckConfig.INIT.format(checkCase.config().get(CheckConfig.INIT))
                + ", loss " + setup.imitation().describe() + ", " + setup.studentInputs().rows()
                + " student inputs, seed " + checkCase.seed());
        out.println("Q = Δ_Tᵀ G Δ_T = (1/N) Σ_x Σ_i 2 w_i (J_x Δ_T)_i², a sum of squares with w_i ≥ 0, exactly:");
        out.println("  Q = " + fraction(q));
        out.println("  Q ≈ " + ExactAffineProof.decimal(q, 30) + (q.signum() > 0 ? " > 0" : " (= 0: Δ_T is invisible on these inputs)"));
        out.println("(Δ_S − Δ_S^c)·Δ_T = ε·Q holds exactly at ε = " + setup.epsilon()
                + "; both sides are polynomials in ε (f_θT − f_θ0 = ε·J Δ_T for an affine f), so it holds for every ε"
                + (setup.sameInit() ? ", and Δ_S·Δ_T = (Δ_S − Δ_S^c)·Δ_T since Δ_S^c = 0 at the same init" : ""));
        out.printf(Locale.ROOT, "double-precision trait part %.17g, exact %s; |difference| %s ≤ stated bound %.3g: %s%n",
                check.traitPart(), ExactAffineProof.decimal(proof.traitPart(), 17), traitPartError(), errorBound,
                withinBound() ? "yes" : "NO");
        out.flush();
    }

    /** The certificate's JSON tree (without its digest). */
    public ObjectNode certificate(String commandLine, String[] args) {
        ObjectNode root = CertificateRecord.inputs(checkCase, setup, check.deltaT(), "exact", commandLine, args);
        ObjectNode c = ((com.fasterxml.jackson.databind.node.ArrayNode) root.get("claims")).addObject();
        c.put("claim", CLAIM);
        c.put("statement", "(Δ_S − Δ_S^c)·Δ_T = ε·Q for every ε > 0 with Q = Δ_Tᵀ G Δ_T > 0"
                + (setup.sameInit() ? "; at the same init Δ_S·Δ_T = ε·Q" : ""));
        c.put("certified", proof.quadraticForm().signum() > 0);
        c.set("quadraticForm", json(proof.quadraticForm()));
        c.put("quadraticFormDecimal", ExactAffineProof.decimal(proof.quadraticForm(), 30).toString());
        c.put("epsilon", setup.epsilon());
        c.set("traitPart", json(proof.traitPart()));
        c.set("dot", json(proof.dot()));
        c.put("doubleTraitPart", check.traitPart());
        c.put("doubleDot", check.dot());
        c.put("doubleErrorBound", errorBound);
        return root;
    }

    private static ObjectNode json(BigFraction f) {
        ObjectNode o = CertificateRecord.MAPPER.createObjectNode();
        o.put("numerator", f.getNumerator().toString());
        o.put("denominator", f.getDenominator().toString());
        return o;
    }

    private static String fraction(BigFraction f) {
        String s = f.getNumerator() + " / " + f.getDenominator();
        return s.length() <= PRINTED_DIGITS ? s : "a fraction of " + f.getNumerator().toString().length() + " over "
                + f.getDenominator().toString().length() + " digits (written to the certificate)";
    }
}
