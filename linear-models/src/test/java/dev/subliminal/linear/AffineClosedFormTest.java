package dev.subliminal.linear;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.subliminal.theory.loss.WeightedSquaredError;
import dev.subliminal.theory.model.Batch;
import dev.subliminal.theory.param.Vectors;
import dev.subliminal.theory.random.Seeds;
import java.util.stream.Stream;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.distribution.ZigguratSampler;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class AffineClosedFormTest {

    /** (d, n): includes 1×n and n×1 models and the scalar one. */
    static Stream<Arguments> shapes() {
        return Stream.of(Arguments.of(1, 1), Arguments.of(1, 5), Arguments.of(5, 1), Arguments.of(3, 4),
                Arguments.of(6, 2));
    }

    private static double[] gaussian(UniformRandomProvider rng, int n, double sd) {
        ZigguratSampler.NormalizedGaussian g = ZigguratSampler.NormalizedGaussian.of(rng);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = sd * g.sample();
        }
        return v;
    }

    private static double[] weights(UniformRandomProvider rng, int n) {
        double[] w = new double[n];
        for (int i = 0; i < n; i++) {
            w[i] = rng.nextInt(5) == 0 ? 0 : 0.1 + 2 * rng.nextDouble();
        }
        return w;
    }

    private static double[] times(double[][] g, double[] v) {
        double[] out = new double[g.length];
        for (int a = 0; a < g.length; a++) {
            double s = 0;
            for (int b = 0; b < g.length; b++) {
                s += g[a][b] * v[b];
            }
            out[a] = s;
        }
        return out;
    }

    @ParameterizedTest(name = "d = {0}, n = {1}")
    @MethodSource("shapes")
    void quadraticFormOfGIsTheBilinearFormOfMOnJacobianVectorProducts(int d, int n) {
        UniformRandomProvider rng = Seeds.stream(41, "affine-gram-" + d + "x" + n);
        AffineModel model = new AffineModel(d, n);
        int p = model.parameterCount();
        for (int trial = 0; trial < 20; trial++) {
            int rows = 1 + rng.nextInt(7);
            Batch x = new Batch(rows, d, gaussian(rng, rows * d, 1.5));
            double[] theta = gaussian(rng, p, 1);
            double[] delta = gaussian(rng, p, 1);
            double[] w = weights(rng, n);
            WeightedSquaredError loss = new WeightedSquaredError(w);

            double[][] g = AffineClosedForm.gram(model, x, w);
            assertThat(g).hasDimensions(p, p);
            for (int a = 0; a < p; a++) {
                for (int b = 0; b < p; b++) {
                    assertThat(g[a][b]).as("G[%d][%d] vs G[%d][%d]", a, b, b, a).isEqualTo(g[b][a]);
                }
            }

            Batch jDelta = model.jvp(theta, x, delta);
            Batch y = model.forward(theta, x);
            double viaM = loss.bilinear(y, jDelta, jDelta);
            double viaG = AffineClosedForm.quadraticForm(g, delta, delta);
            assertThat(viaG).isCloseTo(viaM, within(1e-12 * Math.abs(viaM))).isGreaterThanOrEqualTo(0.0);

            // off the diagonal too: aᵀ G b = (1/N) Σ_x (J a)ᵀ M (J b)
            double[] other = gaussian(rng, p, 1);
            Batch jOther = model.jvp(theta, x, other);
            double cross = loss.bilinear(y, jDelta, jOther);
            double scale = Math.sqrt(viaM * loss.bilinear(y, jOther, jOther));
            assertThat(AffineClosedForm.quadraticForm(g, delta, other)).isCloseTo(cross, within(1e-12 * scale));

            // G Δ = Σ_x J_xᵀ (M J_x Δ)/N, the VJP of the cotangents 2 w ⊙ (J Δ)/N
            double[] u = new double[rows * n];
            for (int r = 0; r < rows; r++) {
                for (int i = 0; i < n; i++) {
                    u[r * n + i] = 2 * w[i] * jDelta.get(r, i) / rows;
                }
            }
            double[] vjp = model.vjp(theta, x, new Batch(rows, n, u));
            double[] gDelta = times(g, delta);
            assertThat(Vectors.norm(Vectors.subtract(gDelta, vjp))).isLessThanOrEqualTo(1e-12 * Vectors.norm(vjp));
            // and the VJP is the gradient of the imitation loss in the student's θ: with y = f(θ) − JΔ,
            // ∇_θ L(f(θ), y) = Σ J_xᵀ (2 w ⊙ JΔ)/N
            Batch shifted = new Batch(rows, n, Vectors.subtract(y.data(), jDelta.data()));
            double[] lossGrad = model.vjp(theta, x, loss.gradient(y, shifted));
            assertThat(Vectors.norm(Vectors.subtract(lossGrad, vjp))).isLessThanOrEqualTo(1e-12 * Vectors.norm(vjp));
        }
    }

    /** G entry by entry: G[a][b] = (1/N) Σ_x (J e_a)ᵀ M (J e_b), which pins down the index layout. */
    @Test
    void everyEntryOfGMatchesBasisVectorProducts() {
        UniformRandomProvider rng = Seeds.stream(42, "affine-entries");
        AffineModel model = new AffineModel(3, 2);
        int p = model.parameterCount();
        Batch x = new Batch(4, 3, gaussian(rng, 12, 1));
        double[] w = {0.5, 3};
        double[] theta = gaussian(rng, p, 1);
        double[][] g = AffineClosedForm.gram(model, x, w);
        WeightedSquaredError loss = new WeightedSquaredError(w);
        Batch y = model.forward(theta, x);
        for (int a = 0; a < p; a++) {
            double[] ea = new double[p];
            ea[a] = 1;
            for (int b = 0; b < p; b++) {
                double[] eb = new double[p];
                eb[b] = 1;
                double expected = loss.bilinear(y, model.jvp(theta, x, ea), model.jvp(theta, x, eb));
                assertThat(g[a][b]).as("G[%d][%d]", a, b).isCloseTo(expected, within(1e-14));
            }
        }
        // W[1][2] (index 1·3 + 2 = 5) and b[0] (index 6) belong to different outputs: no coupling
        assertThat(g[5][6]).isZero();
        // b[1] with itself: 2·w_1·(1/N)·Σ 1 = 6
        assertThat(g[7][7]).isEqualTo(6.0);
    }

    /**
     * The degenerate linear case of DESIGN §2: J does not depend on θ, and f_{θ+εΔ} − f_θ = ε·J Δ
     * exactly (up to rounding) for a large ε, not just to first order.
     */
    @Test
    void theJacobianDoesNotDependOnThetaAndTheFirstOrderFormulaIsExact() {
        UniformRandomProvider rng = Seeds.stream(43, "affine-exact");
        AffineModel model = new AffineModel(4, 3);
        int p = model.parameterCount();
        Batch x = new Batch(5, 4, gaussian(rng, 20, 1));
        double[] theta0 = gaussian(rng, p, 1);
        double[] thetaS = gaussian(rng, p, 1);
        double[] delta = gaussian(rng, p, 1);
        assertThat(model.jvp(theta0, x, delta)).isEqualTo(model.jvp(thetaS, x, delta));
        double eps = 0.75;
        double[] diff = Vectors.subtract(model.forward(Vectors.axpy(theta0, eps, delta), x).data(),
                model.forward(theta0, x).data());
        double[] expected = Vectors.scale(eps, model.jvp(theta0, x, delta).data());
        assertThat(Vectors.norm(Vectors.subtract(diff, expected))).isLessThanOrEqualTo(1e-14 * Vectors.norm(expected));
    }

    @Test
    void mismatchedArgumentsAreRejected() {
        AffineModel model = new AffineModel(3, 2);
        assertThatThrownBy(() -> AffineClosedForm.gram(model, Batch.zeros(2, 3), new double[3]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("3 weights for 2 outputs");
        assertThatThrownBy(() -> AffineClosedForm.gram(model, Batch.zeros(2, 4), new double[2]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("4 columns");
        assertThatThrownBy(() -> new AffineModel(0, 2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("d = 0");
    }
}
