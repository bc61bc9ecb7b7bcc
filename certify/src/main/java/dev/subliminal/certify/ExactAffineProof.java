package dev.subliminal.certify;

import dev.subliminal.linear.AffineModel;
import dev.subliminal.theory.interval.Fractions;
import dev.subliminal.theory.model.Batch;
import java.math.BigDecimal;
import java.math.MathContext;
import org.apache.commons.numbers.fraction.BigFraction;

/**
 * The one-step lemma for the affine model f(x) = W x + b with weighted squared error, proved in exact
 * rational arithmetic from the exact values of the double inputs θ0, θ_S0, Δ_T, x, w and ε.
 *
 * <p>Here J_x v = ΔW x + Δb does not depend on θ, so f_θT − f_θ0 = ε·J Δ_T exactly and
 * (Δ_S − Δ_S^c)·Δ_T = (1/N) Σ_x 2w ⊙ (f_T(x) − f_0(x)) · J_x Δ_T = ε·Q with
 * Q = Δ_Tᵀ G Δ_T = (1/N) Σ_x Σ_i 2 w_i (J_x Δ_T)_i², a sum of squares with weights w_i ≥ 0: the
 * identity is one of polynomials in ε, so it holds for every ε and Q ≥ 0 proves the trait-carrying
 * part ≥ 0 for every ε > 0 (> 0 when Q > 0). This class computes, all exactly: Q; Δ_S, Δ_S^c as the
 * gradients the check takes at the given ε; Δ_S·Δ_T and (Δ_S − Δ_S^c)·Δ_T; and checks
 * (Δ_S − Δ_S^c)·Δ_T = ε·Q (and Δ_S·Δ_T = ε·Q at the same init) as fractions.
 *
 * @param quadraticForm Q = Δ_Tᵀ G Δ_T
 * @param dot Δ_S·Δ_T at the given ε
 * @param traitPart (Δ_S − Δ_S^c)·Δ_T at the given ε
 * @param identityHolds whether traitPart = ε·Q exactly
 */
public record ExactAffineProof(BigFraction quadraticForm, BigFraction dot, BigFraction traitPart,
        boolean identityHolds) {

    /**
     * Proves the lemma for one configuration.
     *
     * @param model the affine model
     * @param theta0 θ0
     * @param studentInit θ_S0
     * @param deltaT Δ_T, taken at its exact value
     * @param weights w of the squared error
     * @param x the student's inputs
     * @param epsilon ε
     */
    public static ExactAffineProof prove(AffineModel model, double[] theta0, double[] studentInit, double[] deltaT,
            double[] weights, Batch x, double epsilon) {
        model.layout().requireVector(theta0, "θ0");
        model.layout().requireVector(studentInit, "θ_S0");
        model.layout().requireVector(deltaT, "Δ_T");
        int d = model.inputs();
        int n = model.outputs();
        if (weights.length != n) {
            throw new IllegalArgumentException(weights.length + " weights for " + n + " outputs");
        }
        BigFraction eps = BigFraction.from(epsilon);
        BigFraction[] t0 = Fractions.exact(theta0);
        BigFraction[] ts = Fractions.exact(studentInit);
        BigFraction[] dt = Fractions.exact(deltaT);
        BigFraction[] tT = new BigFraction[t0.length];
        for (int i = 0; i < t0.length; i++) {
            tT[i] = t0[i].add(eps.multiply(dt[i]));
        }
        BigFraction[] w = Fractions.exact(weights);
        BigFraction perSample = BigFraction.of(1, x.rows());
        BigFraction q = BigFraction.ZERO;
        BigFraction[] deltaS = zeros(t0.length);
        BigFraction[] deltaC = zeros(t0.length);
        for (int r = 0; r < x.rows(); r++) {
            BigFraction[] xr = Fractions.exact(x.row(r));
            BigFraction[] u = affine(dt, xr, d, n);
            BigFraction[] f0 = affine(t0, xr, d, n);
            BigFraction[] fT = affine(tT, xr, d, n);
            BigFraction[] fS = affine(ts, xr, d, n);
            for (int i = 0; i < n; i++) {
                BigFraction twoW = w[i].multiply(2).multiply(perSample);
                q = q.add(twoW.multiply(u[i]).multiply(u[i]));
                // −∂ℓ/∂z for the student: 2w(f_T − f_S)/N, and 2w(f_0 − f_S)/N for the control
                accumulate(deltaS, twoW.multiply(fT[i].subtract(fS[i])), xr, i, d, n);
                accumulate(deltaC, twoW.multiply(f0[i].subtract(fS[i])), xr, i, d, n);
            }
        }
        BigFraction dot = BigFraction.ZERO;
        BigFraction part = BigFraction.ZERO;
        for (int k = 0; k < dt.length; k++) {
            dot = dot.add(deltaS[k].multiply(dt[k]));
            part = part.add(deltaS[k].subtract(deltaC[k]).multiply(dt[k]));
        }
        return new ExactAffineProof(q, dot, part, part.subtract(eps.multiply(q)).signum() == 0);
    }

    /**
     * A bound on the rounding error of the double-precision (Δ_S − Δ_S^c)·Δ_T (and Δ_S·Δ_T) that
     * {@code TransmissionCheck} computes for this configuration: 2·γ_k·E with γ_k = k·u/(1 − k·u),
     * u = 2⁻⁵³, k = d + N + p + 10 the largest number of rounded operations on any path of that
     * computation (θ_T = θ0 + εΔ_T: 2; forward pass: d + 1; cotangent 2w(z − y)/N: 4; VJP summed over
     * N inputs: N + 1; Δ_S − Δ_S^c: 1; dot product over p: p + 1), and E the same computation with
     * every input replaced by its absolute value and every difference by a sum (the standard bound
     * |fl(E) − E| ≤ γ_k·E_abs for sums of products). The factor 2 absorbs the rounding of E itself.
     */
    public static double doubleErrorBound(AffineModel model, double[] theta0, double[] studentInit, double[] deltaT,
            double[] weights, Batch x, double epsilon) {
        int d = model.inputs();
        int n = model.outputs();
        int p = model.parameterCount();
        double[] absT = new double[p];
        for (int i = 0; i < p; i++) {
            absT[i] = Math.abs(theta0[i]) + Math.abs(epsilon) * Math.abs(deltaT[i]);
        }
        double[] abs0 = abs(theta0);
        double[] absS = abs(studentInit);
        double[] grad = new double[p];
        for (int r = 0; r < x.rows(); r++) {
            double[] xr = abs(x.row(r));
            for (int i = 0; i < n; i++) {
                double c = 2 * weights[i] / x.rows() * (2 * absForward(absS, xr, i, d, n)
                        + absForward(absT, xr, i, d, n) + absForward(abs0, xr, i, d, n));
                for (int j = 0; j < d; j++) {
                    grad[i * d + j] += c * xr[j];
                }
                grad[n * d + i] += c;
            }
        }
        double e = 0;
        for (int k = 0; k < p; k++) {
            e += grad[k] * Math.abs(deltaT[k]);
        }
        double k = d + x.rows() + p + 10;
        double u = Math.ulp(1.0) / 2;
        return 2 * (k * u / (1 - k * u)) * e;
    }

    private static double absForward(double[] absTheta, double[] absX, int i, int d, int n) {
        double s = absTheta[n * d + i];
        for (int j = 0; j < d; j++) {
            s += absTheta[i * d + j] * absX[j];
        }
        return s;
    }

    private static double[] abs(double[] v) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = Math.abs(v[i]);
        }
        return out;
    }

    /** A fraction as a decimal with {@code digits} significant digits. */
    public static BigDecimal decimal(BigFraction f, int digits) {
        return new BigDecimal(f.getNumerator()).divide(new BigDecimal(f.getDenominator()), new MathContext(digits));
    }

    /** θ's W x + b (W [n, d] row-major, then b), exactly. */
    private static BigFraction[] affine(BigFraction[] theta, BigFraction[] x, int d, int n) {
        BigFraction[] z = new BigFraction[n];
        for (int i = 0; i < n; i++) {
            BigFraction s = theta[n * d + i];
            for (int j = 0; j < d; j++) {
                s = s.add(theta[i * d + j].multiply(x[j]));
            }
            z[i] = s;
        }
        return z;
    }

    /** grad[W_i·] += c·x, grad[b_i] += c. */
    private static void accumulate(BigFraction[] grad, BigFraction c, BigFraction[] x, int i, int d, int n) {
        for (int j = 0; j < d; j++) {
            grad[i * d + j] = grad[i * d + j].add(c.multiply(x[j]));
        }
        grad[n * d + i] = grad[n * d + i].add(c);
    }

    private static BigFraction[] zeros(int n) {
        BigFraction[] out = new BigFraction[n];
        java.util.Arrays.fill(out, BigFraction.ZERO);
        return out;
    }
}
