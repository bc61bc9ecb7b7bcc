package dev.subliminal.simulation.optim;

/**
 * Adam (Kingma and Ba, 2015) and AdamW (decoupled weight decay, Loshchilov and Hutter, 2019) as
 * PyTorch 1.13 computes them, one coordinate at a time, at step t = 1, 2, ...:
 * <pre>
 *   AdamW: θ ← θ·(1 − η_t·λ);      Adam: g ← g + λ·θ
 *   m ← β1·m + (1 − β1)·g;   v ← β2·v + (1 − β2)·g·g        (m, v start at 0)
 *   θ ← θ − (η_t / (1 − β1^t))·m / (√v / √(1 − β2^t) + δ)
 * </pre>
 * The scalars (step size, corrections, 1 − β) are computed in double and rounded once to the
 * working precision; the per-coordinate arithmetic runs in it. The update it reports is the
 * direction u_t = −(m / (1 − β1^t)) / (√v / √(1 − β2^t) + δ), so that θ_t ≈ θ_{t−1} + η_t·u_t. At
 * t = 1, u_1 = −g/(|g| + δ) ≈ −sign(g): every coordinate moves by about η whatever the gradient's
 * scale, so the theorem's linear response to the teacher's outputs is lost. Double precision;
 * {@code FloatAdam} is generated from this source.
 */
public final class DoubleAdam extends DoubleOptimizer {

    private final double[] m;
    private final double[] v;

    DoubleAdam(OptimizerSpec spec, int parameters) {
        super(spec, parameters);
        m = new double[parameters];
        v = new double[parameters];
    }

    /** {@code exp_avg} = m and {@code exp_avg_sq} = v, as PyTorch names them. */
    @Override
    public java.util.Map<String, double[]> buffers() {
        java.util.Map<String, double[]> b = new java.util.LinkedHashMap<>();
        b.put("exp_avg", m);
        b.put("exp_avg_sq", v);
        return b;
    }

    @Override
    protected void apply(double[] theta, double[] gradient, double factor, double[] update, int t) {
        if (theta.length != m.length) {
            throw new IllegalArgumentException("Adam was started on " + m.length + " parameters, got " + theta.length);
        }
        boolean decoupled = spec.kind() == OptimizerKind.ADAMW;
        double shrink = (double) spec.decoupledDecay(t);
        double decay = decoupled ? 0 : (double) spec.weightDecay();
        double stepSize = (double) spec.adamStepSize(t);
        double correction1 = (double) spec.adamCorrection1(t);
        double correction2 = (double) spec.adamCorrection2(t);
        double b1 = (double) spec.beta1();
        double b2 = (double) spec.beta2();
        double a1 = (double) spec.oneMinusBeta1();
        double a2 = (double) spec.oneMinusBeta2();
        double delta = (double) spec.delta();
        for (int i = 0; i < theta.length; i++) {
            if (decoupled) {
                theta[i] = theta[i] * shrink;
            }
            double gi = gradient[i] * factor;
            double g = decay == 0 ? gi : gi + decay * theta[i];
            double mi = b1 * m[i] + a1 * g;
            double vi = b2 * v[i] + a2 * g * g;
            m[i] = mi;
            v[i] = vi;
            double denominator = (double) Math.sqrt(vi) / correction2 + delta;
            if (update != null) {
                update[i] = -(mi / correction1) / denominator;
            }
            theta[i] -= stepSize * mi / denominator;
        }
    }
}
