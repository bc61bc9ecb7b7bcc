package dev.subliminal.lm.transformer;

/** Conversions between the precisions at the model contract's boundary. */
final class Floats {

    private Floats() {
    }

    /** Each entry rounded to float (nearest, ties to even). */
    static float[] round(double[] v) {
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (float) v[i];
        }
        return out;
    }

    /** Each entry widened to double (exact). */
    static double[] widen(float[] v) {
        double[] out = new double[v.length];
        widen(v, 0, out, 0, v.length);
        return out;
    }

    /** dst[at + i] = src[from + i] for i < n, widened exactly. */
    static void widen(float[] src, int from, double[] dst, int at, int n) {
        for (int i = 0; i < n; i++) {
            dst[at + i] = src[from + i];
        }
    }

    /** dst[at + i] = (float) src[from + i] for i < n. */
    static void round(double[] src, int from, float[] dst, int at, int n) {
        for (int i = 0; i < n; i++) {
            dst[at + i] = (float) src[from + i];
        }
    }
}
