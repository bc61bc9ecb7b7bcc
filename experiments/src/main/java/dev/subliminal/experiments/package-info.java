/**
 * The command line ({@code ./subliminal}) and the experiments: check records and certificates, the
 * MNIST auxiliary-logit experiment (bundled digits, float32 training), certify batches, and the
 * input files they read. Every output follows the results layer's rules
 * ({@code dev.subliminal.results.io.Outputs}).
 *
 * <p>Depends on every other module: {@code simulation}, {@code language-models}, {@code reports},
 * {@code results}, {@code spec}, {@code linear-models}, {@code theory}; and on picocli.
 */
package dev.subliminal.experiments;
