package dev.subliminal.theory.param;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.subliminal.theory.linalg.Gemm;
import dev.subliminal.theory.random.Seeds;
import java.util.Arrays;
import org.apache.commons.rng.UniformRandomProvider;
import org.junit.jupiter.api.Test;

class VectorsTest {

    @Test
    void normDoesNotOverflowOrUnderflow() {
        double[] big = new double[100];
        Arrays.fill(big, 1e200);
        // the naive Σ x² overflows to ∞ here; the answer is 1e200·√100 = 1e201
        assertThat(big[0] * big[0]).isInfinite();
        assertThat(Vectors.norm(big)).isCloseTo(1e201, within(1e201 * 1e-15));
        double[] tiny = {3e-200, 4e-200};
        assertThat(tiny[0] * tiny[0]).isZero();
        assertThat(Vectors.norm(tiny)).isCloseTo(5e-200, within(5e-200 * 1e-15));
        assertThat(Vectors.norm(new double[] {3, -4})).isEqualTo(5.0);
        assertThat(Vectors.norm(new double[3])).isZero();
        assertThat(Vectors.norm(new double[] {1, Double.POSITIVE_INFINITY})).isInfinite();
        assertThat(Vectors.norm(new double[] {1, Double.NaN})).isNaN();
    }

    @Test
    void cosineFromNormsComputedElsewhereHasTheSameBits() {
        UniformRandomProvider rng = Seeds.of(31);
        for (int n : new int[] {1, 7, 1000, 4097}) {
            double[] u = new double[n];
            double[] v = new double[n];
            for (int i = 0; i < n; i++) {
                u[i] = 6 * rng.nextDouble() - 3;
                v[i] = 3e-3 * rng.nextDouble() - 1e-3;
            }
            double nu = Vectors.norm(u);
            double nv = Vectors.norm(v);
            assertThat(Vectors.cosine(u, v, nu, nv)).isEqualTo(Vectors.cosine(u, v));
            // the norms given are the ones used: twice ‖u‖ halves the cosine (to rounding)
            assertThat(Vectors.cosine(u, v, 2 * nu, nv)).isCloseTo(Vectors.cosine(u, v) / 2, within(1e-15));
        }
        assertThat(Vectors.cosine(new double[] {1, 2}, new double[] {3, 4}, 0, 5)).isNaN();
    }

    @Test
    void cosineIsNaNForAZeroVectorAndClampedOtherwise() {
        assertThat(Vectors.cosine(new double[] {0, 0}, new double[] {1, 2})).isNaN();
        assertThat(Vectors.cosine(new double[] {1, 2}, new double[] {0, 0})).isNaN();
        assertThat(Vectors.cosine(new double[] {1e200, 1e200}, new double[] {3e200, 3e200})).isCloseTo(1.0, within(1e-15))
                .isLessThanOrEqualTo(1.0);
        assertThat(Vectors.cosine(new double[] {1, 2, 3}, new double[] {-2, -4, -6})).isCloseTo(-1.0, within(1e-15))
                .isGreaterThanOrEqualTo(-1.0);
        assertThat(Vectors.cosine(new double[] {1, 0}, new double[] {0, 5})).isZero();
        assertThat(Vectors.cosine(new double[] {1, 1}, new double[] {1, 0})).isCloseTo(Math.sqrt(0.5), within(1e-16));
    }

    @Test
    void lengthMismatchesAreRejected() {
        assertThatThrownBy(() -> Vectors.dot(new double[2], new double[3])).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("2 and 3");
        assertThatThrownBy(() -> Vectors.axpy(new double[2], 1, new double[3]))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Vectors.axpy(Gemm.serial(), new double[2], 1, new double[2], new double[3]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2 and 3");
        // a longer second vector must not be silently truncated
        assertThatThrownBy(() -> Vectors.cosine(new double[] {1, 0}, new double[] {1, 0, 5}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2 and 3");
        assertThatThrownBy(() -> Vectors.cosine(new double[] {1, 0, 5}, new double[] {1, 0}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("3 and 2");
    }

    @Test
    void elementwiseOperations() {
        double[] x = {1, 2, 3};
        double[] y = {4, 5, 6};
        assertThat(Vectors.dot(x, y)).isEqualTo(32.0);
        assertThat(Vectors.axpy(x, 2, y)).containsExactly(9, 12, 15);
        assertThat(Vectors.subtract(y, x)).containsExactly(3, 3, 3);
        assertThat(Vectors.scale(-1, x)).containsExactly(-1, -2, -3);
        assertThat(x).containsExactly(1, 2, 3);
        assertThat(Vectors.firstNonFinite(new double[] {0, 1, Double.NaN, Double.NEGATIVE_INFINITY})).isEqualTo(2);
        assertThat(Vectors.firstNonFinite(x)).isEqualTo(-1);
    }

    @Test
    void threadedEntryWiseOperationsHaveTheSerialBits() {
        UniformRandomProvider rng = Seeds.of(6);
        Gemm two = Gemm.threads(2);
        for (int n : new int[] {0, 1, 1000, (1 << 16) - 1, 3 * (1 << 16) + 17, 1 << 20}) {
            double[] x = new double[n];
            double[] y = new double[n];
            for (int i = 0; i < n; i++) {
                x[i] = rng.nextDouble(-1e3, 1e3);
                y[i] = rng.nextDouble(-1e300, 1e300);
            }
            double a = rng.nextDouble(-2, 2);
            assertThat(Vectors.axpy(two, x, a, y)).isEqualTo(serialAxpy(x, a, y));
            double[] into = new double[n];
            Arrays.fill(into, Double.NaN);
            assertThat(Vectors.axpy(two, x, a, y, into)).isSameAs(into).isEqualTo(serialAxpy(x, a, y));
            double[] self = x.clone();
            assertThat(Vectors.axpy(two, self, a, y, self)).as("out may be x").isEqualTo(serialAxpy(x, a, y));
            double[] scaled = new double[n];
            for (int i = 0; i < n; i++) {
                scaled[i] = a * y[i];
            }
            assertThat(Vectors.scale(two, a, y)).isEqualTo(scaled);
            assertThat(Vectors.scaleInPlace(two, a, y.clone())).isEqualTo(scaled);
            assertThat(Vectors.firstNonFinite(two, x)).isEqualTo(-1);
            if (n > 0) {
                int late = n - 1 - rng.nextInt(Math.min(n, 1000));
                int early = rng.nextInt(late + 1);
                x[late] = Double.NaN;
                assertThat(Vectors.firstNonFinite(two, x)).isEqualTo(late);
                x[early] = Double.NEGATIVE_INFINITY;
                assertThat(Vectors.firstNonFinite(two, x)).isEqualTo(early).isEqualTo(Vectors.firstNonFinite(x));
            }
        }
    }

    /** x + a·y written out here, entry by entry. */
    private static double[] serialAxpy(double[] x, double a, double[] y) {
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = x[i] + a * y[i];
        }
        return out;
    }
}
