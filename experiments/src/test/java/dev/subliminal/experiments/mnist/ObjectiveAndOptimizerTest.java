package dev.subliminal.experiments.mnist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.subliminal.theory.loss.SoftCrossEntropy;
import dev.subliminal.theory.model.Batch;
import dev.subliminal.theory.random.Seeds;
import org.apache.commons.rng.UniformRandomProvider;
import org.junit.jupiter.api.Test;

/** The training losses against the double-precision losses of {@code theory}, and the optimizers on hand-computed cases. */
class ObjectiveAndOptimizerTest {

    @Test
    void distillationGradientIsTheSoftCrossEntropyGradientOfTheory() {
        int n = 13;
        int rows = 5;
        UniformRandomProvider rng = Seeds.of(11);
        float[] teacher = new float[rows * n];
        float[] student = new float[rows * n];
        for (int i = 0; i < teacher.length; i++) {
            teacher[i] = 6 * rng.nextFloat() - 3;
            student[i] = 6 * rng.nextFloat() - 3;
        }
        int[] examples = {0, 1, 2, 3, 4};
        for (int from : new int[] {0, 10, 12}) {
            float[] out = new float[rows * n];
            new Objective.Distillation(teacher, n, from).gradient(student, n, examples, rows, out);
            SoftCrossEntropy ce = from == 0 ? SoftCrossEntropy.all(1) : SoftCrossEntropy.lastLogits(n, n - from, 1);
            double[] expected = ce.gradient(new Batch(rows, n, toDouble(student)), new Batch(rows, n, toDouble(teacher))).data();
            for (int i = 0; i < out.length; i++) {
                assertThat((double) out[i]).isCloseTo(expected[i], within(1e-7));
            }
        }
    }

    @Test
    void labelGradientIsSoftmaxMinusOneHotOnTheClassLogits() {
        // z = (0, ln 3, 0, 7) on 3 classes + 1 aux logit: σ = (1/5, 3/5, 1/5); label 1; one row
        float[] z = {0f, (float) Math.log(3), 0f, 7f};
        float[] out = new float[4];
        new Objective.Labels(new byte[] {1}, 3).gradient(z, 4, new int[] {0}, 1, out);
        assertThat(out[0]).isCloseTo(0.2f, within(1e-6f));
        assertThat(out[1]).isCloseTo(-0.4f, within(1e-6f));
        assertThat(out[2]).isCloseTo(0.2f, within(1e-6f));
        assertThat(out[3]).isZero();
    }

    @Test
    void adamOnAHandComputedCase() {
        // lr 0.1, β = (0.9, 0.999), eps 1e-8, no decay. Step 1, g = 0.5: m = 0.05, v = 0.00025,
        // m̂ = 0.5, v̂ = 0.25, θ −= 0.1·0.5/(0.5 + 1e-8) = 0.1. Step 2, g = −0.5: m = 0.045 − 0.05 = −0.005,
        // v = 0.999·0.00025 + 0.00025 = 0.00049975, m̂ = −0.005/0.19 = −1/38, v̂ = 0.00049975/0.001999 = 0.25,
        // θ −= 0.1·(−1/38)/0.5 = −1/190. So θ = 1 − 0.1 + 1/190 = 0.905263158.
        FloatOptimizer adam = new FloatOptimizer.Adam(1, 0.1, 0);
        float[] theta = {1f};
        adam.step(theta, new float[] {0.5f});
        assertThat(theta[0]).isCloseTo(0.9f, within(1e-6f));
        adam.step(theta, new float[] {-0.5f});
        assertThat(theta[0]).isCloseTo(0.905263158f, within(1e-6f));
    }

    @Test
    void adamWithAConstantGradientMovesEachCoordinateByLrPerStepAndDecayAddsLambdaTheta() {
        FloatOptimizer adam = new FloatOptimizer.Adam(2, 0.01, 0);
        float[] theta = {0f, 0f};
        for (int t = 0; t < 3; t++) {
            adam.step(theta, new float[] {3f, -1e-3f});
        }
        assertThat(theta[0]).isCloseTo(-0.03f, within(1e-6f));
        assertThat(theta[1]).isCloseTo(0.03f, within(1e-6f));
        // weight decay λ = 0.5 at θ = 2 with g = −1: effective gradient 0, so Adam does not move
        FloatOptimizer decayed = new FloatOptimizer.Adam(1, 0.01, 0.5);
        float[] w = {2f};
        decayed.step(w, new float[] {-1f});
        assertThat(w[0]).isEqualTo(2f);
    }

    @Test
    void sgdStepsAgainstTheDecayedGradient() {
        // θ = 2, g = 1, lr 0.1, λ = 0.5: θ − 0.1·(1 + 1) = 1.8
        float[] theta = {2f};
        new FloatOptimizer.Sgd(0.1, 0.5).step(theta, new float[] {1f});
        assertThat(theta[0]).isCloseTo(1.8f, within(1e-6f));
    }

    private static double[] toDouble(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }
}
