package dev.subliminal.results.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The binomial test, the t interval and the least-squares slope against independent computations. */
class SweepStatisticsTest {

    /** P(K ≥ k) for K ∼ Binomial(n, p), summed exactly in BigDecimal. */
    private static double upperTail(int n, int k, BigDecimal p) {
        BigDecimal q = BigDecimal.ONE.subtract(p);
        BigDecimal sum = BigDecimal.ZERO;
        for (int i = k; i <= n; i++) {
            BigInteger choose = BigInteger.ONE;
            for (int j = 0; j < i; j++) {
                choose = choose.multiply(BigInteger.valueOf(n - j)).divide(BigInteger.valueOf(j + 1));
            }
            sum = sum.add(new BigDecimal(choose).multiply(p.pow(i)).multiply(q.pow(n - i)));
        }
        return sum.round(MathContext.DECIMAL64).doubleValue();
    }

    @ParameterizedTest
    @CsvSource({"20, 20, 0.5", "20, 14, 0.5", "200, 91, 0.5", "200, 200, 0.5", "50, 0, 0.5", "37, 30, 0.7",
        "1000, 530, 0.5"})
    void theOneSidedBinomialTestIsTheExactUpperTail(int n, int k, String p) {
        double expected = upperTail(n, k, new BigDecimal(p));
        assertThat(Proportion.of(k, n).pValueAbove(Double.parseDouble(p)))
                .isCloseTo(expected, within(1e-12 * Math.max(expected, 1e-300) + 1e-300));
        assertThat(Proportion.of(0, 0).pValueAbove(0.5)).isNaN();
    }

    @Test
    void theMeanIntervalUsesStudentsT() {
        // x = 1..10: mean 5.5, s = √(55/6); t_{0.975, 9} = 2.262157162798205 (mpmath, regularized incomplete beta at 40 digits)
        double[] x = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, Double.NaN};
        MeanInterval m = MeanInterval.of95(x);
        double half = 2.262157162798205 * Math.sqrt(55.0 / 6) / Math.sqrt(10);
        assertThat(m.count()).isEqualTo(10);
        assertThat(m.mean()).isEqualTo(5.5);
        assertThat(m.lower()).isCloseTo(5.5 - half, within(1e-12));
        assertThat(m.upper()).isCloseTo(5.5 + half, within(1e-12));
        // 99%: t_{0.995, 4} = 4.604094871349992 (mpmath), x = (2, 4, 4, 4, 6): s = √2
        MeanInterval w = MeanInterval.of(new double[] {2, 4, 4, 4, 6}, 0.01);
        assertThat(w.upper()).isCloseTo(4 + 4.604094871349992 * Math.sqrt(2) / Math.sqrt(5), within(1e-12));
        assertThat(MeanInterval.of95(new double[] {3}).lower()).isNaN();
    }

    @Test
    void leastSquaresRecoversKnownSlopes() {
        assertThat(LeastSquares.slope(new double[] {-3, -2, -1, 0}, new double[] {-5, -3, -1, 1})).isEqualTo(2.0);
        // y = (1, 3, 2, 5, 4) on x = 1..5: Sxy = 8, Sxx = 10 (by hand)
        assertThat(LeastSquares.slope(new double[] {1, 2, 3, 4, 5}, new double[] {1, 3, 2, 5, 4}))
                .isCloseTo(0.8, within(1e-15));
        assertThat(LeastSquares.slope(new double[] {1, 1}, new double[] {1, 2})).isNaN();
        assertThat(LeastSquares.slope(new double[] {1}, new double[] {1})).isNaN();
    }
}
