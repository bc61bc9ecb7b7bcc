/**
 * The experiments and the command line ({@code ./subliminal}): options derived from the settings
 * table ({@code cli}), check records and replay lines ({@code check}), certificates
 * ({@code certify}), the MNIST auxiliary-logit experiment ({@code mnist}) and file input and output
 * ({@code io}). Depends on every other module but {@code benchmarks}; nothing depends on it.
 */
package dev.subliminal.experiments;
