package dev.subliminal.results.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** Spearman's ρ against SciPy's, and its bootstrap interval's behaviour. */
class RankCorrelationTest {

    @Test
    void rhoMatchesScipyWithTiesAveraged() {
        // reference: scipy.stats.spearmanr (SciPy 1.17.1), which averages tied ranks
        assertThat(RankCorrelation.rho(new double[] {1, 2, 3, 4, 5}, new double[] {5, 6, 7, 8, 7}))
                .isCloseTo(0.8207826816681233, within(1e-15));
        assertThat(RankCorrelation.rho(new double[] {0.3, 0.1, 0.1, 0.9, 0.5, 0.2, 0.8},
                new double[] {2, 1, 3, 7, 5, 4, 6})).isCloseTo(0.8648999641877367, within(1e-15));
        assertThat(RankCorrelation.rho(new double[] {1, 2, 3}, new double[] {4, 4, 4})).isNaN();
    }

    @Test
    void theBootstrapIntervalIsSeededAndCoversAPerfectMonotoneRelation() {
        double[] x = new double[30];
        double[] y = new double[30];
        for (int i = 0; i < x.length; i++) {
            x[i] = i;
            y[i] = Math.exp(i / 10.0); // monotone: ρ = 1 on every resample with two distinct values
        }
        RankCorrelation r = RankCorrelation.spearman(x, y, 500, 7);
        assertThat(r.rho()).isEqualTo(1.0);
        assertThat(r.lower()).isEqualTo(1.0);
        assertThat(r.upper()).isEqualTo(1.0);
        double[] noisy = {3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8, 9, 7, 9, 3, 2, 3, 8, 4};
        double[] index = new double[noisy.length];
        for (int i = 0; i < index.length; i++) {
            index[i] = i;
        }
        RankCorrelation a = RankCorrelation.spearman(index, noisy, 1000, 11);
        RankCorrelation b = RankCorrelation.spearman(index, noisy, 1000, 11);
        assertThat(a).isEqualTo(b);
        assertThat(a.lower()).isLessThan(a.rho()).isGreaterThanOrEqualTo(-1.0);
        assertThat(a.upper()).isGreaterThan(a.rho()).isLessThanOrEqualTo(1.0);
        assertThat(RankCorrelation.spearman(new double[] {1, Double.NaN, 2, 3}, new double[] {1, 5, 2, 3}, 10, 1).count())
                .isEqualTo(3);
    }
}
