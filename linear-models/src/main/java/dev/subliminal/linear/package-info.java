/**
 * Affine models f(x) = W x + b and the dense-layer kernels the MLP shares ({@code Dense}), with the
 * closed forms of the linear case (G built explicitly, the exact rational proof), their interval form
 * ({@code IntervalDense}) and the {@code linear} model family. Depends on {@code theory} and
 * {@code spec}.
 */
package dev.subliminal.linear;
