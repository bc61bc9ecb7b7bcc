package dev.subliminal.simulation.optim;

/**
 * Adam (Kingma and Ba, 2015) with bias correction and L2 weight decay λ, as PyTorch's
 * {@code Adam(lr=η, betas=(β1, β2), eps=δ, weight_decay=λ)}. At step t = 1, 2, ... with gradient g_t:
 * <pre>
 *   g'_t = g_t + λ·θ_{t−1}
 *   m_t  = β1·m_{t−1} + (1 − β1)·g'_t            (m_0 = 0)
 *   v_t  = β2·v_{t−1} + (1 − β2)·g'_t²           (v_0 = 0, squares elementwise)
 *   m̂_t  = m_t / (1 − β1^t),   v̂_t = v_t / (1 − β2^t)
 *   u_t  = −m̂_t / (√v̂_t + δ),  θ_t = θ_{t−1} + η·u_t
 * </pre>
 * At t = 1, u_1 = −g'/(|g'| + δ) ≈ −sign(g'): the first step moves every coordinate by about η,
 * whatever the gradient's scale, so the theorem's linear response to the teacher's outputs is lost.
 */
public final class Adam implements Optimizer {

    /** PyTorch's defaults: β1 = 0.9, β2 = 0.999, δ = 1e-8. */
    public static final double BETA1 = 0.9;
    public static final double BETA2 = 0.999;
    public static final double DELTA = 1e-8;

    private final double rate;
    private final double decay;
    private final double beta1;
    private final double beta2;
    private final double delta;
    private double[] m;
    private double[] v;
    private int t;

    /** Adam with learning rate η, weight decay λ and PyTorch's default β1, β2, δ. */
    public Adam(double rate, double decay) {
        this(rate, decay, BETA1, BETA2, DELTA);
    }

    /** Adam with every setting given; 0 ≤ β1, β2 < 1 and δ > 0. */
    public Adam(double rate, double decay, double beta1, double beta2, double delta) {
        Optimizer.requireSettings(rate, decay);
        if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
            throw new IllegalArgumentException("Adam needs 0 ≤ β1, β2 < 1, got β1 = " + beta1 + ", β2 = " + beta2);
        }
        if (!(delta > 0) || !Double.isFinite(delta)) {
            throw new IllegalArgumentException("Adam's δ = " + delta + " must be finite and > 0");
        }
        this.rate = rate;
        this.decay = decay;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.delta = delta;
    }

    @Override
    public double rate() {
        return rate;
    }

    /** The number of steps taken so far. */
    public int steps() {
        return t;
    }

    @Override
    public double[] update(double[] theta, double[] gradient) {
        double[] g = Optimizer.withDecay(gradient, decay, theta);
        if (m == null) {
            m = new double[g.length];
            v = new double[g.length];
        } else if (m.length != g.length) {
            throw new IllegalArgumentException("Adam was started on " + m.length + " parameters, got " + g.length);
        }
        t++;
        double c1 = 1 - StrictMath.pow(beta1, t);
        double c2 = 1 - StrictMath.pow(beta2, t);
        double[] u = new double[g.length];
        for (int i = 0; i < g.length; i++) {
            m[i] = beta1 * m[i] + (1 - beta1) * g[i];
            v[i] = beta2 * v[i] + (1 - beta2) * g[i] * g[i];
            u[i] = -(m[i] / c1) / (Math.sqrt(v[i] / c2) + delta);
        }
        return u;
    }
}
