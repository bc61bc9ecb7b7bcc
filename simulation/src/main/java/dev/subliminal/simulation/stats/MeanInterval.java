package dev.subliminal.simulation.stats;

import java.util.Arrays;
import org.apache.commons.statistics.interval.Interval;
import org.apache.commons.statistics.interval.NormalConfidenceInterval;

/**
 * The sample mean with its Student-t confidence interval x̄ ± t_{1−a/2, n−1}·s/√n, where s is the
 * sample standard deviation (divisor n − 1), from Commons Statistics' {@code NormalConfidenceInterval.MEAN}. NaN values are
 * ignored; with fewer than two values the bounds are NaN.
 *
 * @param count n, the number of non-NaN values
 * @param mean x̄
 * @param lower the lower bound
 * @param upper the upper bound
 */
public record MeanInterval(int count, double mean, double lower, double upper) {

    /** The mean of the non-NaN values and its two-sided interval at confidence 1 − alpha. */
    public static MeanInterval of(double[] values, double alpha) {
        if (!(alpha > 0 && alpha < 1)) {
            throw new IllegalArgumentException("alpha = " + alpha + " must be in (0, 1)");
        }
        double[] v = Arrays.stream(values).filter(x -> !Double.isNaN(x)).toArray();
        int n = v.length;
        if (n == 0) {
            return new MeanInterval(0, Double.NaN, Double.NaN, Double.NaN);
        }
        double sum = 0;
        for (double x : v) {
            sum += x;
        }
        double mean = sum / n;
        if (n == 1) {
            return new MeanInterval(1, mean, Double.NaN, Double.NaN);
        }
        double ss = 0;
        for (double x : v) {
            ss += (x - mean) * (x - mean);
        }
        Interval i = NormalConfidenceInterval.MEAN.fromErrorRate(mean, ss / (n - 1), n, alpha);
        return new MeanInterval(n, mean, i.getLowerBound(), i.getUpperBound());
    }

    /** The 95% interval. */
    public static MeanInterval of95(double[] values) {
        return of(values, 0.05);
    }
}
