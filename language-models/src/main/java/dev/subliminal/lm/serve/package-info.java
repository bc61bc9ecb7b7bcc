/**
 * An OpenAI-compatible HTTP server for the toolkit's own models
 * ({@link dev.subliminal.lm.serve.OpenAiServer}): models, chat completions (with streaming), files and
 * fine-tuning jobs in the API's shapes, so unmodified OpenAI clients work. See docs/llm.md.
 */
package dev.subliminal.lm.serve;
