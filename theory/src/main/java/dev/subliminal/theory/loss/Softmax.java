package dev.subliminal.theory.loss;

import dev.subliminal.theory.math.Fdlibm;

/**
 * σ(z/T) and log σ(z/T) over selected entries of a row, shifted by the maximum so that neither
 * overflows. {@link StrictMath} keeps results bit-identical across platforms; σ takes its
 * exponentials of a whole row at once ({@link Fdlibm#exp(double[], double[], int, int)}, StrictMath's
 * bits on whole vectors).
 */
public final class Softmax {

    private Softmax() {
    }

    /**
     * Writes log σ(z/T)_k for k = 0..m−1 into {@code out}, where the softmax runs over
     * z[offset + index[k]] (or z[offset + k] when {@code index} is null).
     */
    public static void logSoftmax(double[] z, int offset, int[] index, int m, double temperature, double[] out) {
        double max = scaled(z, offset, index, m, temperature, out);
        double sum = 0;
        for (int k = 0; k < m; k++) {
            sum += StrictMath.exp(out[k] - max);
        }
        double logSum = max + StrictMath.log(sum);
        for (int k = 0; k < m; k++) {
            out[k] -= logSum;
        }
    }

    /** Like {@link #logSoftmax} but writes the probabilities σ(z/T)_k. */
    public static void softmax(double[] z, int offset, int[] index, int m, double temperature, double[] out) {
        double max = scaled(z, offset, index, m, temperature, out);
        for (int k = 0; k < m; k++) {
            out[k] -= max;
        }
        Fdlibm.exp(out, out, 0, m);
        double sum = 0;
        for (int k = 0; k < m; k++) {
            sum += out[k];
        }
        for (int k = 0; k < m; k++) {
            out[k] /= sum;
        }
    }

    /** Writes the selected z_k/T into {@code out} and returns their maximum. */
    private static double scaled(double[] z, int offset, int[] index, int m, double temperature, double[] out) {
        double max = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < m; k++) {
            out[k] = z[offset + (index == null ? k : index[k])] / temperature;
            max = Math.max(max, out[k]);
        }
        return max;
    }
}
