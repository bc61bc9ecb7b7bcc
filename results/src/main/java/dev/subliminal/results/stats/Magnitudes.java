package dev.subliminal.results.stats;

/**
 * The geometric mean 10^(Σ log10 x / n), minimum and maximum of positive values, for quantities
 * that span orders of magnitude (errors, certified ε*). Zero, negative and NaN values are not
 * counted; {@link #nonPositive()} counts the zeros and negatives.
 */
public final class Magnitudes {

    private long count;
    private long nonPositive;
    private double sumLog10;
    private double min = Double.POSITIVE_INFINITY;
    private double max = Double.NEGATIVE_INFINITY;

    /** Adds {@code x}. */
    public void add(double x) {
        if (Double.isNaN(x)) {
            return;
        }
        if (!(x > 0) || Double.isInfinite(x)) {
            nonPositive++;
            return;
        }
        count++;
        sumLog10 += Math.log10(x);
        min = Math.min(min, x);
        max = Math.max(max, x);
    }

    /** Adds everything counted by {@code other}. */
    public void addAll(Magnitudes other) {
        count += other.count;
        nonPositive += other.nonPositive;
        sumLog10 += other.sumLog10;
        min = Math.min(min, other.min);
        max = Math.max(max, other.max);
    }

    /** Number of positive values. */
    public long count() {
        return count;
    }

    /** Number of zero, negative or infinite values. */
    public long nonPositive() {
        return nonPositive;
    }

    /** Geometric mean of the positive values; NaN if none. */
    public double geometricMean() {
        return count == 0 ? Double.NaN : Math.pow(10, sumLog10 / count);
    }

    /** Smallest positive value; NaN if none. */
    public double min() {
        return count == 0 ? Double.NaN : min;
    }

    /** Largest positive value; NaN if none. */
    public double max() {
        return count == 0 ? Double.NaN : max;
    }
}
