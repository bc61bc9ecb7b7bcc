/**
 * JMH benchmarks of the check and the matrix kernels, with PyTorch baselines beside them; never run
 * by {@code mvn verify}. Depends on {@code simulation} (and what it depends on) and JMH.
 */
package dev.subliminal.benchmarks;
