package dev.subliminal.theory.param;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.subliminal.theory.random.Seeds;
import org.junit.jupiter.api.Test;

class InitializationTest {

    private static final long SEED = 20_240_601L;

    /** Two-sided 99.9% standard normal quantile, Φ⁻¹(0.9995). */
    private static final double Z = 3.2905267314919255;

    /** nn.Sequential(nn.Linear(400, 500), φ, nn.Linear(500, 300)): 350 000 weights. */
    private static final ParameterLayout LAYOUT = ParameterLayout.builder()
            .add("0.weight", 500, 400).add("0.bias", 500).add("2.weight", 300, 500).add("2.bias", 300).build();

    /** Wilson–Hilferty approximation to the χ²_k quantile at standard normal quantile z. */
    private static double chiSquareQuantile(int k, double z) {
        double a = 2.0 / (9.0 * k);
        return k * Math.pow(1 - a + z * Math.sqrt(a), 3);
    }

    private static double[] values(double[] theta, TensorSpec t) {
        return java.util.Arrays.copyOfRange(theta, t.offset(), t.offset() + t.size());
    }

    @Test
    void normalFanInHasZeroBiasesAndWeightVarianceOneOverFanIn() {
        System.out.println("InitializationTest seed = " + SEED);
        double[] theta = Initialization.NORMAL_FAN_IN.initialize(LAYOUT, Seeds.stream(SEED, "init"));
        assertThat(values(theta, LAYOUT.tensor("0.bias"))).containsOnly(0.0);
        assertThat(values(theta, LAYOUT.tensor("2.bias"))).containsOnly(0.0);
        for (String name : new String[] {"0.weight", "2.weight"}) {
            TensorSpec t = LAYOUT.tensor(name);
            int fanIn = t.shape()[1];
            double[] w = values(theta, t);
            int n = w.length;
            double sumSquares = 0;
            double sum = 0;
            int withinOneSd = 0;
            double sd = 1 / Math.sqrt(fanIn);
            for (double x : w) {
                sum += x;
                sumSquares += x * x;
                if (Math.abs(x) <= sd) {
                    withinOneSd++;
                }
            }
            // With the mean known to be 0, fan_in·Σ w² ~ χ²_n: a 99.9% two-sided acceptance region.
            double lower = chiSquareQuantile(n, -Z);
            double upper = chiSquareQuantile(n, Z);
            System.out.printf("%s: n = %d, fan_in·Σw² = %.1f, 99.9%% region [%.1f, %.1f]%n", name, n,
                    fanIn * sumSquares, lower, upper);
            assertThat(fanIn * sumSquares).as("fan_in·Σ w² for %s", name).isBetween(lower, upper);
            // the mean is N(0, 1/(fan_in·n))
            assertThat(Math.abs(sum / n)).isLessThanOrEqualTo(Z * sd / Math.sqrt(n));
            // Gaussian shape: P(|w| ≤ sd) = 0.682689492137086, binomial 99.9% bound
            double p = 0.682689492137086;
            assertThat((double) withinOneSd / n).isCloseTo(p,
                    org.assertj.core.data.Offset.offset(Z * Math.sqrt(p * (1 - p) / n)));
        }
    }

    @Test
    void uniformFanInStaysWithinItsBoundsWithTheRightVariance() {
        System.out.println("InitializationTest seed = " + SEED);
        double[] theta = Initialization.UNIFORM_FAN_IN.initialize(LAYOUT, Seeds.stream(SEED, "init"));
        for (String[] pair : new String[][] {{"0.weight", "0.bias"}, {"2.weight", "2.bias"}}) {
            int fanIn = LAYOUT.tensor(pair[0]).shape()[1];
            double bound = 1 / Math.sqrt(fanIn);
            for (String name : pair) {
                double[] v = values(theta, LAYOUT.tensor(name));
                double max = 0;
                for (double x : v) {
                    max = Math.max(max, Math.abs(x));
                }
                assertThat(max).as("largest |%s|", name).isLessThanOrEqualTo(bound);
                // biases use the fan-in of their own layer: they come close to the bound (P(max < 0.95b) ≤ 0.95^300 ≈ 2e-7)
                assertThat(max).as("largest |%s|", name).isGreaterThan(0.95 * bound);
            }
            double[] w = values(theta, LAYOUT.tensor(pair[0]));
            double s = 0;
            for (double x : w) {
                s += x * x;
            }
            // E w² = b²/3, Var w² = 4b⁴/45
            double mean = bound * bound / 3;
            double sd = Math.sqrt(4 * Math.pow(bound, 4) / 45 / w.length);
            assertThat(s / w.length).isCloseTo(mean, org.assertj.core.data.Offset.offset(Z * sd));
        }
    }

    @Test
    void sameSeedGivesTheSameThetaAndDifferentSeedsDiffer() {
        for (Initialization init : Initialization.values()) {
            double[] a = init.initialize(LAYOUT, Seeds.stream(SEED, "init"));
            double[] b = init.initialize(LAYOUT, Seeds.stream(SEED, "init"));
            double[] c = init.initialize(LAYOUT, Seeds.stream(SEED + 1, "init"));
            assertThat(a).isEqualTo(b); // Arrays.equals: isEqualTo on arrays compares contents
            assertThat(a).isNotEqualTo(c);
        }
    }

    @Test
    void layoutsThatAreNotDenseAreRejected() {
        ParameterLayout orphanBias = ParameterLayout.builder().add("0.bias", 3).build();
        assertThatThrownBy(() -> Initialization.NORMAL_FAN_IN.initialize(orphanBias, Seeds.of(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0.bias");
        ParameterLayout odd = ParameterLayout.builder().add("0.weight", 2, 2).add("scale", 2).build();
        assertThatThrownBy(() -> Initialization.UNIFORM_FAN_IN.initialize(odd, Seeds.of(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("scale");
        ParameterLayout flat = ParameterLayout.builder().add("0.weight", 4).build();
        assertThatThrownBy(() -> Initialization.NORMAL_FAN_IN.initialize(flat, Seeds.of(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[out, in, ...]");
    }

    @Test
    void aConvolutionsFanInIsItsInputChannelsTimesItsKernel() {
        // [out 3, in 2, 3, 3]: fan_in = 18, so U(−1/√18, 1/√18); a fan_in of 2 (in only) or 36 would
        // put the 54 draws outside the bound, or all of them within 1/√36 (probability 0.707^54 < 1e-8)
        ParameterLayout conv = ParameterLayout.builder().add("0.weight", 3, 2, 3, 3).add("0.bias", 3).build();
        double[] theta = Initialization.UNIFORM_FAN_IN.initialize(conv, Seeds.of(5));
        double max = 0;
        for (int i = 0; i < 54; i++) {
            max = Math.max(max, Math.abs(theta[i]));
        }
        assertThat(max).isLessThanOrEqualTo(1 / Math.sqrt(18)).isGreaterThan(1 / Math.sqrt(36));
    }
}
