package dev.subliminal.results.stats;

import java.util.Arrays;

/** The sample median, ignoring NaN values. */
public final class Medians {

    private Medians() {
    }

    /** Median of the finite or infinite (non-NaN) values; NaN if there are none. */
    public static double of(double[] values) {
        double[] v = Arrays.stream(values).filter(x -> !Double.isNaN(x)).sorted().toArray();
        if (v.length == 0) {
            return Double.NaN;
        }
        int m = v.length / 2;
        return v.length % 2 == 1 ? v[m] : 0.5 * (v[m - 1] + v[m]);
    }
}
