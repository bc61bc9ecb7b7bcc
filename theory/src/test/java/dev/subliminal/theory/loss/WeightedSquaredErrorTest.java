package dev.subliminal.theory.loss;

import static dev.subliminal.theory.loss.LossChecks.assertGradientMatchesFiniteDifferences;
import static dev.subliminal.theory.loss.LossChecks.bilinearByFiniteDifferences;
import static dev.subliminal.theory.loss.LossChecks.gaussian;
import static dev.subliminal.theory.loss.LossChecks.rowNormScale;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.subliminal.theory.model.Batch;
import dev.subliminal.theory.random.Seeds;
import org.apache.commons.rng.UniformRandomProvider;
import org.junit.jupiter.api.Test;

class WeightedSquaredErrorTest {

    private static final double[] W = {0.5, 2.0, 0.0, 1.25};

    private static double[] randomWeights(UniformRandomProvider rng, int n) {
        double[] w = new double[n];
        for (int i = 0; i < n; i++) {
            // a quarter of the weights are exactly zero: M is then singular, still PSD
            w[i] = rng.nextInt(4) == 0 ? 0 : 3 * rng.nextDouble();
        }
        return w;
    }

    @Test
    void valueMatchesHandComputation() {
        WeightedSquaredError loss = new WeightedSquaredError(W);
        Batch z = Batch.of(new double[][] {{1, 2, 3, 4}, {0, 0, 0, 0}});
        Batch y = Batch.of(new double[][] {{0, 1, 1, 2}, {1, -1, -7, 0.5}});
        // z − y = (1, 1, 2, 2) and (−1, 1, 7, −0.5), so
        // row 0: 0.5·1 + 2·1 + 0·4 + 1.25·4 = 7.5; row 1: 0.5·1 + 2·1 + 0·49 + 1.25·0.25 = 2.8125
        assertThat(loss.value(z, y)).isEqualTo((7.5 + 2.8125) / 2);
        // gradient row r = (2/N) w ⊙ (z − y)
        assertThat(loss.gradient(z, y).data()).containsExactly(
                0.5, 2.0, 0.0, 2.5,
                -0.5, 2.0, 0.0, -0.625);
    }

    @Test
    void gradientMatchesCentralFiniteDifferences() {
        UniformRandomProvider rng = Seeds.stream(11, "wse-gradient");
        for (int trial = 0; trial < 20; trial++) {
            int n = 1 + rng.nextInt(6);
            int rows = 1 + rng.nextInt(4);
            WeightedSquaredError loss = new WeightedSquaredError(randomWeights(rng, n));
            assertGradientMatchesFiniteDifferences(loss, gaussian(rng, rows, n, 2), gaussian(rng, rows, n, 2));
        }
    }

    @Test
    void bilinearIsMinusTheDerivativeOfTheGradientInY() {
        UniformRandomProvider rng = Seeds.stream(12, "wse-bilinear");
        for (int trial = 0; trial < 20; trial++) {
            int n = 1 + rng.nextInt(6);
            int rows = 1 + rng.nextInt(4);
            double[] w = randomWeights(rng, n);
            WeightedSquaredError loss = new WeightedSquaredError(w);
            Batch z = gaussian(rng, rows, n, 1);
            Batch y = gaussian(rng, rows, n, 1);
            Batch u = gaussian(rng, rows, n, 1);
            Batch v = gaussian(rng, rows, n, 1);
            double fd = bilinearByFiniteDifferences(loss, z, y, u, v);
            double scale = rowNormScale(u, v) * 2 * LossChecks.maxAbs(w);
            assertThat(loss.bilinear(y, u, v)).isCloseTo(fd, within(1e-7 * Math.max(scale, 1e-300)));
            // and the explicit formula uᵀ (2 diag w) v / N
            double explicit = 0;
            for (int r = 0; r < rows; r++) {
                for (int i = 0; i < n; i++) {
                    explicit += 2 * w[i] * u.get(r, i) * v.get(r, i);
                }
            }
            assertThat(loss.bilinear(y, u, v)).isCloseTo(explicit / rows, within(1e-13 * Math.max(scale, 1e-300)));
        }
    }

    @Test
    void bilinearOnTheDiagonalIsNeverNegative() {
        UniformRandomProvider rng = Seeds.stream(13, "wse-psd");
        for (int trial = 0; trial < 5000; trial++) {
            int n = 1 + rng.nextInt(8);
            int rows = 1 + rng.nextInt(3);
            WeightedSquaredError loss = new WeightedSquaredError(randomWeights(rng, n));
            double sd = new double[] {1e-150, 1, 700, 1e150}[rng.nextInt(4)];
            Batch y = gaussian(rng, rows, n, 700);
            Batch u = gaussian(rng, rows, n, sd);
            assertThat(loss.bilinear(y, u, u)).isGreaterThanOrEqualTo(0.0);
        }
    }

    @Test
    void gradientAtTheTargetIsExactlyZero() {
        UniformRandomProvider rng = Seeds.stream(14, "wse-zero");
        for (int trial = 0; trial < 50; trial++) {
            int n = 1 + rng.nextInt(6);
            Batch y = gaussian(rng, 3, n, 1e4);
            Batch z = new Batch(3, n, y.data().clone());
            WeightedSquaredError loss = new WeightedSquaredError(randomWeights(rng, n));
            assertThat(loss.gradient(z, y).data()).containsOnly(0.0);
            assertThat(loss.value(z, y)).isZero();
        }
    }

    @Test
    void valueIsFiniteForLargeOutputs() {
        WeightedSquaredError loss = WeightedSquaredError.unit(2);
        Batch z = Batch.of(new double[][] {{1e4, -1e4}});
        Batch y = Batch.of(new double[][] {{-1e4, 1e4}});
        assertThat(loss.value(z, y)).isEqualTo(8e8);
        assertThat(loss.gradient(z, y).data()).containsExactly(4e4, -4e4);
    }

    @Test
    void invalidWeightsAreRejectedNamingTheValue() {
        assertThatThrownBy(() -> new WeightedSquaredError(new double[] {1, -0.5}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("w_1").hasMessageContaining("-0.5");
        assertThatThrownBy(() -> new WeightedSquaredError(new double[] {Double.NaN}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NaN");
        assertThatThrownBy(() -> new WeightedSquaredError(new double[] {Double.POSITIVE_INFINITY}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Infinity");
        assertThatThrownBy(() -> new WeightedSquaredError(new double[0]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least one weight");
    }

    @Test
    void shapeMismatchesAreRejected() {
        WeightedSquaredError loss = WeightedSquaredError.unit(3);
        Batch a = Batch.zeros(2, 3);
        assertThatThrownBy(() -> loss.value(a, Batch.zeros(2, 4)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2×3").hasMessageContaining("2×4");
        assertThatThrownBy(() -> loss.bilinear(a, a, Batch.zeros(1, 3)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1×3");
        assertThatThrownBy(() -> loss.gradient(Batch.zeros(2, 4), Batch.zeros(2, 4)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("3 weights")
                .hasMessageContaining("4 columns");
    }

    @Test
    void weightsAreDefensivelyCopied() {
        double[] w = {1, 2};
        WeightedSquaredError loss = new WeightedSquaredError(w);
        w[0] = -1;
        loss.weights()[1] = 99;
        assertThat(loss.weights()).containsExactly(1, 2);
        assertThat(loss.describe()).isEqualTo("mse w=[1.0, 2.0]");
        assertThat(WeightedSquaredError.unit(3).describe()).isEqualTo("mse");
    }
}
