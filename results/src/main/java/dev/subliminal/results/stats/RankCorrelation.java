package dev.subliminal.results.stats;

import java.util.Arrays;
import java.util.Locale;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.simple.RandomSource;
import org.apache.commons.statistics.ranking.NaNStrategy;
import org.apache.commons.statistics.ranking.NaturalRanking;
import org.apache.commons.statistics.ranking.TiesStrategy;

/**
 * Spearman's rank correlation ρ of paired values, with a percentile bootstrap 95% interval: ρ is the
 * Pearson correlation of the pairs' ranks (ties share their average rank, Commons Statistics'
 * {@link NaturalRanking}); the interval is the 2.5% and 97.5% quantiles (linear interpolation between
 * order statistics) of ρ over {@code resamples} resamples of the n pairs drawn with replacement from
 * a generator seeded with {@code seed} (Commons RNG's XO_RO_SHI_RO_128_PP), skipping resamples whose
 * ranks are constant. Pairs with a NaN are left out.
 *
 * @param count n, the pairs used
 * @param rho ρ (NaN for fewer than 3 pairs or constant ranks)
 * @param lower the interval's lower end
 * @param upper its upper end
 * @param resamples the bootstrap resamples drawn
 * @param seed the bootstrap's seed
 */
public record RankCorrelation(int count, double rho, double lower, double upper, int resamples, long seed) {

    private static final NaturalRanking RANKING = new NaturalRanking(NaNStrategy.FAILED, TiesStrategy.AVERAGE);

    /** ρ of the pairs (x_i, y_i) with its bootstrap 95% interval. */
    public static RankCorrelation spearman(double[] x, double[] y, int resamples, long seed) {
        if (x.length != y.length) {
            throw new IllegalArgumentException(x.length + " values paired with " + y.length);
        }
        if (resamples < 1) {
            throw new IllegalArgumentException("resamples = " + resamples + " must be ≥ 1");
        }
        int n = 0;
        double[] a = new double[x.length];
        double[] b = new double[y.length];
        for (int i = 0; i < x.length; i++) {
            if (!Double.isNaN(x[i]) && !Double.isNaN(y[i])) {
                a[n] = x[i];
                b[n] = y[i];
                n++;
            }
        }
        a = Arrays.copyOf(a, n);
        b = Arrays.copyOf(b, n);
        double nan = Double.NaN;
        if (n < 3) {
            return new RankCorrelation(n, nan, nan, nan, resamples, seed);
        }
        double rho = rho(a, b);
        UniformRandomProvider rng = RandomSource.XO_RO_SHI_RO_128_PP.create(seed);
        double[] boot = new double[resamples];
        int kept = 0;
        double[] ra = new double[n];
        double[] rb = new double[n];
        for (int r = 0; r < resamples; r++) {
            for (int i = 0; i < n; i++) {
                int j = rng.nextInt(n);
                ra[i] = a[j];
                rb[i] = b[j];
            }
            double v = rho(ra, rb);
            if (!Double.isNaN(v)) {
                boot[kept++] = v;
            }
        }
        if (kept == 0) {
            return new RankCorrelation(n, rho, nan, nan, resamples, seed);
        }
        boot = Arrays.copyOf(boot, kept);
        Arrays.sort(boot);
        return new RankCorrelation(n, rho, quantile(boot, 0.025), quantile(boot, 0.975), resamples, seed);
    }

    /** Spearman's ρ: Pearson's correlation of the average ranks; NaN when either ranking is constant. */
    public static double rho(double[] x, double[] y) {
        return pearson(RANKING.apply(x), RANKING.apply(y));
    }

    /** Pearson's correlation, two-pass in index order; NaN when either vector is constant. */
    static double pearson(double[] x, double[] y) {
        CentredSums s = CentredSums.of(x, y);
        return s.sxx() == 0 || s.syy() == 0 ? Double.NaN : s.sxy() / Math.sqrt(s.sxx() * s.syy());
    }

    /** The q-quantile of sorted values, interpolating linearly between order statistics (R's type 7). */
    static double quantile(double[] sorted, double q) {
        double h = (sorted.length - 1) * q;
        int lo = (int) Math.floor(h);
        int hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }

    /** {@code ρ [lo, hi]} in 3 decimals, or {@code n/a}. */
    public String format() {
        if (Double.isNaN(rho)) {
            return "n/a";
        }
        return Double.isNaN(lower) ? String.format(Locale.ROOT, "%.3f", rho)
                : String.format(Locale.ROOT, "%.3f [%.3f, %.3f]", rho, lower, upper);
    }
}
