/**
 * Language models as the number-sequence pipeline uses them, wherever they run: the
 * {@link dev.subliminal.lm.backend.Backend} interface (chat sampling with n, temperature, top-p, max
 * tokens, seed and log-probabilities; training-file upload; fine-tuning jobs), the toolkit's own
 * transformers in-process ({@link dev.subliminal.lm.backend.InProcessBackend}), any
 * OpenAI-compatible endpoint ({@link dev.subliminal.lm.backend.HttpBackend}: bounded concurrency,
 * retries with seeded-jitter backoff honouring Retry-After, timeouts, errors naming the setting to
 * fix), and answers kept on disk ({@link dev.subliminal.lm.backend.StoredBackend} over a
 * {@link dev.subliminal.lm.backend.RequestStore} keyed by the request's canonical JSON) so that a
 * rerun pays nothing twice, with a {@link dev.subliminal.lm.backend.Ledger} of tokens and estimated
 * cost from a {@link dev.subliminal.lm.backend.PriceTable}. See docs/llm.md.
 */
package dev.subliminal.lm.backend;
