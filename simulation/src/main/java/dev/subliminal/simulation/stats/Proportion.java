package dev.subliminal.simulation.stats;

import org.apache.commons.statistics.inference.AlternativeHypothesis;
import org.apache.commons.statistics.inference.BinomialTest;
import org.apache.commons.statistics.interval.BinomialConfidenceInterval;
import org.apache.commons.statistics.interval.Interval;

/**
 * A count of successes among trials, with its Wilson score interval
 * (p̂ + z²/2n ± z·√(p̂(1−p̂)/n + z²/4n²)) / (1 + z²/n) from Commons Statistics.
 *
 * @param successes k
 * @param trials n
 */
public record Proportion(int successes, int trials) {

    public Proportion {
        if (trials < 0 || successes < 0 || successes > trials) {
            throw new IllegalArgumentException("need 0 ≤ successes ≤ trials, got " + successes + " of " + trials);
        }
    }

    /** k/n; NaN when there are no trials. */
    public double rate() {
        return trials == 0 ? Double.NaN : (double) successes / trials;
    }

    /** The two-sided Wilson interval at confidence 1 − alpha; [0, 1] when there are no trials. */
    public double[] wilson(double alpha) {
        if (trials == 0) {
            return new double[] {0, 1};
        }
        Interval i = BinomialConfidenceInterval.WILSON_SCORE.fromErrorRate(trials, successes, alpha);
        return new double[] {i.getLowerBound(), i.getUpperBound()};
    }

    /** The 95% Wilson interval. */
    public double[] wilson95() {
        return wilson(0.05);
    }

    /**
     * The p-value of the one-sided exact binomial test of H0: rate ≤ p0 against rate > p0, that is
     * P(K ≥ k) for K ∼ Binomial(n, p0) (Commons Statistics); NaN when there are no trials.
     */
    public double pValueAbove(double p0) {
        if (trials == 0) {
            return Double.NaN;
        }
        return BinomialTest.withDefaults().with(AlternativeHypothesis.GREATER_THAN).test(trials, successes, p0)
                .getPValue();
    }

    /** {@code 0.82 [0.76, 0.87]}. */
    public String format() {
        if (trials == 0) {
            return "n/a";
        }
        double[] w = wilson95();
        return String.format(java.util.Locale.ROOT, "%.3f [%.3f, %.3f]", rate(), w[0], w[1]);
    }
}
