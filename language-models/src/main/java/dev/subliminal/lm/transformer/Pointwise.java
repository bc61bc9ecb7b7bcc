package dev.subliminal.lm.transformer;

/**
 * The pointwise nonlinearities of the two layouts, with their derivatives; {@link StrictMath} makes
 * them bit-identical across platforms. A float twin casts these results, nothing else.
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
