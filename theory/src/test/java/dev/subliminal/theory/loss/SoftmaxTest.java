package dev.subliminal.theory.loss;

import static org.assertj.core.api.Assertions.assertThat;

import dev.subliminal.theory.random.Seeds;
import org.apache.commons.rng.UniformRandomProvider;
import org.junit.jupiter.api.Test;

/**
 * {@link Softmax#softmax} and {@link Softmax#logSoftmax} against the element-by-element formulas written
 * here with {@link StrictMath#exp}, bit for bit: s_k = z_k/T, e_k = exp(s_k − max s), σ_k = e_k / Σ e and
 * log σ_k = s_k − (max s + log Σ e) (Σ in index order), on rows of every length up to 70 and of a
 * vocabulary's, with and without a subset, including −∞ and +∞ logits.
 */
class SoftmaxTest {

    @Test
    void probabilitiesAndTheirLogarithmsHaveTheBitsOfStrictMathElementByElement() {
        UniformRandomProvider rng = Seeds.of(77);
        for (int round = 0; round < 400; round++) {
            int n = round < 70 ? round + 1 : round % 50 == 0 ? 50_257 : 1 + rng.nextInt(3000);
            double[] z = new double[n + 3];
            for (int i = 0; i < z.length; i++) {
                z[i] = rng.nextInt(20) == 0 ? rng.nextDouble(-800, 800) : rng.nextDouble(-25, 25);
            }
            if (round % 7 == 3) {
                z[3 + rng.nextInt(n)] = Double.NEGATIVE_INFINITY;
            }
            if (round % 11 == 5) {
                z[3 + rng.nextInt(n)] = Double.POSITIVE_INFINITY;
            }
            int[] index = null;
            int m = n;
            if (round % 3 == 1) {
                index = java.util.stream.IntStream.range(0, n).filter(i -> rng.nextBoolean()).toArray();
                m = index.length;
                if (m == 0) {
                    continue;
                }
            }
            double t = round % 2 == 0 ? 1 : rng.nextDouble(0.3, 3);
            double[] got = new double[m];
            Softmax.softmax(z, 3, index, m, t, got);
            double[] gotLog = new double[m];
            Softmax.logSoftmax(z, 3, index, m, t, gotLog);
            double[] s = new double[m];
            double max = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < m; k++) {
                s[k] = z[3 + (index == null ? k : index[k])] / t;
                max = Math.max(max, s[k]);
            }
            double[] log = s.clone();
            double sum = 0;
            for (int k = 0; k < m; k++) {
                s[k] = StrictMath.exp(s[k] - max);
                sum += s[k];
            }
            double logSum = max + StrictMath.log(sum);
            for (int k = 0; k < m; k++) {
                log[k] -= logSum;
            }
            for (int k = 0; k < m; k++) {
                s[k] /= sum;
            }
            for (int k = 0; k < m; k++) {
                assertThat(Double.doubleToLongBits(got[k])).as("round %d, k %d of %d", round, k, m)
                        .isEqualTo(Double.doubleToLongBits(s[k]));
                assertThat(Double.doubleToLongBits(gotLog[k])).as("log, round %d, k %d of %d", round, k, m)
                        .isEqualTo(Double.doubleToLongBits(log[k]));
            }
        }
    }
}
