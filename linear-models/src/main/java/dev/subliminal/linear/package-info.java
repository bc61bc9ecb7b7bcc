/**
 * Linear models: the batched dense-layer kernels, the affine model (softmax regression is it with
 * cross-entropy), its exact G and its exact rational proof, and its model family.
 *
 * <p>Depends on {@code theory} and {@code spec} (and Commons Numbers for exact fractions).
 */
package dev.subliminal.linear;
