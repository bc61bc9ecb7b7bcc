/**
 * JMH benchmarks of the kernels, the check and the transformer, run by the scripts beside them in
 * {@code benchmarks/} against PyTorch baselines on the same machine; {@code mvn verify} only
 * compiles them. Depends on the modules it measures and JMH; nothing depends on it.
 */
package dev.subliminal.benchmarks;
