package dev.subliminal.reports.stats;

import java.util.Locale;
import org.apache.commons.statistics.interval.BinomialConfidenceInterval;
import org.apache.commons.statistics.interval.Interval;

/**
 * A running count of successes k among trials n, with the Wilson score interval
 * (p̂ + z²/2n ± z·√(p̂(1−p̂)/n + z²/4n²)) / (1 + z²/n) from Commons Statistics
 * ({@link BinomialConfidenceInterval#WILSON_SCORE}).
 */
public final class Rate {

    private long successes;
    private long trials;

    /** Counts one trial. */
    public void add(boolean success) {
        trials++;
        if (success) {
            successes++;
        }
    }

    /** Adds the counts of {@code other}. */
    public void addAll(Rate other) {
        successes += other.successes;
        trials += other.trials;
    }

    /** k. */
    public long successes() {
        return successes;
    }

    /** n. */
    public long trials() {
        return trials;
    }

    /** k/n; NaN when there are no trials. */
    public double rate() {
        return trials == 0 ? Double.NaN : (double) successes / trials;
    }

    /** The two-sided 95% Wilson interval {lower, upper}; [0, 1] when there are no trials. */
    public double[] wilson95() {
        if (trials == 0) {
            return new double[] {0, 1};
        }
        if (trials > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("a rate over " + trials + " trials exceeds the interval's range");
        }
        Interval i = BinomialConfidenceInterval.WILSON_SCORE.fromErrorRate((int) trials, (int) successes, 0.05);
        return new double[] {i.getLowerBound(), i.getUpperBound()};
    }

    /** {@code 0.820 [0.760, 0.870]}, or {@code n/a} without trials. */
    public String format() {
        if (trials == 0) {
            return "n/a";
        }
        double[] w = wilson95();
        return String.format(Locale.ROOT, "%.3f [%.3f, %.3f]", rate(), w[0], w[1]);
    }
}
