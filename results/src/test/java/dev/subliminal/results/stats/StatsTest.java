package dev.subliminal.results.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Intervals against their closed forms, histogram binning, power-law fits of exact power laws. */
class StatsTest {

    /** z = Φ⁻¹(0.975), to 16 digits. */
    private static final double Z = 1.959963984540054;

    @ParameterizedTest(name = "{0} of {1}")
    @CsvSource({"0, 10", "3, 10", "10, 10", "82, 100", "1, 1000000"})
    void wilsonIntervalMatchesItsClosedForm(int k, int n) {
        Proportion r = new Proportion();
        for (int i = 0; i < n; i++) {
            r.add(i < k);
        }
        double p = (double) k / n;
        double centre = (p + Z * Z / (2.0 * n)) / (1 + Z * Z / n);
        double half = Z * Math.sqrt(p * (1 - p) / n + Z * Z / (4.0 * n * n)) / (1 + Z * Z / n);
        assertThat(r.rate()).isEqualTo(p);
        assertThat(r.wilson95()[0]).isCloseTo(centre - half, within(1e-12));
        assertThat(r.wilson95()[1]).isCloseTo(centre + half, within(1e-12));
    }

    @Test
    void tIntervalOfTheMeanUsesStudentQuantile() {
        Sample sample = new Sample();
        double[] xs = {0.51, 0.55, 0.47, 0.60, 0.52};
        for (double x : xs) {
            sample.add(x);
        }
        sample.add(Double.NaN);
        MeanInterval m = sample.mean95();
        double mean = 2.65 / 5;
        double ss = 0;
        for (double x : xs) {
            ss += (x - mean) * (x - mean);
        }
        // t_{0.975, 4} from the standard table (R: qt(0.975, 4))
        double half = 2.7764451051977987 * Math.sqrt(ss / 4 / 5);
        assertThat(m.count()).isEqualTo(5);
        assertThat(m.mean()).isCloseTo(mean, within(1e-15));
        assertThat(m.lower()).isCloseTo(mean - half, within(1e-12));
        assertThat(m.upper()).isCloseTo(mean + half, within(1e-12));
        assertThat(m.halfWidth()).isCloseTo(half, within(1e-12));
        assertThat(m.format()).isEqualTo(String.format(java.util.Locale.ROOT, "%.3f [%.3f, %.3f]", mean, mean - half,
                mean + half));
    }

    /**
     * The order-statistic interval of the median against exact binomial sums: for n = 10 the ranks
     * (2, 9) cover with 1 − 2·11/1024 = 97.9% (ranks (3, 8) would give 1 − 2·56/1024 = 89.1% &lt; 95%);
     * for n = 6 the extremes cover with 1 − 2/64 = 96.9%; for n = 5 even they give only 93.75%.
     */
    @Test
    void medianIntervalTakesTheOrderStatisticsOfTheBinomialTable() {
        double[] ten = {9, 1, 8, 2, 7, 3, 6, 4, 5, 10};
        MedianInterval m = MedianInterval.of95(ten);
        assertThat(m.count()).isEqualTo(10);
        assertThat(m.median()).isEqualTo(5.5);
        assertThat(m.lower()).isEqualTo(2);
        assertThat(m.upper()).isEqualTo(9);
        assertThat(MedianInterval.rank(10, 0.025)).isEqualTo(2);
        assertThat(MedianInterval.rank(6, 0.025)).isEqualTo(1);
        assertThat(MedianInterval.rank(5, 0.025)).isZero();
        MedianInterval six = MedianInterval.of95(new double[] {3, 1, 2, 6, 5, 4, Double.NaN});
        assertThat(six.count()).isEqualTo(6);
        assertThat(six.lower()).isEqualTo(1);
        assertThat(six.upper()).isEqualTo(6);
        MedianInterval five = MedianInterval.of95(new double[] {3, 1, 2, 5, 4});
        assertThat(five.median()).isEqualTo(3);
        assertThat(five.hasInterval()).isFalse();
        assertThat(five.format("%.1f")).isEqualTo("3.0");
        // n = 100: P(B ≤ 39) = 0.0176 ≤ 0.025 < P(B ≤ 40) = 0.0284, so ranks (40, 61)
        double[] hundred = new double[100];
        for (int i = 0; i < 100; i++) {
            hundred[i] = 100 - i;
        }
        assertThat(MedianInterval.of95(hundred).lower()).isEqualTo(40);
        assertThat(MedianInterval.of95(hundred).upper()).isEqualTo(61);
        assertThat(MedianInterval.of95(new double[0]).format("%.1f")).isEqualTo("n/a");
    }

    @Test
    void aMeanIntervalIsCutToTheRangeTheMeanCannotLeave() {
        MeanInterval m = MeanInterval.of95(new double[] {0.99, 1.0, 0.90});
        assertThat(m.upper()).isGreaterThan(1);
        MeanInterval cut = m.within(0, 1);
        assertThat(cut.upper()).isEqualTo(1);
        assertThat(cut.lower()).isEqualTo(m.lower());
        assertThat(cut.mean()).isEqualTo(m.mean());
        MeanInterval low = MeanInterval.of95(new double[] {0.0, 0.01, 0.1}).within(0, 1);
        assertThat(low.lower()).isZero();
        assertThat(MeanInterval.of95(new double[] {0.5}).within(0, 1).count()).isEqualTo(1);
        assertThatThrownBy(() -> m.within(1, 0)).hasMessageContaining("empty");
    }

    @Test
    void histogramPutsEdgesInTheUpperBinAndClampsOutliers() {
        Histogram h = new Histogram(-1, 1, 4);
        for (double x : new double[] {-1, -0.75, -0.5, 0, 0.2, 0.5, 1, 1.5, -7, Double.NaN}) {
            h.add(x);
        }
        assertThat(new long[] {h.count(0), h.count(1), h.count(2), h.count(3)}).containsExactly(3, 1, 2, 3);
        assertThat(h.total()).isEqualTo(9);
        assertThat(h.clamped()).isEqualTo(2);
        assertThat(h.edge(1)).isEqualTo(-0.5);
        Histogram t = new Histogram(0, 10, 10);
        t.add(3.5);
        t.add(6.5);
        Histogram trimmed = t.trimmed();
        assertThat(trimmed.bins()).isEqualTo(4);
        assertThat(trimmed.edge(0)).isEqualTo(3);
        assertThat(trimmed.edge(4)).isEqualTo(7);
        assertThat(trimmed.count(0) + trimmed.count(3)).isEqualTo(2);
    }

    @Test
    void powerLawFitRecoversAnExactExponent() {
        PowerLaw fit = PowerLaw.fit(List.of(new PowerLaw.Point(1e-4, 3e-8), new PowerLaw.Point(1e-3, 3e-6),
                new PowerLaw.Point(1e-2, 3e-4)));
        assertThat(fit.slope()).isCloseTo(2, within(1e-12));
        assertThat(fit.at(1e-1)).isCloseTo(3e-2, within(1e-12));
        assertThatThrownBy(() -> PowerLaw.fit(List.of(new PowerLaw.Point(1, 1)))).hasMessageContaining("two points");
    }

    @Test
    void magnitudesCountOnlyPositiveValues() {
        Magnitudes m = new Magnitudes();
        for (double x : new double[] {1e-6, 1e-2, 0, -1, Double.NaN}) {
            m.add(x);
        }
        assertThat(m.count()).isEqualTo(2);
        assertThat(m.nonPositive()).isEqualTo(2);
        assertThat(m.geometricMean()).isCloseTo(1e-4, within(1e-18));
        assertThat(m.min()).isEqualTo(1e-6);
        assertThat(m.max()).isEqualTo(1e-2);
    }
}
