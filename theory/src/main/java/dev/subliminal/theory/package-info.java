/**
 * The mathematics as code: parameter layouts (PyTorch names), the model contract (forward, VJP,
 * JVP), imitation and trait losses with their output-space M, the one-step transmission check, the
 * property engine (generators, shrinking, replayable seeds), the matrix kernels ({@code linalg}),
 * interval arithmetic and the interval certifier.
 *
 * <p>Depends on Apache Commons RNG only; every other module depends on it.
 */
package dev.subliminal.theory;
