package dev.subliminal.simulation.optim;

/**
 * A first-order optimizer, independent of the precision it runs in: its kind, learning-rate
 * schedule η_t, weight decay λ (added to the gradient for SGD and Adam, decoupled for AdamW), Adam's
 * β1, β2 and δ, and an optional clipping of the gradient's Euclidean norm (0: none). The
 * {@code DoubleOptimizer} and {@code FloatOptimizer} implementations read it.
 *
 * @param kind SGD, Adam or AdamW
 * @param rate η_t
 * @param weightDecay λ ≥ 0
 * @param beta1 β1 in [0, 1)
 * @param beta2 β2 in [0, 1)
 * @param delta δ > 0
 * @param clipNorm c ≥ 0: the gradient g becomes g·c/(‖g‖ + 1e-6) when that factor is below 1
 *     (PyTorch's {@code clip_grad_norm_}); 0 turns clipping off
 */
public record OptimizerSpec(OptimizerKind kind, LearningRate rate, double weightDecay, double beta1, double beta2,
        double delta, double clipNorm) {

    /** PyTorch's defaults for Adam: β1 = 0.9, β2 = 0.999, δ = 1e-8. */
    public static final double BETA1 = 0.9;
    public static final double BETA2 = 0.999;
    public static final double DELTA = 1e-8;

    public OptimizerSpec {
        if (kind == null || rate == null) {
            throw new IllegalArgumentException("an optimizer needs a kind and a learning rate");
        }
        if (!(weightDecay >= 0) || !Double.isFinite(weightDecay)) {
            throw new IllegalArgumentException("weight decay = " + weightDecay + " must be finite and ≥ 0");
        }
        if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
            throw new IllegalArgumentException("Adam needs 0 ≤ β1, β2 < 1, got β1 = " + beta1 + ", β2 = " + beta2);
        }
        if (!(delta > 0) || !Double.isFinite(delta)) {
            throw new IllegalArgumentException("Adam's δ = " + delta + " must be finite and > 0");
        }
        if (!(clipNorm >= 0) || !Double.isFinite(clipNorm)) {
            throw new IllegalArgumentException("the gradient clipping norm = " + clipNorm + " must be finite and ≥ 0");
        }
    }

    /** An optimizer of this kind at a constant rate with weight decay λ and PyTorch's defaults otherwise. */
    public static OptimizerSpec of(OptimizerKind kind, double rate, double weightDecay) {
        return new OptimizerSpec(kind, LearningRate.constant(rate), weightDecay, BETA1, BETA2, DELTA, 0);
    }

    /** This optimizer with gradient clipping at norm c. */
    public OptimizerSpec withClipNorm(double c) {
        return new OptimizerSpec(kind, rate, weightDecay, beta1, beta2, delta, c);
    }

    /** This optimizer with another learning-rate schedule. */
    public OptimizerSpec withRate(LearningRate r) {
        return new OptimizerSpec(kind, r, weightDecay, beta1, beta2, delta, clipNorm);
    }

    /**
     * The factor clipping multiplies a gradient of norm ‖g‖ by: c/(‖g‖ + 1e-6) when that is below 1,
     * else 1 (and 1 when clipping is off), in double.
     */
    public double clipFactor(double norm) {
        if (clipNorm == 0) {
            return 1;
        }
        double f = clipNorm / (norm + 1e-6);
        return f < 1 ? f : 1;
    }

    /** 1 − β1, in double whatever the precision the optimizer runs in. */
    public double oneMinusBeta1() {
        return 1 - beta1;
    }

    /** 1 − β2, in double. */
    public double oneMinusBeta2() {
        return 1 - beta2;
    }

    /** Adam's step size at step t: η_t / (1 − β1^t), in double. */
    public double adamStepSize(int t) {
        return rate.at(t) / (1 - StrictMath.pow(beta1, t));
    }

    /** Adam's second-moment correction √(1 − β2^t), in double. */
    public double adamCorrection2(int t) {
        return Math.sqrt(1 - StrictMath.pow(beta2, t));
    }

    /** Adam's first-moment correction 1 − β1^t, in double. */
    public double adamCorrection1(int t) {
        return 1 - StrictMath.pow(beta1, t);
    }

    /** The factor AdamW multiplies θ by before its step: 1 − η_t·λ, in double. */
    public double decoupledDecay(int t) {
        return 1 - rate.at(t) * weightDecay;
    }
}
