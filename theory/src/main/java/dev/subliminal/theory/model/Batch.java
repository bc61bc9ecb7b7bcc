package dev.subliminal.theory.model;

import java.util.Arrays;

/**
 * A batch of row vectors (inputs x, outputs f_θ(x), or cotangents), stored row-major:
 * element (i, j) is {@code data[i·cols + j]}.
 *
 * @param rows number of vectors (samples)
 * @param cols length of each vector
 * @param data row-major values, of length rows·cols
 */
public record Batch(int rows, int cols, double[] data) {

    public Batch {
        if (rows <= 0 || cols <= 0) {
            throw new IllegalArgumentException("a batch needs at least one row and one column, got "
                    + rows + "×" + cols);
        }
        if (data.length != (long) rows * cols) {
            throw new IllegalArgumentException("batch data has " + data.length + " values, expected "
                    + rows + "×" + cols);
        }
    }

    /** A zero batch. */
    public static Batch zeros(int rows, int cols) {
        return new Batch(rows, cols, new double[Math.multiplyExact(rows, cols)]);
    }

    /** A batch from nested rows, which must all have the same length. */
    public static Batch of(double[][] rows) {
        if (rows.length == 0) {
            throw new IllegalArgumentException("a batch needs at least one row");
        }
        int cols = rows[0].length;
        double[] data = new double[rows.length * cols];
        for (int i = 0; i < rows.length; i++) {
            if (rows[i].length != cols) {
                throw new IllegalArgumentException("row " + i + " has " + rows[i].length
                        + " values, expected " + cols);
            }
            System.arraycopy(rows[i], 0, data, i * cols, cols);
        }
        return new Batch(rows.length, cols, data);
    }

    /** Element (i, j). */
    public double get(int i, int j) {
        return data[i * cols + j];
    }

    /** A copy of row i. */
    public double[] row(int i) {
        return Arrays.copyOfRange(data, i * cols, (i + 1) * cols);
    }

    /** Rows as nested arrays (copies). */
    public double[][] toRows() {
        double[][] out = new double[rows][];
        for (int i = 0; i < rows; i++) {
            out[i] = row(i);
        }
        return out;
    }

    /** Index of the first non-finite value, or -1 if every value is finite. */
    public int firstNonFinite() {
        for (int k = 0; k < data.length; k++) {
            if (!Double.isFinite(data[k])) {
                return k;
            }
        }
        return -1;
    }

    /** Throws, naming the row and column, if any value is NaN or infinite. */
    public Batch requireFinite(String what) {
        int k = firstNonFinite();
        if (k >= 0) {
            throw new IllegalArgumentException(what + " holds " + data[k] + " at row " + (k / cols)
                    + ", column " + (k % cols));
        }
        return this;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Batch b && b.rows == rows && b.cols == cols && Arrays.equals(b.data, data);
    }

    @Override
    public int hashCode() {
        return (rows * 31 + cols) * 31 + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "Batch[" + rows + "×" + cols + "]";
    }
}
