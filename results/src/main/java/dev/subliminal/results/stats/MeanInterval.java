package dev.subliminal.results.stats;

import java.util.Locale;
import org.apache.commons.statistics.interval.Interval;
import org.apache.commons.statistics.interval.NormalConfidenceInterval;

/**
 * The sample mean x̄ = Σx/n with its Student-t confidence interval x̄ ± t_{1−a/2, n−1}·s/√n, where
 * s² = Σ(x − x̄)²/(n − 1) (two passes, in the order given), from Commons Statistics'
 * {@link NormalConfidenceInterval#MEAN}. NaN values are ignored; with fewer than two values the
 * bounds are NaN.
 *
 * @param count n, the number of non-NaN values
 * @param mean x̄; NaN when n = 0
 * @param lower the lower bound
 * @param upper the upper bound
 */
public record MeanInterval(int count, double mean, double lower, double upper) {

    /** The mean of the non-NaN values and its two-sided interval at confidence 1 − alpha. */
    public static MeanInterval of(double[] values, double alpha) {
        if (!(alpha > 0 && alpha < 1)) {
            throw new IllegalArgumentException("alpha = " + alpha + " must be in (0, 1)");
        }
        int n = 0;
        double sum = 0;
        for (double x : values) {
            if (!Double.isNaN(x)) {
                n++;
                sum += x;
            }
        }
        if (n == 0) {
            return new MeanInterval(0, Double.NaN, Double.NaN, Double.NaN);
        }
        double mean = sum / n;
        if (n == 1) {
            return new MeanInterval(1, mean, Double.NaN, Double.NaN);
        }
        double ss = 0;
        for (double x : values) {
            if (!Double.isNaN(x)) {
                ss += (x - mean) * (x - mean);
            }
        }
        Interval i = NormalConfidenceInterval.MEAN.fromErrorRate(mean, ss / (n - 1), n, alpha);
        return new MeanInterval(n, mean, i.getLowerBound(), i.getUpperBound());
    }

    /** The 95% interval. */
    public static MeanInterval of95(double[] values) {
        return of(values, 0.05);
    }

    /**
     * This interval intersected with the range [lo, hi] that the mean cannot leave (an accuracy in
     * [0, 1], a cosine in [−1, 1]). The true mean lies in the range, so the intersection covers it
     * whenever the t interval does: the confidence level is unchanged, and no bound reads as an
     * impossible value (a t interval over few runs near 1 can reach past 1).
     */
    public MeanInterval within(double lo, double hi) {
        if (!(lo < hi)) {
            throw new IllegalArgumentException("range [" + lo + ", " + hi + "] is empty");
        }
        if (count < 2) {
            return this;
        }
        return new MeanInterval(count, mean, Math.max(lower, lo), Math.min(upper, hi));
    }

    /** Half the interval's width; 0 with fewer than two values. */
    public double halfWidth() {
        return count < 2 ? 0 : (upper - lower) / 2;
    }

    /** {@code 0.530 [0.510, 0.550]}, {@code 0.530} for one value, {@code n/a} for none. */
    public String format() {
        return format("%.3f");
    }

    /**
     * The mean and its interval with each number in {@code number} (a {@link String#format} pattern
     * such as {@code %.3g}); the mean alone for one value, {@code n/a} for none.
     */
    public String format(String number) {
        if (count == 0) {
            return "n/a";
        }
        if (count == 1) {
            return String.format(Locale.ROOT, number, mean);
        }
        return String.format(Locale.ROOT, number + " [" + number + ", " + number + "]", mean, lower, upper);
    }
}
