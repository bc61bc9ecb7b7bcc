/**
 * Language models for the transmission check: decoder-only transformers (GPT-2 and Llama layouts)
 * on the {@code Model} contract, safetensors checkpoints, Hugging Face configurations and byte-level
 * BPE tokenizers. Depends on {@code theory} and {@code simulation}; {@code experiments} depends on it.
 */
package dev.subliminal.lm;
