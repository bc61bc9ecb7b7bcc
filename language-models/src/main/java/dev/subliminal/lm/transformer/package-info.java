/**
 * Decoder-only transformers (GPT-2 and Llama layouts) on the model contract. {@link
 * dev.subliminal.lm.transformer.Transformer} is f_θ for sequences of a fixed length T (token ids in,
 * T·V next-token logits out, trailing −1 padding), with forward, VJP and JVP built from blocks that
 * each have the three passes: embedding, LayerNorm/RMSNorm, fused projections, RoPE, causal
 * grouped-query attention, GELU (tanh) and SwiGLU. {@link dev.subliminal.lm.transformer.LanguageModel}
 * adds decoding with a key/value cache, seeded sampling and per-token log-probabilities. Tensors
 * carry Hugging Face's names, shapes and state_dict order.
 */
package dev.subliminal.lm.transformer;
