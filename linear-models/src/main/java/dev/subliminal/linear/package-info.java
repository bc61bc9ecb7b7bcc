/**
 * Linear models: the batched dense-layer kernels the MLP shares ({@code DoubleDense}, with its generated float twin), the affine model
 * f(x) = W x + b (softmax regression is it with cross-entropy), its exact G, the interval and
 * rational forms of dense stacks, and the {@code linear} model family.
 *
 * <p>Depends on {@code theory} and {@code spec} (and Commons Numbers for exact fractions).
 */
package dev.subliminal.linear;
