package dev.subliminal.lm.transformer;

import dev.subliminal.theory.linalg.Gemm;

/**
 * The matrix products' context of the transformer's blocks: all processors. Results do not depend
 * on it (every product sums in one fixed order).
 */
final class Compute {

    /** The context every block's products run on. */
    static final Gemm GEMM = Gemm.defaults();

    private Compute() {
    }
}
