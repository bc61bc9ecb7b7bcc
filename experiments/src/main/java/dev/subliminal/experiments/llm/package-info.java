/**
 * {@code subliminal llm}: the number pipeline ({@link dev.subliminal.experiments.numbers.NumbersPipeline#hosted})
 * through {@link dev.subliminal.lm.backend.Backend}s named in a YAML configuration
 * ({@link dev.subliminal.experiments.llm.LlmConfig}; {@link dev.subliminal.experiments.llm.LlmPipeline} wires
 * the configuration's backends, request store and ledger to it).
 */
package dev.subliminal.experiments.llm;
