package dev.subliminal.lm.check;

import dev.subliminal.lm.loss.SequenceImitation;
import dev.subliminal.lm.transformer.Precision;
import dev.subliminal.lm.transformer.Transformer;
import dev.subliminal.lm.transformer.TransformerConfig;
import dev.subliminal.theory.check.CheckResult;
import dev.subliminal.theory.check.CheckSetup;
import dev.subliminal.theory.check.TransmissionCheck;
import dev.subliminal.theory.linalg.Gemm;
import dev.subliminal.theory.loss.ImitationLoss;
import dev.subliminal.theory.loss.WeightedSquaredError;
import dev.subliminal.theory.model.Batch;
import dev.subliminal.theory.param.Vectors;

/**
 * How far Δ_S·Δ_T of a check whose transformers compute in float32 may lie from the same check in
 * exact arithmetic: an error model of float32 rounding, stated here and tested (not proven).
 *
 * <p>The model: every float32 pass (forward, VJP, JVP) returns its result with a relative error (in
 * the 2-norm, per position for logits) of at most ρ = {@value #C}·u·(2L + 2)·√K, where u = 2⁻²⁴, L is
 * the number of layers (each adds a few roundings to every path) and K the longest sum the passes
 * form: max(d, intermediate width, V, T, N·T) (a weight gradient sums over every token of the batch,
 * a logit over d, a softmax over T or V). With Δ̂ the computed vectors, the error of
 * Δ_S·Δ_T = −Δ_Tᵀ J_Sᵀ g(f_S, f_T) has three parts, each bounded by Cauchy–Schwarz:
 * <ul>
 *   <li>the rounding of the trait gradient Δ_T and of the student's VJP: 2ρ·‖Δ̂_S‖·‖Δ̂_T‖;</li>
 *   <li>the rounding of the logits f_T and f_S (θ_T = θ0 + εΔ_T is rounded to float32 too) that the
 *       imitation gradient g reads: the error of g is M·(δ_T − δ_S) to first order, so its part of the
 *       product is E_x[(J_S Δ_T)ᵀ M (δ_T − δ_S)] ≤ A·√λ·2ρ·F, with A² = E_x[(J_S Δ_T)ᵀ M (J_S Δ_T)] (from
 *       the check's own JVP), λ the largest eigenvalue of M (1/τ² for the soft cross-entropy, 2·max w for
 *       squared error) and F² = E_x ‖f̂_0(x)‖² (summed over positions, averaged over sequences as the loss
 *       is; from the check's own f_θ0);</li>
 *   <li>the double-precision dot product of the two vectors: negligible (≤ p·2⁻⁵³·‖Δ̂_S‖‖Δ̂_T‖, added).</li>
 * </ul>
 * At the same init the second part does not shrink with ε while Δ_S·Δ_T ≈ ε·A² does: float32 checks
 * need ε large enough that ε·A ≫ ρ·F. The constant C = {@value #C} is about fifteen times the largest
 * ratio of observed error to the bound at C = 1 (0.27), over 1,600 random tiny GPT-2 and Llama checks
 * (seeds 1 to 4 of {@code RoundingCases}: ε from 10⁻⁵ to 10⁻¹, same and perturbed inits, subsets,
 * temperatures 0.5 to 2); {@code RoundingBoundTest} checks that it holds on every case of another seed.
 *
 * <p>The model assumes well-conditioned passes. A LayerNorm over width 2 (a GPT-2 with d = 2) is not:
 * x̂ = ±1 and its condition number 1/σ is unbounded; there 1 case in 1,200 erred 259 times the bound.
 * Real models' norms run over hundreds of entries.
 *
 * @param value the bound on |Δ̂_S·Δ̂_T − Δ_S·Δ_T|
 * @param rho ρ, the relative error assumed for each float32 pass
 * @param gradientPart 2ρ·‖Δ̂_S‖·‖Δ̂_T‖
 * @param logitPart A·√λ·2ρ·F
 */
public record RoundingBound(double value, double rho, double gradientPart, double logitPart) {

    /** The safety constant of ρ. */
    public static final double C = 4;

    /**
     * A² = E_x[(J_S Δ_T)ᵀ M (J_S Δ_T)] and F² = E_x ‖f̂_0(x)‖², read from the check's own f_θ0 and J_S Δ_T
     * while it holds them: pass it to {@link TransmissionCheck#run(CheckSetup, Gemm,
     * TransmissionCheck.OutputsReader)}, then to {@link #of}. No pass of its own, so no memory beyond the
     * check's.
     */
    public static final class Outputs implements TransmissionCheck.OutputsReader {
        private final ImitationLoss loss;
        private double aSquared = Double.NaN;
        private double fSquared = Double.NaN;

        /** A reader for the check of {@code s}. */
        public Outputs(CheckSetup s) {
            this.loss = s.imitation();
        }

        @Override
        public void read(Batch f0, Batch studentJvp) {
            aSquared = loss.bilinear(f0, studentJvp, studentJvp);
            fSquared = meanSquaredNorm(f0);
        }

        /** A², NaN before the check has read. */
        double aSquared() {
            return aSquared;
        }

        /** F², NaN before the check has read. */
        double fSquared() {
            return fSquared;
        }
    }

    /**
     * The bound for a check whose models are float32 transformers, from its result and the {@code outputs}
     * that read its f_θ0 and J_S Δ_T; NaN parts when the models compute in float64 (the bound is then not
     * needed), across architectures, or when the imitation loss is neither the sequence cross-entropy nor
     * squared error.
     */
    public static RoundingBound of(CheckSetup s, CheckResult r, Outputs outputs) {
        if (!(s.studentModel() instanceof Transformer student) || !(s.teacherModel() instanceof Transformer teacher)
                || student.precision() != Precision.FLOAT32 && teacher.precision() != Precision.FLOAT32
                || !r.sameArchitecture()) {
            return new RoundingBound(Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
        if (Double.isNaN(outputs.fSquared())) {
            throw new IllegalStateException("the check did not pass its outputs to this reader");
        }
        double lambda = largestEigenvalue(s.imitation());
        double rho = rho(student.config(), s.studentInputs().rows(), student.sequenceLength());
        double ns = Vectors.norm(r.deltaS());
        double nt = Vectors.norm(r.deltaT());
        double gradientPart = 2 * rho * ns * nt;
        double a = Math.sqrt(Math.max(0, outputs.aSquared()));
        double f = Math.sqrt(outputs.fSquared());
        double logitPart = a * Math.sqrt(lambda) * 2 * rho * f;
        double dot = ns * nt * r.deltaS().length * 0x1p-53;
        return new RoundingBound(gradientPart + logitPart + dot, rho, gradientPart, logitPart);
    }

    /** ρ = C·u·(2L + 2)·√K for float32's u = 2⁻²⁴. */
    static double rho(TransformerConfig c, int rows, int length) {
        long k = Math.max(Math.max(c.hiddenSize(), c.intermediateSize()), Math.max(c.vocabSize(),
                (long) rows * length));
        return C * Precision.FLOAT32.unitRoundoff() * (2 * c.layers() + 2) * Math.sqrt(k);
    }

    private static double largestEigenvalue(ImitationLoss loss) {
        if (loss instanceof SequenceImitation s) {
            double t = s.perPosition().temperature();
            return 1 / (t * t);
        }
        if (loss instanceof WeightedSquaredError w) {
            double max = 0;
            for (double v : w.weights()) {
                max = Math.max(max, v);
            }
            return 2 * max;
        }
        return Double.NaN;
    }

    /** E_x ‖f(x)‖² as the loss averages: summed over rows and divided by the number of sequences. */
    private static double meanSquaredNorm(Batch f) {
        double sum = 0;
        for (double v : f.data()) {
            sum += v * v;
        }
        return sum / f.rows();
    }
}
