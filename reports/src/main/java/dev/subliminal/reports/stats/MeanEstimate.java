package dev.subliminal.reports.stats;

import java.util.Locale;
import org.apache.commons.statistics.descriptive.DoubleStatistics;
import org.apache.commons.statistics.descriptive.Statistic;
import org.apache.commons.statistics.interval.Interval;
import org.apache.commons.statistics.interval.NormalConfidenceInterval;

/**
 * A running mean x̄ and sample variance s² of values (Commons Statistics descriptive), with the
 * Student-t 95% interval x̄ ± t_{0.975, n−1}·s/√n ({@link NormalConfidenceInterval#MEAN}).
 * NaN values are not counted.
 */
public final class MeanEstimate {

    private final DoubleStatistics stats = DoubleStatistics.of(Statistic.MEAN, Statistic.VARIANCE);

    /** Adds a value; NaN is skipped. */
    public void add(double x) {
        if (!Double.isNaN(x)) {
            stats.accept(x);
        }
    }

    /** n. */
    public long count() {
        return stats.getCount();
    }

    /** x̄; NaN when empty. */
    public double mean() {
        return stats.getAsDouble(Statistic.MEAN);
    }

    /** The 95% t-interval {lower, upper}; NaN bounds with fewer than two values. */
    public double[] interval95() {
        if (count() < 2) {
            return new double[] {Double.NaN, Double.NaN};
        }
        Interval i = NormalConfidenceInterval.MEAN.fromErrorRate(mean(), stats.getAsDouble(Statistic.VARIANCE),
                count(), 0.05);
        return new double[] {i.getLowerBound(), i.getUpperBound()};
    }

    /** Half the width of the 95% interval; 0 with fewer than two values. */
    public double halfWidth95() {
        double[] i = interval95();
        return Double.isNaN(i[0]) ? 0 : (i[1] - i[0]) / 2;
    }

    /** {@code 0.530 [0.510, 0.550]}, {@code 0.530} for one value, {@code n/a} for none. */
    public String format() {
        if (count() == 0) {
            return "n/a";
        }
        if (count() == 1) {
            return String.format(Locale.ROOT, "%.3f", mean());
        }
        double[] i = interval95();
        return String.format(Locale.ROOT, "%.3f [%.3f, %.3f]", mean(), i[0], i[1]);
    }
}
