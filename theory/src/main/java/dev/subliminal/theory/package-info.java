/**
 * The mathematics as code: parameter vectors laid out as named tensors ({@code param}), the model
 * contract f_θ with its VJP and JVP ({@code model}), imitation losses with their output-space M and
 * trait losses ({@code loss}), the one-step transmission check of the lemma and Theorem 1
 * ({@code check}), interval and rational interval arithmetic with the interval and rational forms
 * that make a model certifiable ({@code interval}), the matrix kernels ({@code linalg}), the property
 * engine with its generators and shrinking ({@code property}) and explicit, splittable seeding
 * ({@code random}).
 *
 * <p>Depends on Apache Commons RNG and Numbers only; every other module depends on it.
 */
package dev.subliminal.theory;
