package dev.subliminal.experiments.mnist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.subliminal.theory.loss.SoftCrossEntropy;
import dev.subliminal.theory.model.Batch;
import dev.subliminal.theory.random.Seeds;
import org.apache.commons.rng.UniformRandomProvider;
import org.junit.jupiter.api.Test;

/** The MNIST training losses against the double-precision losses of {@code theory}. */
class ObjectiveTest {

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

    private static double[] toDouble(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }
}
