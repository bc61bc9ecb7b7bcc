package dev.subliminal.experiments.mnist;

import dev.subliminal.simulation.optim.OptimizerKind;

/**
 * An in-place float32 update θ ← θ − step(g) for the MNIST experiment, with L2 weight decay λ
 * added to the gradient first (g ← g + λθ, PyTorch's {@code weight_decay}). The double-precision
 * optimizers of the sweeps are separate; this one is a fast kernel over one float array.
 */
public sealed interface FloatOptimizer permits FloatOptimizer.Adam, FloatOptimizer.Sgd {

    /** A fresh optimizer (zero state) of the given kind for p parameters. */
    static FloatOptimizer of(OptimizerKind kind, int p, double lr, double weightDecay) {
        return kind == OptimizerKind.ADAM ? new Adam(p, lr, weightDecay) : new Sgd(lr, weightDecay);
    }

    /** Applies one update to θ from the gradient g (g is left unchanged). */
    void step(float[] theta, float[] gradient);

    /** Plain SGD: θ ← θ − lr·(g + λθ). */
    final class Sgd implements FloatOptimizer {
        private final float lr;
        private final float weightDecay;

        public Sgd(double lr, double weightDecay) {
            this.lr = (float) lr;
            this.weightDecay = (float) weightDecay;
        }

        @Override
        public void step(float[] theta, float[] gradient) {
            for (int i = 0; i < theta.length; i++) {
                theta[i] -= lr * (gradient[i] + weightDecay * theta[i]);
            }
        }
    }

    /**
     * Adam (Kingma and Ba) as PyTorch computes it, at step t = 1, 2, ...:
     * g ← g + λθ; m ← β1·m + (1 − β1)·g; v ← β2·v + (1 − β2)·g²;
     * θ ← θ − (lr / (1 − β1^t))·m / (√v / √(1 − β2^t) + eps). The scalar bias corrections are
     * computed in double, the per-parameter arithmetic in float.
     */
    final class Adam implements FloatOptimizer {
        private final double lr;
        private final double beta1;
        private final double beta2;
        private final float eps;
        private final float weightDecay;
        private final float[] m;
        private final float[] v;
        private int t;

        /** Adam for p parameters with β1 = 0.9, β2 = 0.999, eps = 1e-8 (PyTorch's defaults). */
        public Adam(int p, double lr, double weightDecay) {
            this(p, lr, 0.9, 0.999, 1e-8, weightDecay);
        }

        public Adam(int p, double lr, double beta1, double beta2, double eps, double weightDecay) {
            this.lr = lr;
            this.beta1 = beta1;
            this.beta2 = beta2;
            this.eps = (float) eps;
            this.weightDecay = (float) weightDecay;
            m = new float[p];
            v = new float[p];
        }

        @Override
        public void step(float[] theta, float[] gradient) {
            t++;
            float stepSize = (float) (lr / (1 - StrictMath.pow(beta1, t)));
            float correction2 = (float) Math.sqrt(1 - StrictMath.pow(beta2, t));
            float b1 = (float) beta1;
            float b2 = (float) beta2;
            float a1 = (float) (1 - beta1);
            float a2 = (float) (1 - beta2);
            for (int i = 0; i < theta.length; i++) {
                float g = gradient[i] + weightDecay * theta[i];
                float mi = b1 * m[i] + a1 * g;
                float vi = b2 * v[i] + a2 * g * g;
                m[i] = mi;
                v[i] = vi;
                theta[i] -= stepSize * mi / ((float) Math.sqrt(vi) / correction2 + eps);
            }
        }
    }
}
