/**
 * Byte-level BPE tokenizers from {@code tokenizer.json} or tiktoken rank files
 * ({@link dev.subliminal.lm.tokenizer.Tokenizer}) and chat formats
 * ({@link dev.subliminal.lm.tokenizer.ChatTemplate}).
 */
package dev.subliminal.lm.tokenizer;
