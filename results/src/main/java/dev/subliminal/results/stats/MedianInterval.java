package dev.subliminal.results.stats;

import java.util.Arrays;
import java.util.Locale;
import org.apache.commons.statistics.distribution.BinomialDistribution;

/**
 * The sample median with its distribution-free confidence interval from order statistics: for the
 * sorted values x_(1) ≤ … ≤ x_(n), the interval [x_(r), x_(n−r+1)] where r is the largest rank with
 * P(B ≤ r − 1) ≤ a/2 for B ∼ Binomial(n, 1/2) (Commons Statistics); it covers the population median
 * with probability 1 − 2·P(B ≤ r − 1) ≥ 1 − a whatever the (continuous) distribution. With too few
 * values for that level (n ≤ 5 at 95%) the bounds are NaN. NaN values are ignored.
 *
 * @param count n, the number of non-NaN values
 * @param median the sample median; NaN when n = 0
 * @param lower the lower bound
 * @param upper the upper bound
 */
public record MedianInterval(int count, double median, double lower, double upper) {

    /** The level of {@link #of95}. */
    public static final double LEVEL_95 = 0.95;

    /** The median of the non-NaN values and its interval at confidence at least 1 − alpha. */
    public static MedianInterval of(double[] values, double alpha) {
        if (!(alpha > 0 && alpha < 1)) {
            throw new IllegalArgumentException("alpha = " + alpha + " must be in (0, 1)");
        }
        double[] v = Arrays.stream(values).filter(x -> !Double.isNaN(x)).sorted().toArray();
        int n = v.length;
        if (n == 0) {
            return new MedianInterval(0, Double.NaN, Double.NaN, Double.NaN);
        }
        double median = n % 2 == 1 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
        int r = rank(n, alpha / 2);
        if (r < 1) {
            return new MedianInterval(n, median, Double.NaN, Double.NaN);
        }
        return new MedianInterval(n, median, v[r - 1], v[n - r]);
    }

    /** The median with its interval at confidence at least 95%. */
    public static MedianInterval of95(double[] values) {
        return of(values, 1 - LEVEL_95);
    }

    /**
     * The rank r of the lower bound: the largest r with P(B ≤ r − 1) ≤ tail for B ∼ Binomial(n, 1/2);
     * 0 when even the extremes do not reach the level.
     */
    static int rank(int n, double tail) {
        BinomialDistribution b = BinomialDistribution.of(n, 0.5);
        int k = b.inverseCumulativeProbability(tail); // the smallest k with P(B ≤ k) ≥ tail
        if (b.cumulativeProbability(k) > tail) {
            k--;
        }
        return k + 1;
    }

    /** Whether the interval exists (enough values for its level). */
    public boolean hasInterval() {
        return !Double.isNaN(lower);
    }

    /** {@code 1.39e-05 [1.21e-05, 1.52e-05]} with {@code number} a format such as {@code %.3g}. */
    public String format(String number) {
        if (count == 0) {
            return "n/a";
        }
        if (!hasInterval()) {
            return String.format(Locale.ROOT, number, median);
        }
        return String.format(Locale.ROOT, number + " [" + number + ", " + number + "]", median, lower, upper);
    }
}
