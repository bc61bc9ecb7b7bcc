package dev.subliminal.lm.transformer;

import dev.subliminal.theory.math.Fdlibm;

/**
 * The pointwise nonlinearities of the two layouts, with their derivatives; {@link StrictMath} makes
 * them bit-identical across platforms. A float twin casts these results, nothing else. GELU and a
 * shifted exponential also come in array forms for either precision, the same bits element by
 * element, with their tanh and exp on whole vectors ({@link Fdlibm}: StrictMath's bits, without a
 * native call per element); GELU's forms run the same 64-bit code on blocks for both precisions,
 * floats widened into it.
 */
final class Pointwise {

    /** √(2/π). */
    private static final double GELU_C = 0.7978845608028654;
    private static final double GELU_A = 0.044715;

    private Pointwise() {
    }

    /** GELU, tanh approximation: 0.5·x·(1 + tanh(√(2/π)(x + 0.044715x³))). */
    static double gelu(double x) {
        return 0.5 * x * (1 + StrictMath.tanh(GELU_C * (x + GELU_A * x * x * x)));
    }

    /** d gelu/dx = 0.5(1 + t) + 0.5x(1 − t²)·√(2/π)(1 + 3·0.044715x²), t = tanh(√(2/π)(x + 0.044715x³)). */
    static double geluDerivative(double x) {
        double t = StrictMath.tanh(GELU_C * (x + GELU_A * x * x * x));
        return 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * GELU_C * (1 + 3 * GELU_A * x * x);
    }

    /** Entries converted to 64 bits at a time: two scratch arrays of this many stay in L1. */
    private static final int BLOCK = 256;

    /** y[i] = (float) gelu(x[i]) for from ≤ i < to; x and y may be the same array. */
    static void gelu(float[] x, float[] y, int from, int to) {
        inBlocks(from, to, Pointwise::gelu, (b, w, n) -> widen(x, b, w, n), (b, w, n) -> narrow(w, y, b, n));
    }

    /** y[i] = gelu(x[i]) for from ≤ i < to; x and y may be the same array. */
    static void gelu(double[] x, double[] y, int from, int to) {
        inBlocks(from, to, Pointwise::gelu, (b, w, n) -> System.arraycopy(x, b, w, 0, n),
                (b, w, n) -> System.arraycopy(w, 0, y, b, n));
    }

    /**
     * out[i] = (float) gelu′(x[i]) · d[i] for from ≤ i < to, or out[i] += that product when
     * {@code accumulate} (the product and the sum in float, as a float twin computes them).
     */
    static void geluSlope(float[] x, float[] d, float[] out, int from, int to, boolean accumulate) {
        inBlocks(from, to, Pointwise::geluDerivative, (b, w, n) -> widen(x, b, w, n), (b, w, n) -> {
            for (int i = 0; i < n; i++) {
                float s = (float) w[i] * d[b + i];
                out[b + i] = accumulate ? out[b + i] + s : s;
            }
        });
    }

    /** out[i] = gelu′(x[i]) · d[i] for from ≤ i < to, or out[i] += that product when {@code accumulate}. */
    static void geluSlope(double[] x, double[] d, double[] out, int from, int to, boolean accumulate) {
        inBlocks(from, to, Pointwise::geluDerivative, (b, w, n) -> System.arraycopy(x, b, w, 0, n), (b, w, n) -> {
            for (int i = 0; i < n; i++) {
                double s = w[i] * d[b + i];
                out[b + i] = accumulate ? out[b + i] + s : s;
            }
        });
    }

    /** Moves the entries b, …, b + n − 1 of a caller's array (either precision) into or out of w. */
    @FunctionalInterface
    private interface BlockStep {
        void apply(int b, double[] w, int n);
    }

    /** Replaces w[i] by f(w[i]) for i < n, with t as scratch of the same length. */
    @FunctionalInterface
    private interface BlockFunction {
        void apply(double[] w, double[] t, int n);
    }

    /**
     * The one loop of every array form: [from, to) in blocks of {@link #BLOCK}, each loaded into 64-bit
     * scratch w, replaced there by f (gelu, gelu′ or exp) and stored; load, f and store run once a
     * block, so whatever their calls cost is spread over its entries.
     */
    private static void inBlocks(int from, int to, BlockFunction f, BlockStep load, BlockStep store) {
        double[] w = new double[Math.min(BLOCK, to - from)];
        double[] t = new double[w.length];
        for (int b = from; b < to; b += BLOCK) {
            int n = Math.min(BLOCK, to - b);
            load.apply(b, w, n);
            f.apply(w, t, n);
            store.apply(b, w, n);
        }
    }

    /** y[b + i] = (float) w[i] for i < n. */
    private static void narrow(double[] w, float[] y, int b, int n) {
        for (int i = 0; i < n; i++) {
            y[b + i] = (float) w[i];
        }
    }

    /** w[i] = x[b + i] for i < n, widened to 64 bits. */
    private static void widen(float[] x, int b, double[] w, int n) {
        for (int i = 0; i < n; i++) {
            w[i] = x[b + i];
        }
    }

    /** w[i] ← gelu(w[i]) for i < n, the operations of {@link #gelu(double)}; t is scratch. */
    private static void gelu(double[] w, double[] t, int n) {
        tanhArgument(w, t, n);
        for (int i = 0; i < n; i++) {
            w[i] = 0.5 * w[i] * (1 + t[i]);
        }
    }

    /** w[i] ← gelu′(w[i]) for i < n, the operations of {@link #geluDerivative(double)}; t is scratch. */
    private static void geluDerivative(double[] w, double[] t, int n) {
        tanhArgument(w, t, n);
        for (int i = 0; i < n; i++) {
            double x = w[i];
            double th = t[i];
            w[i] = 0.5 * (1 + th) + 0.5 * x * (1 - th * th) * GELU_C * (1 + 3 * GELU_A * x * x);
        }
    }

    /** t[i] = tanh(√(2/π)(x + 0.044715x³)) for x = w[i], i < n. */
    private static void tanhArgument(double[] w, double[] t, int n) {
        for (int i = 0; i < n; i++) {
            double x = w[i];
            t[i] = GELU_C * (x + GELU_A * x * x * x);
        }
        Fdlibm.tanh(t, t, 0, n);
    }

    /**
     * x[i] = (float) StrictMath.exp(x[i] − shift) for from ≤ i < to, the difference taken in float (as
     * a float twin's scalar expression does), the exponentials on whole vectors ({@link Fdlibm#exp(double[],
     * double[], int, int)}: StrictMath's bits).
     */
    static void expShifted(float[] x, float shift, int from, int to) {
        inBlocks(from, to, (w, t, n) -> Fdlibm.exp(w, w, 0, n), (b, w, n) -> {
            for (int i = 0; i < n; i++) {
                w[i] = x[b + i] - shift;
            }
        }, (b, w, n) -> narrow(w, x, b, n));
    }

    /** x[i] = StrictMath.exp(x[i] − shift) for from ≤ i < to, on whole vectors. */
    static void expShifted(double[] x, double shift, int from, int to) {
        for (int i = from; i < to; i++) {
            x[i] -= shift;
        }
        Fdlibm.exp(x, x, from, to);
    }

    /** The logistic σ(x) = 1/(1 + e^−x). */
    static double sigmoid(double x) {
        return 1 / (1 + StrictMath.exp(-x));
    }

    /** SiLU: x·σ(x). */
    static double silu(double x) {
        return x * sigmoid(x);
    }

    /** d silu/dx = σ(x)(1 + x(1 − σ(x))). */
    static double siluDerivative(double x) {
        double s = sigmoid(x);
        return s * (1 + x * (1 - s));
    }
}
