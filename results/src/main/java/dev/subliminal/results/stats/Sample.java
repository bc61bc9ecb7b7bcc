package dev.subliminal.results.stats;

import java.util.Arrays;

/**
 * The values of one quantity as records are read (8 bytes each, in reading order), for the
 * statistics that need them all: medians and two-pass means.
 */
public final class Sample {

    private double[] values = new double[16];
    private int size;

    /** Adds a value (NaN included; the statistics skip it). */
    public void add(double x) {
        if (size == values.length) {
            values = Arrays.copyOf(values, Math.max(16, values.length + (values.length >> 1)));
        }
        values[size++] = x;
    }

    /** The number of values added. */
    public int size() {
        return size;
    }

    /** The values, in the order they were added. */
    public double[] toArray() {
        return Arrays.copyOf(values, size);
    }

    /** The mean and its 95% t-interval of the non-NaN values. */
    public MeanInterval mean95() {
        return MeanInterval.of95(toArray());
    }

    /** The median of the non-NaN values. */
    public double median() {
        return Medians.of(toArray());
    }
}
