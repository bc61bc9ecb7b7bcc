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

    /** Fewest entries for which the last sums run at the same time on several threads. */
    private static final int CONCURRENT_SUMS = 1 << 16;

    private TransmissionCheck() {
    }

    /**
     * Reads the outputs the first-order prediction is made of, f_θ0(x) and J_S,x Δ_T over the student's
     * inputs, while the check holds them (only when the architectures are the same): a caller computes
     * quantities of them without passes of its own (the language-model check's float32 rounding bound).
     */
    @FunctionalInterface
    public interface OutputsReader {
        void read(Batch f0, Batch studentJvp);
    }

    /** Runs the check, its vector operations on the calling thread. */
    public static CheckResult run(CheckSetup s) {
        return run(s, Gemm.serial());
    }

    /** {@link #run(CheckSetup, Gemm, OutputsReader)} with no reader. */
    public static CheckResult run(CheckSetup s, Gemm threads) {
        return run(s, threads, (f0, studentJvp) -> { });
    }

    /**
     * Runs the check with its entry-wise vector operations on θ-sized vectors (Δ_T = −∇L_T, the θ's of
     * the steps, the finiteness checks) on {@code threads}' threads: the same bits for any count.
     *
     * <p>The steps run in the order that holds the fewest θ-sized and output-sized arrays at once (each
     * step is a function of its inputs, so the order changes no bit): the outputs f_θ0 and f_θS0 serve
     * the first-order prediction and the two cotangents, and are unreachable before the first VJP; each
     * cotangent is unreachable after its own VJP. θ_T's array is made right after Δ_T's, while the heap
     * holds little else, and receives Δ_S (a VJP into it); θ_S, θ_C and the result's θ_T take one more
     * buffer in turn. For GPT-2 small (p = 124M, 1 GB a vector of doubles) the largest live set is then
     * θ0, Δ_T, Δ_S, Δ_S^c and that buffer (docs/language-models.md, "Memory of the check"): a collector
     * that never moves such arrays (G1) needs room for a new one four times, not eight.
     */
    public static CheckResult run(CheckSetup s, Gemm threads, OutputsReader reader) {
        Model student = s.studentModel();
        Batch x = s.studentInputs();
        double[] deltaT = Vectors.scaleInPlace(threads, -1, s.trait().gradient(s.teacherModel(), s.theta0()));
        requireFinite(threads, deltaT, "Δ_T = −∇L_T(θ0)");
        double[] thetaTThenDeltaS = new double[deltaT.length];
        Pending u = cotangents(s, threads, deltaT, thetaTThenDeltaS, reader);
        double[] deltaS = descent(threads, student, s.studentInit(), x, u.takeTowardTeacher(),
                sized(thetaTThenDeltaS, student.parameterCount()));
        requireFinite(threads, deltaS, "Δ_S");
        double[] deltaSControl = descent(threads, student, s.studentInit(), x, u.takeControl(),
                new double[student.parameterCount()]);

        double nan = Double.NaN;
        double dot = nan;
        double cosine = nan;
        double traitPart = nan;
        double absErr = nan;
        double relErr = nan;
        if (s.sameArchitecture()) {
            double[] sums = reductions(threads, deltaS, deltaT, deltaSControl);
            dot = sums[0];
            cosine = Vectors.cosine(deltaS, deltaT, sums[1], sums[2]);
            traitPart = sums[3];
            absErr = Math.abs(traitPart - u.firstOrder);
            relErr = u.firstOrder == 0 ? nan : absErr / Math.abs(u.firstOrder);
        }
        double before = s.trait().value(student, s.studentInit());
        double[] step = new double[deltaS.length];
        double afterStudent = s.trait().value(student, Vectors.axpy(threads, s.studentInit(), s.alpha(), deltaS, step));
        double afterControl = s.trait().value(student,
                Vectors.axpy(threads, s.studentInit(), s.alpha(), deltaSControl, step));
        double[] thetaT = Vectors.axpy(threads, s.theta0(), s.epsilon(), deltaT, sized(step, deltaT.length));
        return new CheckResult(deltaT, thetaT, deltaS, deltaSControl, dot, cosine, traitPart, u.firstOrder, absErr,
                relErr, before, afterStudent, afterControl, s.sameArchitecture(), s.sameInit());
    }

    /**
     * Δ_S·Δ_T, ‖Δ_S‖, ‖Δ_T‖ and (Δ_S − Δ_S^c)·Δ_T, each summed in order on one thread by its {@link Vectors}
     * method, so with the bits of a serial run, the four at the same time on the context's threads (for GPT-2
     * small each reads vectors of 1 GB, where one at a time left the second thread idle); below {@link
     * #CONCURRENT_SUMS} entries all on the calling thread, where handing a sum to another thread would cost
     * more than the sum.
     */
    private static double[] reductions(Gemm threads, double[] deltaS, double[] deltaT, double[] deltaSControl) {
        double[] out = new double[4];
        threads.ranges(out.length, deltaS.length < CONCURRENT_SUMS ? out.length : 1, (from, to) -> {
            for (int i = from; i < to; i++) {
                out[i] = switch (i) {
                    case 0 -> Vectors.dot(deltaS, deltaT);
                    case 1 -> Vectors.norm(deltaS);
                    case 2 -> Vectors.norm(deltaT);
                    default -> Vectors.differenceDot(deltaS, deltaSControl, deltaT);
                };
            }
        });
        return out;
    }

    /**
     * The two VJPs' cotangents, each handed over once so that it is unreachable after its VJP, and the
     * first-order prediction ε·(1/N) Σ_x (J_S,x Δ_T)ᵀ M(f_θ0(x)) (J_0,x Δ_T) (NaN across architectures).
     */
    private static final class Pending {
        private Batch towardTeacher;
        private Batch control;
        private final double firstOrder;

        Pending(Batch towardTeacher, Batch control, double firstOrder) {
            this.towardTeacher = towardTeacher;
            this.control = control;
            this.firstOrder = firstOrder;
        }

        /** ∂ℓ(f_θS0(x), f_θT(x))/∂z, Δ_S's cotangent; null after the first call. */
        Batch takeTowardTeacher() {
            Batch b = towardTeacher;
            towardTeacher = null;
            return b;
        }

        /** ∂ℓ(f_θS0(x), f_θ0(x))/∂z, the control's cotangent; null after the first call. */
        Batch takeControl() {
            Batch b = control;
            control = null;
            return b;
        }
    }

    /**
     * Everything that needs the outputs f_θ0 and f_θS0 (the first-order prediction's JVPs and both
     * cotangents), in a frame of its own so that those outputs are unreachable when it returns. θ_T, written
     * into {@code thetaT} (which the caller reuses for Δ_S), and f_θT serve Δ_S's cotangent only; the
     * result's θ_T is computed again at the end, the same bits.
     */
    private static Pending cotangents(CheckSetup s, Gemm threads, double[] deltaT, double[] thetaT,
            OutputsReader reader) {
        Model teacher = s.teacherModel();
        Model student = s.studentModel();
        Batch x = s.studentInputs();
        ImitationLoss loss = s.imitation();
        Batch f0 = teacher.forward(s.theta0(), x);
        Batch fS = s.sameInit() ? f0 : student.forward(s.studentInit(), x);
        double firstOrder = Double.NaN;
        if (s.sameArchitecture()) {
            Batch jTeacher = teacher.jvp(s.theta0(), x, deltaT);
            Batch jStudent = s.sameInit() ? jTeacher : student.jvp(s.studentInit(), x, deltaT);
            firstOrder = s.epsilon() * loss.bilinear(f0, jStudent, jTeacher);
            reader.read(f0, jStudent);
        }
        Batch towardTeacher = loss.gradient(fS,
                teacher.forward(Vectors.axpy(threads, s.theta0(), s.epsilon(), deltaT, thetaT), x));
        return new Pending(towardTeacher, loss.gradient(fS, f0), firstOrder);
    }

    /** −Σ_x J_xᵀ u_x into {@code out}: the VJP negated in place (−1·g_i, the bits of a negated copy). */
    private static double[] descent(Gemm threads, Model m, double[] theta, Batch x, Batch cotangents, double[] out) {
        return Vectors.scaleInPlace(threads, -1, m.vjp(theta, x, cotangents, out));
    }

    /** {@code buffer} when it has n entries, otherwise a new array (a student of another size). */
    private static double[] sized(double[] buffer, int n) {
        return buffer.length == n ? buffer : new double[n];
    }

    private static void requireFinite(Gemm threads, double[] v, String what) {
        int i = Vectors.firstNonFinite(threads, v);
        if (i >= 0) {
            throw new ArithmeticException(what + " is not finite at index " + i + " (" + v[i]
                    + "); lower ε or rescale the inputs");
        }
    }
}
