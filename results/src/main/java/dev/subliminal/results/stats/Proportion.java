package dev.subliminal.results.stats;

import java.util.Locale;
import org.apache.commons.statistics.inference.AlternativeHypothesis;
import org.apache.commons.statistics.inference.BinomialTest;
import org.apache.commons.statistics.interval.BinomialConfidenceInterval;
import org.apache.commons.statistics.interval.Interval;

/**
 * A count of successes k among trials n, kept as records are read, with the Wilson score interval
 * (p̂ + z²/2n ± z·√(p̂(1−p̂)/n + z²/4n²)) / (1 + z²/n) and the one-sided exact binomial test, both
 * from Commons Statistics ({@link BinomialConfidenceInterval#WILSON_SCORE}, {@link BinomialTest}).
 */
public final class Proportion {

    private long successes;
    private long trials;

    /** No trials yet. */
    public Proportion() {
    }

    /** k successes among n trials. */
    public static Proportion of(long successes, long trials) {
        if (trials < 0 || successes < 0 || successes > trials) {
            throw new IllegalArgumentException("need 0 ≤ successes ≤ trials, got " + successes + " of " + trials);
        }
        Proportion p = new Proportion();
        p.successes = successes;
        p.trials = trials;
        return p;
    }

    /** Counts one trial. */
    public void add(boolean success) {
        trials++;
        if (success) {
            successes++;
        }
    }

    /** Adds the counts of {@code other}. */
    public void addAll(Proportion other) {
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

    /** The two-sided Wilson interval {lower, upper} at confidence 1 − alpha; [0, 1] without trials. */
    public double[] wilson(double alpha) {
        if (trials == 0) {
            return new double[] {0, 1};
        }
        Interval i = BinomialConfidenceInterval.WILSON_SCORE.fromErrorRate(count(trials), count(successes), alpha);
        return new double[] {i.getLowerBound(), i.getUpperBound()};
    }

    /** The 95% Wilson interval. */
    public double[] wilson95() {
        return wilson(0.05);
    }

    /**
     * The p-value of the one-sided exact binomial test of H0: rate ≤ p0 against rate > p0, that is
     * P(K ≥ k) for K ∼ Binomial(n, p0); NaN when there are no trials.
     */
    public double pValueAbove(double p0) {
        if (trials == 0) {
            return Double.NaN;
        }
        return BinomialTest.withDefaults().with(AlternativeHypothesis.GREATER_THAN)
                .test(count(trials), count(successes), p0).getPValue();
    }

    /** {@code 0.820 [0.760, 0.870]}: the rate and its 95% Wilson interval; {@code n/a} without trials. */
    public String format() {
        if (trials == 0) {
            return "n/a";
        }
        double[] w = wilson95();
        return String.format(Locale.ROOT, "%.3f [%.3f, %.3f]", rate(), w[0], w[1]);
    }

    private static int count(long n) {
        if (n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("a proportion over " + n + " trials exceeds the interval's range");
        }
        return (int) n;
    }

    @Override
    public String toString() {
        return successes + "/" + trials;
    }
}
