/**
 * The command line ({@code ./subliminal}) and the experiments: options derived from the settings
 * table ({@code cli}), check records ({@code check}), the MNIST auxiliary-logit experiment
 * ({@code mnist}), the number-sequence experiment ({@code numbers}) and the input files they read
 * ({@code io}). Every output follows the results layer's rules
 * ({@code dev.subliminal.results.io.Outputs}).
 *
 * <p>Depends on every other module but {@code benchmarks}, on picocli, and on EJML (the eigenvalues and
 * singular values of the MNIST spectra, {@code mnist.Spectra}); nothing depends on it.
 */
package dev.subliminal.experiments;
