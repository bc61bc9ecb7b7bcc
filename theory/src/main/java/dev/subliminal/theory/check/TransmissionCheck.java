package dev.subliminal.theory.check;

import dev.subliminal.theory.linalg.Gemm;
import dev.subliminal.theory.loss.ImitationLoss;
import dev.subliminal.theory.model.Batch;
import dev.subliminal.theory.model.Model;
import dev.subliminal.theory.param.Vectors;

/**
 * The one-step transmission check of the paper's lemma and Theorem 1.
 *
 * <ol>
 *   <li>Teacher: Δ_T = −∇L_T(θ0), θ_T = θ0 + ε·Δ_T.</li>
 *   <li>Student: Δ_S = −∇_θ (1/N) Σ_x ℓ(f_θ(x), f_θT(x)) at θ_S0 (a real gradient at finite ε), and a
 *       control Δ_S^c with θ0 in place of θ_T; θ_S = θ_S0 + α·Δ_S.</li>
 *   <li>Trait-carrying part (Δ_S − Δ_S^c)·Δ_T and its first-order prediction
 *       ε·(1/N) Σ_x (J_S,x Δ_T)ᵀ M(f_θ0(x)) (J_0,x Δ_T), from two Jacobian-vector products per input
 *       and the small output-space M; J and G = E[Jᵀ M J] are never built. At same init J_S = J_0,
 *       Δ_S^c = 0 and the prediction is ε·Δ_Tᵀ G Δ_T ≥ 0.</li>
 *   <li>Functional effect: L_T(θ_S) and L_T(θ_S0 + α·Δ_S^c), defined across architectures too.</li>
 * </ol>
 */
public final class TransmissionCheck {

    private TransmissionCheck() {
    }

    /** Runs the check, its vector operations on the calling thread. */
    public static CheckResult run(CheckSetup s) {
        return run(s, Gemm.serial());
    }

    /**
     * Runs the check with its entry-wise vector operations on θ-sized vectors (Δ_T = −∇L_T, the θ's of
     * the steps, the finiteness checks) on {@code threads}' threads: the same bits for any count.
     */
    public static CheckResult run(CheckSetup s, Gemm threads) {
        Model teacher = s.teacherModel();
        Model student = s.studentModel();
        Batch x = s.studentInputs();
        ImitationLoss loss = s.imitation();

        double[] deltaT = Vectors.scale(threads, -1, s.trait().gradient(teacher, s.theta0()));
        requireFinite(threads, deltaT, "Δ_T = −∇L_T(θ0)");
        Batch f0 = teacher.forward(s.theta0(), x);
        Batch fS = s.sameInit() ? f0 : student.forward(s.studentInit(), x);
        // θ_T and f_θT are needed for Δ_S's cotangent only, and each cotangent for its own VJP only: none
        // outlives its use, so the passes hold at most one output-sized batch besides f0 and fS and no
        // θ_T (the result's θ_T is computed again at the end, the same bits).
        double[] deltaS = descent(threads, student, s.studentInit(), x, loss.gradient(fS,
                teacher.forward(Vectors.axpy(threads, s.theta0(), s.epsilon(), deltaT), x)));
        requireFinite(threads, deltaS, "Δ_S");
        double[] deltaSControl = descent(threads, student, s.studentInit(), x, loss.gradient(fS, f0));

        double before = s.trait().value(student, s.studentInit());
        double afterStudent = s.trait().value(student, Vectors.axpy(threads, s.studentInit(), s.alpha(), deltaS));
        double afterControl = s.trait().value(student, Vectors.axpy(threads, s.studentInit(), s.alpha(), deltaSControl));

        double nan = Double.NaN;
        double dot = nan;
        double cosine = nan;
        double traitPart = nan;
        double firstOrder = nan;
        double absErr = nan;
        double relErr = nan;
        if (s.sameArchitecture()) {
            dot = Vectors.dot(deltaS, deltaT);
            cosine = Vectors.cosine(deltaS, deltaT);
            traitPart = Vectors.differenceDot(deltaS, deltaSControl, deltaT);
            Batch jTeacher = teacher.jvp(s.theta0(), x, deltaT);
            Batch jStudent = s.sameInit() ? jTeacher : student.jvp(s.studentInit(), x, deltaT);
            firstOrder = s.epsilon() * loss.bilinear(f0, jStudent, jTeacher);
            absErr = Math.abs(traitPart - firstOrder);
            relErr = firstOrder == 0 ? nan : absErr / Math.abs(firstOrder);
        }
        double[] thetaT = Vectors.axpy(threads, s.theta0(), s.epsilon(), deltaT);
        return new CheckResult(deltaT, thetaT, deltaS, deltaSControl, dot, cosine, traitPart, firstOrder, absErr,
                relErr, before, afterStudent, afterControl, s.sameArchitecture(), s.sameInit());
    }

    /** −Σ_x J_xᵀ u_x: the VJP's fresh array negated in place (−1·g_i, the bits of a negated copy). */
    private static double[] descent(Gemm threads, Model m, double[] theta, Batch x, Batch cotangents) {
        return Vectors.scaleInPlace(threads, -1, m.vjp(theta, x, cotangents));
    }

    private static void requireFinite(Gemm threads, double[] v, String what) {
        int i = Vectors.firstNonFinite(threads, v);
        if (i >= 0) {
            throw new ArithmeticException(what + " is not finite at index " + i + " (" + v[i]
                    + "); lower ε or rescale the inputs");
        }
    }
}
