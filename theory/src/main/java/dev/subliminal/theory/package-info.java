/**
 * The mathematics as code, with no dependency but Apache Commons RNG and Numbers: parameter vectors
 * laid out as named tensors ({@code param}), the model contract f_θ with its VJP and JVP
 * ({@code model}), imitation losses with their output-space M and trait losses ({@code loss}), the
 * one-step transmission check of the lemma and Theorem 1 ({@code check}), interval arithmetic and the
 * interval forms that make a model certifiable ({@code interval}, {@code certify}), the matrix kernels
 * ({@code linalg}), the property engine with its generators and shrinking ({@code property}) and
 * explicit, splittable seeding ({@code random}). Every other module depends on it; it depends on
 * none of them.
 */
package dev.subliminal.theory;
