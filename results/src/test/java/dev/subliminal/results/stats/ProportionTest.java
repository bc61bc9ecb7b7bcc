package dev.subliminal.results.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ProportionTest {

    /**
     * Wilson 95% bounds from the closed form (p̂ + z²/2n ± z√(p̂(1−p̂)/n + z²/4n²))/(1 + z²/n) with
     * z = 1.959963984540054, evaluated independently in Python's decimal module.
     */
    @ParameterizedTest
    @CsvSource({
        "0, 10, 0.0, 0.27753279986289",
        "10, 10, 0.72246720013712, 1.0",
        "5, 10, 0.23659309051256, 0.76340690948744",
        "18, 300, 0.03828636952469, 0.09283944515291",
    })
    void wilsonMatchesTheClosedForm(int k, int n, double lo, double hi) {
        double[] ci = Proportion.of(k, n).wilson95();
        assertThat(ci[0]).isCloseTo(lo, within(1e-10));
        assertThat(ci[1]).isCloseTo(hi, within(1e-10));
    }

    @Test
    void invalidCountsAreRejected() {
        assertThatThrownBy(() -> Proportion.of(3, 2)).hasMessageContaining("3 of 2");
        assertThat(Proportion.of(0, 0).format()).isEqualTo("n/a");
    }

    @Test
    void medianIgnoresNaN() {
        assertThat(Medians.of(new double[] {3, Double.NaN, 1, 2})).isEqualTo(2);
        assertThat(Medians.of(new double[] {4, 1, 3, 2})).isEqualTo(2.5);
        assertThat(Medians.of(new double[] {Double.NaN})).isNaN();
    }
}
