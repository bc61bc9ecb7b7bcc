/**
 * Byte-level BPE tokenizers from {@code tokenizer.json} or tiktoken rank files
 * ({@link dev.subliminal.lm.tokenizer.Tokenizer}), the word-level tokenizer of the number experiment
 * ({@link dev.subliminal.lm.tokenizer.WordTokenizer}), both behind
 * {@link dev.subliminal.lm.tokenizer.TokenCodec}, and chat formats
 * ({@link dev.subliminal.lm.tokenizer.ChatTemplate}).
 */
package dev.subliminal.lm.tokenizer;
