package dev.subliminal.lm.transformer;

/**
 * The angles of rotary position embeddings, in 64-bit arithmetic for either precision: for head width
 * hd, half-width h = hd/2, inv_freq_i = base^(−2i/hd) and a = p·inv_freq_i at positions p < P,
 * {@code cos[p·h + i] = cos a} and {@code sin[p·h + i] = sin a} (StrictMath). A float block rounds
 * each entry once.
 *
 * @param headDim hd
 * @param positions P, the positions tabulated
 * @param cos P·h cosines
 * @param sin P·h sines
 */
record RotaryTable(int headDim, int positions, double[] cos, double[] sin) {

    /** The table for head width hd (even), frequency base θ and P positions. */
    static RotaryTable of(int headDim, double base, int positions) {
        int h = headDim / 2;
        double[] cos = new double[Math.multiplyExact(positions, h)];
        double[] sin = new double[cos.length];
        for (int i = 0; i < h; i++) {
            double invFreq = 1.0 / StrictMath.pow(base, (2.0 * i) / headDim);
            for (int p = 0; p < positions; p++) {
                double a = p * invFreq;
                cos[p * h + i] = StrictMath.cos(a);
                sin[p * h + i] = StrictMath.sin(a);
            }
        }
        return new RotaryTable(headDim, positions, cos, sin);
    }
}
