package dev.subliminal.lm.transformer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.subliminal.theory.param.Vectors;
import dev.subliminal.theory.random.Seeds;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.distribution.ZigguratSampler;

/**
 * Checks a block's derivatives against central finite differences and against each other:
 * the tangent J_θ v + J_X dX equals (g(θ + hv, X + h dX) − g(θ − hv, X − h dX))/2h to O(h²), and
 * the backward pass is its adjoint: ⟨dY, J_θ v + J_X dX⟩ = ⟨J_θᵀ dY, v⟩ + ⟨J_Xᵀ dY, dX⟩.
 */
final class BlockDerivatives {

    private BlockDerivatives() {
    }

    static double[] gaussian(UniformRandomProvider rng, int n, double scale) {
        ZigguratSampler.NormalizedGaussian g = ZigguratSampler.NormalizedGaussian.of(rng);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = scale * g.sample();
        }
        return v;
    }

    /** Runs both checks for p parameters at a random θ (or the given one) and random X, v, dX, dY. */
    static <S> void check(DoubleBlock<S> block, int p, double[] theta, Segments seg, long seed) {
        UniformRandomProvider rng = Seeds.of(seed);
        int n = seg.tokens();
        double[] th = theta != null ? theta : gaussian(rng, p, 0.5);
        double[] x = gaussian(rng, n * block.inputWidth(), 1);
        double[] v = gaussian(rng, p, 1);
        double[] dx = gaussian(rng, n * block.inputWidth(), 1);
        double[] dyBar = gaussian(rng, n * block.outputWidth(), 1);

        double[] y = new double[n * block.outputWidth()];
        S saved = block.forward(th, seg, x, y);
        double[] jv = new double[y.length];
        block.tangent(th, v, seg, saved, dx, jv);

        // The same through forwardTangent, which compositions override.
        double[] y2 = new double[y.length];
        double[] jv2 = new double[y.length];
        block.forwardTangent(th, v, seg, x, dx, y2, jv2);
        assertThat(y2).as("forwardTangent's Y").containsExactly(y);
        assertThat(jv2).as("forwardTangent's dY").containsExactly(jv);

        double h = 1e-5;
        double[] plus = new double[y.length];
        double[] minus = new double[y.length];
        block.forward(Vectors.axpy(th, h, v), seg, Vectors.axpy(x, h, dx), plus);
        block.forward(Vectors.axpy(th, -h, v), seg, Vectors.axpy(x, -h, dx), minus);
        double scale = 1;
        for (double d : jv) {
            scale = Math.max(scale, Math.abs(d));
        }
        for (int k = 0; k < y.length; k++) {
            double fd = (plus[k] - minus[k]) / (2 * h);
            assertThat(Math.abs(fd - jv[k])).as("tangent entry %d: FD %s vs %s", k, fd, jv[k])
                    .isLessThanOrEqualTo(1e-7 * scale);
        }

        double[] grad = new double[p];
        double[] dxBar = new double[x.length];
        block.backward(th, seg, saved, dyBar, grad, dxBar);
        double left = Vectors.dot(dyBar, jv);
        double right = Vectors.dot(grad, v) + Vectors.dot(dxBar, dx);
        double size = Vectors.norm(dyBar) * Vectors.norm(jv) + Vectors.norm(grad) * Vectors.norm(v)
                + Vectors.norm(dxBar) * Vectors.norm(dx);
        assertThat(Math.abs(left - right)).as("<dY, J(v, dX)> = %s vs <Jᵀ dY, (v, dX)> = %s", left, right)
                .isLessThanOrEqualTo(1e-12 * Math.max(size, 1));

        // Both outputs accumulate: a second backward pass doubles them (up to rounding of the sums).
        double[] grad2 = grad.clone();
        double[] dxBar2 = dxBar.clone();
        block.backward(th, seg, saved, dyBar, grad2, dxBar2);
        double gScale = Math.max(1, Vectors.norm(grad));
        for (int i = 0; i < p; i++) {
            assertThat(Math.abs(grad2[i] - 2 * grad[i])).isLessThanOrEqualTo(1e-13 * gScale);
        }
        double xScale = Math.max(1, Vectors.norm(dxBar));
        for (int i = 0; i < x.length; i++) {
            assertThat(Math.abs(dxBar2[i] - 2 * dxBar[i])).isLessThanOrEqualTo(1e-13 * xScale);
        }
        // Without an input cotangent the parameter gradient is the same.
        double[] grad3 = new double[p];
        block.backward(th, seg, saved, dyBar, grad3, null);
        assertThat(grad3).containsExactly(grad);
    }
}
