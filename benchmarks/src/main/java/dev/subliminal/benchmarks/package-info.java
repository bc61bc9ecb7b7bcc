/**
 * JMH benchmarks of the kernels, the check and the transformer, run by the scripts beside them in
 * {@code benchmarks/} against PyTorch baselines on the same machine. Depends on the modules it
 * measures; nothing depends on it, and {@code mvn verify} only compiles it.
 */
package dev.subliminal.benchmarks;
