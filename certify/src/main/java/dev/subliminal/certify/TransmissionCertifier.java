package dev.subliminal.certify;

import dev.subliminal.theory.interval.Interval;
import dev.subliminal.theory.interval.IntervalModel;
import dev.subliminal.theory.interval.IntervalVectors;
import dev.subliminal.theory.loss.ImitationLoss;
import dev.subliminal.theory.loss.TraitLoss;
import dev.subliminal.theory.model.Batch;
import java.util.Arrays;
import java.util.function.DoubleFunction;
import java.util.function.Predicate;

/**
 * Interval certificates for the transmission theorem on a whole range of the teacher's step ε.
 *
 * <p><b>Trait-carrying part.</b> With θ_T = θ0 + εΔ_T and the student at θ_S0,
 * (Δ_S − Δ_S^c)·Δ_T = (1/N) Σ_x c_x(ε)·u_x, where u_x = J_S(x)Δ_T at θ_S0 and
 * c_x(ε) = ∫₀^ε M(y(s)) J(θ0 + sΔ_T)Δ_T ds (see {@link ImitationEnclosure}). Enclosing
 * J(θ)Δ_T and f_θ over the box Θ ⊇ {θ0 + sΔ_T : s ∈ [0, ε*]} by an interval JVP encloses
 * (Δ_S − Δ_S^c)·Δ_T / ε for every ε ∈ (0, ε*] at once; a positive lower bound proves
 * (Δ_S − Δ_S^c)·Δ_T > 0 on the whole range. At the same init Δ_S^c = 0 and this is Δ_S·Δ_T.
 *
 * <p><b>Trait loss (second half of Theorem 1, same init).</b> Δ_S(ε) = ε·b(ε) with
 * b(ε) ∈ B = (1/N) Σ_x J_0(x)ᵀ C_x (an interval VJP of the enclosures C_x ∋ c_x/ε), and
 * L_T(θ0 + αεb) − L_T(θ0) = αε ∫₀¹ ∇L_T(θ0 + tαεb)·b dt. Enclosing ∇L_T over
 * Θ2 = θ0 + [0, αε*]·B (see {@link TraitEnclosure}) encloses (L_T(θ_S) − L_T(θ0)) / (αε) for every
 * ε ∈ (0, ε*]; a negative upper bound proves L_T(θ_S) < L_T(θ_S0) on the range.
 *
 * <p><b>Largest range.</b> A range is accepted when its bound keeps at least 1/{@value #MARGIN} of
 * the bound's value in the limit ε → 0 (so a re-evaluation with other rounding still proves it).
 * ε* is found by doubling or halving from ε = 1/‖Δ_T‖, then {@value #BISECTIONS} bisection steps.
 * Δ_T is the given vector (the double-precision −∇L_T(θ0)) taken at its exact value.
 */
public final class TransmissionCertifier {

    /** A range must keep 1/MARGIN of the limit's bound. */
    public static final double MARGIN = 64;

    /** Bisection steps after bracketing, so ε* is within 2^−10 (relative) of the method's limit. */
    static final int BISECTIONS = 10;

    private static final int MAX_DOUBLINGS = 80;

    private final IntervalModel model;
    private final double[] theta0;
    private final double[] studentInit;
    private final double[] deltaT;
    private final ImitationLoss loss;
    private final Batch inputs;
    private final Interval[][] studentTangents;

    /**
     * @param model the teacher's (and student's) architecture, evaluated in intervals
     * @param theta0 θ0
     * @param studentInit θ_S0 (θ0 for the same init)
     * @param deltaT Δ_T
     * @param loss the imitation loss ℓ
     * @param inputs the student's inputs x
     */
    public TransmissionCertifier(IntervalModel model, double[] theta0, double[] studentInit, double[] deltaT,
            ImitationLoss loss, Batch inputs) {
        this.model = model;
        model.model().layout().requireVector(theta0, "θ0");
        model.model().layout().requireVector(studentInit, "θ_S0");
        model.model().layout().requireVector(deltaT, "Δ_T");
        this.theta0 = theta0.clone();
        this.studentInit = studentInit.clone();
        this.deltaT = deltaT.clone();
        this.loss = loss;
        this.inputs = inputs;
        Interval[] at = IntervalVectors.point(studentInit);
        studentTangents = new Interval[inputs.rows()][];
        for (int r = 0; r < inputs.rows(); r++) {
            studentTangents[r] = model.tangent(at, inputs, r, deltaT).tangents();
        }
    }

    /** True when θ_S0 = θ0. */
    public boolean sameInit() {
        return Arrays.equals(theta0, studentInit);
    }

    /** An enclosure of (Δ_S − Δ_S^c)·Δ_T / ε valid for every ε ∈ (0, ε*]; ε* = 0 gives the limit ε → 0. */
    public Interval traitPart(double epsilonStar) {
        Interval[][] c = cotangents(epsilonStar);
        Interval sum = Interval.ZERO;
        for (int r = 0; r < inputs.rows(); r++) {
            for (int k = 0; k < c[r].length; k++) {
                sum = sum.add(c[r][k].multiply(studentTangents[r][k]));
            }
        }
        return sum.multiply(Interval.of(inputs.rows()).reciprocal());
    }

    /**
     * An enclosure of (L_T(θ0 + αΔ_S) − L_T(θ0)) / (αε) valid for every ε ∈ (0, ε*] (same init
     * only); ε* = 0 gives the limit ε → 0, which is −Δ_Tᵀ G Δ_T when Δ_T = −∇L_T(θ0).
     */
    public Interval traitLossChange(TraitLoss trait, double alpha, double epsilonStar) {
        if (!sameInit()) {
            throw new IllegalArgumentException("the trait-loss certificate needs the same init (θ_S0 = θ0)");
        }
        if (!(alpha > 0) || !Double.isFinite(alpha)) {
            throw new IllegalArgumentException("α = " + alpha + " must be finite and > 0");
        }
        Interval[] b = IntervalVectors.zeros(theta0.length);
        Interval[] point = IntervalVectors.point(theta0);
        Interval[] sum = model.vjp(point, inputs, cotangents(epsilonStar));
        Interval inv = Interval.of(inputs.rows()).reciprocal();
        for (int i = 0; i < b.length; i++) {
            b[i] = sum[i].multiply(inv);
        }
        Interval[] box = IntervalVectors.segment(theta0, b, Interval.of(alpha).multiply(epsilonStar).hi());
        return IntervalVectors.dot(TraitEnclosure.gradient(trait, model, box), b);
    }

    /** The largest range on which (Δ_S − Δ_S^c)·Δ_T > 0 is proved. */
    public CertifiedRange certifyTraitPart() {
        return largest(this::traitPart, i -> i.lo() > 0, false);
    }

    /** The largest range on which L_T(θ_S) < L_T(θ_S0) is proved for this α (same init only). */
    public CertifiedRange certifyTraitLoss(TraitLoss trait, double alpha) {
        return largest(e -> traitLossChange(trait, alpha, e), i -> i.hi() < 0, true);
    }

    /** c_x(ε)/ε enclosed over s ∈ [0, ε*], one row per input. */
    private Interval[][] cotangents(double epsilonStar) {
        if (!(epsilonStar >= 0) || !Double.isFinite(epsilonStar)) {
            throw new IllegalArgumentException("ε* = " + epsilonStar + " must be finite and ≥ 0");
        }
        Interval[] box = IntervalVectors.segment(theta0, deltaT, epsilonStar);
        Interval[][] c = new Interval[inputs.rows()][];
        for (int r = 0; r < inputs.rows(); r++) {
            IntervalModel.Tangent t = model.tangent(box, inputs, r, deltaT);
            c[r] = ImitationEnclosure.cotangent(loss, t.outputs(), t.tangents());
        }
        return c;
    }

    private CertifiedRange largest(DoubleFunction<Interval> bound, Predicate<Interval> proves, boolean negative) {
        Interval limit = bound.apply(0);
        if (!limit.isFinite() || !proves.test(limit)) {
            return new CertifiedRange(0, limit, limit);
        }
        double threshold = (negative ? limit.hi() : limit.lo()) / MARGIN;
        Predicate<Double> ok = e -> {
            try {
                Interval i = bound.apply(e);
                return i.isFinite() && (negative ? i.hi() <= threshold : i.lo() >= threshold);
            } catch (ArithmeticException overflow) {
                return false;
            }
        };
        double norm = 0;
        for (double d : deltaT) {
            norm = Math.max(norm, Math.abs(d));
        }
        double lo = 0;
        double hi = 1 / norm;
        for (int k = 0; k < MAX_DOUBLINGS && ok.test(hi); k++) {
            lo = hi;
            hi *= 2;
        }
        if (lo == 0) {
            for (int k = 0; k < MAX_DOUBLINGS && lo == 0; k++) {
                hi /= 2;
                if (ok.test(hi)) {
                    lo = hi;
                    hi *= 2;
                }
            }
        }
        if (lo == 0) {
            return new CertifiedRange(0, limit, limit);
        }
        for (int k = 0; k < BISECTIONS; k++) {
            double mid = lo + (hi - lo) / 2;
            if (ok.test(mid)) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return new CertifiedRange(lo, bound.apply(lo), limit);
    }
}
