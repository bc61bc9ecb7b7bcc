package dev.subliminal.certify;

import dev.subliminal.simulation.mlp.Activation;
import dev.subliminal.simulation.mlp.MlpFamily;
import dev.subliminal.spec.Architecture;
import dev.subliminal.theory.loss.ImitationLoss;
import dev.subliminal.theory.loss.SoftCrossEntropy;
import dev.subliminal.theory.loss.WeightedSquaredError;
import dev.subliminal.theory.model.Batch;
import java.math.BigDecimal;
import java.math.MathContext;

/**
 * A 50-digit reference for the trait-carrying part, independent of the double and interval code:
 * θ_T = θ0 + εΔ_T is formed exactly, f and J·v are propagated in {@link BigDecimal} (tanh and exp
 * from their series), and (Δ_S − Δ_S^c)·Δ_T = (1/N) Σ_x r(f_T(x), f_0(x))·(J_S(x)Δ_T) with
 * r = 2w ⊙ (f_T − f_0) for squared error and r = (σ(f_T/T) − σ(f_0/T))/T on the distilled logits for
 * cross-entropy. ReLU′(0) = 0 as in PyTorch. Rounding at 50 digits is far below anything a double
 * computation resolves.
 */
public final class HighPrecision {

    public static final MathContext MC = new MathContext(50);

    private HighPrecision() {
    }

    /** (Δ_S − Δ_S^c)·Δ_T at the teacher's step ε for a dense architecture (linear or MLP). */
    public static BigDecimal traitPart(Architecture a, double[] theta0, double[] studentInit, double[] deltaT,
            double epsilon, ImitationLoss loss, Batch x) {
        int[] sizes = a instanceof MlpFamily.Perceptron p ? p.sizes() : new int[] {a.inputs(), a.outputs()};
        Activation act = a instanceof MlpFamily.Perceptron p ? p.activation() : Activation.TANH;
        return traitPart(sizes, act, theta0, studentInit, deltaT, epsilon, loss, x);
    }

    /** (Δ_S − Δ_S^c)·Δ_T at the teacher's step ε, for an MLP of these sizes (two sizes: affine). */
    public static BigDecimal traitPart(int[] sizes, Activation act, double[] theta0, double[] studentInit, double[] deltaT,
            double epsilon, ImitationLoss loss, Batch x) {
        BigDecimal[] t0 = exact(theta0);
        BigDecimal[] dt = exact(deltaT);
        BigDecimal[] tT = new BigDecimal[t0.length];
        BigDecimal e = new BigDecimal(epsilon);
        for (int i = 0; i < t0.length; i++) {
            tT[i] = t0[i].add(e.multiply(dt[i]));
        }
        BigDecimal[] tS = exact(studentInit);
        BigDecimal total = BigDecimal.ZERO;
        for (int r = 0; r < x.rows(); r++) {
            BigDecimal[] f0 = pass(sizes, act, t0, null, x.row(r))[0];
            BigDecimal[] fT = pass(sizes, act, tT, null, x.row(r))[0];
            BigDecimal[] u = pass(sizes, act, tS, dt, x.row(r))[1];
            BigDecimal[] res = residual(loss, fT, f0);
            for (int k = 0; k < u.length; k++) {
                total = total.add(res[k].multiply(u[k], MC), MC);
            }
        }
        return total.divide(BigDecimal.valueOf(x.rows()), MC);
    }

    private static BigDecimal[] residual(ImitationLoss loss, BigDecimal[] fT, BigDecimal[] f0) {
        int n = fT.length;
        BigDecimal[] r = new BigDecimal[n];
        java.util.Arrays.fill(r, BigDecimal.ZERO);
        if (loss instanceof WeightedSquaredError w) {
            for (int i = 0; i < n; i++) {
                r[i] = BigDecimal.valueOf(2 * w.weights()[i]).multiply(fT[i].subtract(f0[i], MC), MC);
            }
            return r;
        }
        SoftCrossEntropy ce = (SoftCrossEntropy) loss;
        int[] s = ce.logits();
        if (s == null) {
            s = java.util.stream.IntStream.range(0, n).toArray();
        }
        BigDecimal t = new BigDecimal(ce.temperature());
        BigDecimal[] p = softmax(fT, s, t);
        BigDecimal[] q = softmax(f0, s, t);
        for (int k = 0; k < s.length; k++) {
            r[s[k]] = p[k].subtract(q[k], MC).divide(t, MC);
        }
        return r;
    }

    private static BigDecimal[] softmax(BigDecimal[] z, int[] s, BigDecimal t) {
        BigDecimal[] e = new BigDecimal[s.length];
        BigDecimal sum = BigDecimal.ZERO;
        for (int k = 0; k < s.length; k++) {
            e[k] = exp(z[s[k]].divide(t, MC));
            sum = sum.add(e[k], MC);
        }
        for (int k = 0; k < s.length; k++) {
            e[k] = e[k].divide(sum, MC);
        }
        return e;
    }

    /** {f_θ(x), J_θ(x)·v} (the second null when v is null). */
    private static BigDecimal[][] pass(int[] sizes, Activation act, BigDecimal[] theta, BigDecimal[] v, double[] x) {
        BigDecimal[] a = exact(x);
        BigDecimal[] da = null;
        int off = 0;
        for (int l = 0; l + 1 < sizes.length; l++) {
            int in = sizes[l];
            int out = sizes[l + 1];
            int b = off + out * in;
            BigDecimal[] z = new BigDecimal[out];
            BigDecimal[] dz = new BigDecimal[out];
            for (int i = 0; i < out; i++) {
                BigDecimal s = theta[b + i];
                BigDecimal ds = v == null ? BigDecimal.ZERO : v[b + i];
                for (int j = 0; j < in; j++) {
                    s = s.add(theta[off + i * in + j].multiply(a[j], MC), MC);
                    if (v != null) {
                        ds = ds.add(v[off + i * in + j].multiply(a[j], MC), MC);
                        if (da != null) {
                            ds = ds.add(theta[off + i * in + j].multiply(da[j], MC), MC);
                        }
                    }
                }
                z[i] = s;
                dz[i] = ds;
            }
            off = b + out;
            if (l + 2 == sizes.length) {
                return new BigDecimal[][] {z, v == null ? null : dz};
            }
            a = new BigDecimal[out];
            da = new BigDecimal[out];
            for (int i = 0; i < out; i++) {
                if (act == Activation.RELU) {
                    boolean on = z[i].signum() > 0;
                    a[i] = on ? z[i] : BigDecimal.ZERO;
                    da[i] = on ? dz[i] : BigDecimal.ZERO;
                } else {
                    BigDecimal th = tanh(z[i]);
                    a[i] = th;
                    da[i] = BigDecimal.ONE.subtract(th.multiply(th, MC), MC).multiply(dz[i], MC);
                }
            }
        }
        throw new AssertionError("unreachable");
    }

    static BigDecimal tanh(BigDecimal x) {
        if (x.abs().compareTo(BigDecimal.valueOf(60)) > 0) {
            return BigDecimal.valueOf(x.signum());
        }
        BigDecimal e2 = exp(x.multiply(BigDecimal.valueOf(2), MC));
        return e2.subtract(BigDecimal.ONE, MC).divide(e2.add(BigDecimal.ONE, MC), MC);
    }

    /** e^x: x/2^k with |x/2^k| < 1/2 by its Taylor series, then squared k times. */
    static BigDecimal exp(BigDecimal x) {
        int k = 0;
        BigDecimal y = x;
        while (y.abs().compareTo(new BigDecimal("0.5")) > 0) {
            y = y.divide(BigDecimal.valueOf(2), MC);
            k++;
        }
        MathContext wide = new MathContext(MC.getPrecision() + 10 + k);
        BigDecimal term = BigDecimal.ONE;
        BigDecimal sum = BigDecimal.ONE;
        for (int i = 1; i < 80; i++) {
            term = term.multiply(y, wide).divide(BigDecimal.valueOf(i), wide);
            sum = sum.add(term, wide);
        }
        for (int i = 0; i < k; i++) {
            sum = sum.multiply(sum, wide);
        }
        return sum.round(MC);
    }

    private static BigDecimal[] exact(double[] v) {
        BigDecimal[] out = new BigDecimal[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = new BigDecimal(v[i]);
        }
        return out;
    }
}
