/**
 * {@code subliminal llm}: the number-sequence experiment (teacher, data, student, evaluation)
 * through {@link dev.subliminal.lm.backend.Backend}s named in a YAML configuration
 * ({@link dev.subliminal.experiments.llm.LlmConfig}, {@link dev.subliminal.experiments.llm.LlmPipeline}).
 */
package dev.subliminal.experiments.llm;
