package dev.subliminal.theory.loss;

import dev.subliminal.theory.math.Fdlibm;

/**
 * σ(z/T) and log σ(z/T) over selected entries of a row, shifted by the maximum so that neither
 * overflows. {@link StrictMath} keeps results bit-identical across platforms; σ and log σ take their
 * exponentials on whole vectors ({@link Fdlibm#exp(double[], double[], int, int)}, StrictMath's bits),
 * σ of a whole row at once, log σ a block at a time.
 */
public final class Softmax {

    /** Exponentials of log σ taken at a time, in a scratch array that stays in L1. */
    private static final int BLOCK = 256;

    private Softmax() {
    }

    /**
     * Writes log σ(z/T)_k for k = 0..m−1 into {@code out}, where the softmax runs over
     * z[offset + index[k]] (or z[offset + k] when {@code index} is null).
     */
    public static void logSoftmax(double[] z, int offset, int[] index, int m, double temperature, double[] out) {
        double max = scaled(z, offset, index, m, temperature, out);
        double[] e = new double[Math.min(BLOCK, m)];
        double sum = 0;
        for (int b = 0; b < m; b += BLOCK) {
            int n = Math.min(BLOCK, m - b);
            for (int k = 0; k < n; k++) {
                e[k] = out[b + k] - max;
            }
            Fdlibm.exp(e, e, 0, n);
            for (int k = 0; k < n; k++) {
                sum += e[k];
            }
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
