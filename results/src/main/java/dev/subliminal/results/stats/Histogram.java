package dev.subliminal.results.stats;

/**
 * Counts of values in {@code bins} equal bins over [lo, hi]: value x goes to bin
 * ⌊(x − lo)/w⌋ with w = (hi − lo)/bins, hi itself to the last bin. Values outside [lo, hi] are
 * counted in the nearest end bin and in {@link #clamped()}; NaN is not counted.
 */
public final class Histogram {

    private final double lo;
    private final double hi;
    private final long[] counts;
    private long clamped;

    /** An empty histogram. */
    public Histogram(double lo, double hi, int bins) {
        if (!(lo < hi) || bins < 1) {
            throw new IllegalArgumentException("need lo < hi and at least one bin, got [" + lo + ", " + hi + "] in "
                    + bins + " bins");
        }
        this.lo = lo;
        this.hi = hi;
        this.counts = new long[bins];
    }

    /** Counts {@code x}. */
    public void add(double x) {
        if (Double.isNaN(x)) {
            return;
        }
        int b = (int) Math.floor((x - lo) / (hi - lo) * counts.length);
        if (x < lo || x > hi) {
            clamped++;
        }
        counts[Math.max(0, Math.min(counts.length - 1, b))]++;
    }

    /** Adds the counts of a histogram with the same bins. */
    public void addAll(Histogram other) {
        if (other.lo != lo || other.hi != hi || other.counts.length != counts.length) {
            throw new IllegalArgumentException("histograms have different bins");
        }
        for (int b = 0; b < counts.length; b++) {
            counts[b] += other.counts[b];
        }
        clamped += other.clamped;
    }

    /** Number of bins. */
    public int bins() {
        return counts.length;
    }

    /** Lower edge of bin {@code b} (b = bins gives hi). */
    public double edge(int b) {
        return b == counts.length ? hi : lo + (hi - lo) * b / counts.length;
    }

    /** Count of bin {@code b}. */
    public long count(int b) {
        return counts[b];
    }

    /** All values counted. */
    public long total() {
        long t = 0;
        for (long c : counts) {
            t += c;
        }
        return t;
    }

    /** Values outside [lo, hi], counted in an end bin. */
    public long clamped() {
        return clamped;
    }

    /** The bins from the first to the last non-empty one (all bins if empty), with their counts. */
    public Histogram trimmed() {
        int first = Math.max(0, firstNonEmpty());
        int last = lastNonEmpty() < 0 ? counts.length - 1 : lastNonEmpty();
        Histogram t = new Histogram(edge(first), edge(last + 1), last - first + 1);
        System.arraycopy(counts, first, t.counts, 0, t.counts.length);
        t.clamped = clamped;
        return t;
    }

    /** Index of the first non-empty bin, or −1 if empty. */
    public int firstNonEmpty() {
        for (int b = 0; b < counts.length; b++) {
            if (counts[b] > 0) {
                return b;
            }
        }
        return -1;
    }

    /** Index of the last non-empty bin, or −1 if empty. */
    public int lastNonEmpty() {
        for (int b = counts.length - 1; b >= 0; b--) {
            if (counts[b] > 0) {
                return b;
            }
        }
        return -1;
    }
}
