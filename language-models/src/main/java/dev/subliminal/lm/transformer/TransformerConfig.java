package dev.subliminal.lm.transformer;

/**
 * The shape of a decoder-only transformer f_θ that maps a token sequence (t_1, ..., t_T) to the
 * next-token logits at every position, z_i ∈ R^V for i = 1..T.
 *
 * <p>Two layouts cover most open-weight checkpoints:
 * <ul>
 *   <li>{@link Layout#GPT2}: learned positions, pre-LayerNorm blocks, GELU (tanh approximation),
 *       fused QKV projection with biases, tied input/output embeddings;</li>
 *   <li>{@link Layout#LLAMA}: RMSNorm, rotary position embeddings (base {@code ropeTheta}), SwiGLU
 *       MLP, grouped-query attention ({@code kvHeads} ≤ {@code heads}), optional q/k/v biases
 *       (Qwen2) and an optional untied output head.</li>
 * </ul>
 *
 * <p>Parameter tensors carry Hugging Face's names and shapes, so that a checkpoint loads by name:
 * GPT-2 without the {@code transformer.} prefix ({@code wte.weight} [V, d], {@code wpe.weight}
 * [context, d], {@code h.0.attn.c_attn.weight} [d, 3d] as Conv1D stores it, ...), Llama with the
 * {@code model.} prefix ({@code model.embed_tokens.weight} [V, d],
 * {@code model.layers.0.self_attn.q_proj.weight} [heads·headDim, d] as Linear stores it, ...,
 * {@code lm_head.weight} [V, d] when untied).
 *
 * @param layout GPT-2 or Llama
 * @param vocabSize V
 * @param contextLength the longest sequence (GPT-2: size of the position table)
 * @param hiddenSize d, the residual width
 * @param layers number of blocks
 * @param heads number of query heads
 * @param kvHeads number of key/value heads (GPT-2: equal to {@code heads})
 * @param headDim width of one head (usually d / heads)
 * @param intermediateSize width of the MLP's hidden layer (GPT-2: usually 4d)
 * @param normEps ε of LayerNorm or RMSNorm
 * @param ropeTheta base of the rotary frequencies (Llama; ignored for GPT-2)
 * @param tiedEmbeddings whether the output head is the input embedding (always true for GPT-2)
 * @param attentionBias whether q, k and v projections carry biases (GPT-2: always; Qwen2: yes)
 */
public record TransformerConfig(Layout layout, int vocabSize, int contextLength, int hiddenSize, int layers,
        int heads, int kvHeads, int headDim, int intermediateSize, double normEps, double ropeTheta,
        boolean tiedEmbeddings, boolean attentionBias) {

    /** The two block layouts. */
    public enum Layout {
        /** GPT-2: learned positions, LayerNorm, GELU (tanh), fused QKV, tied embeddings. */
        GPT2,
        /** Llama (also Qwen2, Mistral, SmolLM): RMSNorm, RoPE, SwiGLU, grouped-query attention. */
        LLAMA
    }

    public TransformerConfig {
        if (layout == null) {
            throw new IllegalArgumentException("a transformer needs a layout (gpt2 or llama)");
        }
        positive("vocabSize", vocabSize);
        positive("contextLength", contextLength);
        positive("hiddenSize", hiddenSize);
        positive("layers", layers);
        positive("heads", heads);
        positive("kvHeads", kvHeads);
        positive("headDim", headDim);
        positive("intermediateSize", intermediateSize);
        if (heads % kvHeads != 0) {
            throw new IllegalArgumentException("heads = " + heads + " must be a multiple of kvHeads = " + kvHeads);
        }
        if (!(normEps > 0) || !Double.isFinite(normEps)) {
            throw new IllegalArgumentException("normEps = " + normEps + " must be finite and > 0");
        }
        if (layout == Layout.GPT2) {
            if (kvHeads != heads) {
                throw new IllegalArgumentException("GPT-2 has as many key/value heads as heads, got kvHeads = "
                        + kvHeads + " and heads = " + heads);
            }
            if (heads * headDim != hiddenSize) {
                throw new IllegalArgumentException("GPT-2 needs heads·headDim = hiddenSize, got " + heads + "·"
                        + headDim + " ≠ " + hiddenSize);
            }
            if (!tiedEmbeddings || !attentionBias) {
                throw new IllegalArgumentException("GPT-2 always ties its embeddings and has attention biases");
            }
        } else {
            if (!(ropeTheta > 0) || !Double.isFinite(ropeTheta)) {
                throw new IllegalArgumentException("ropeTheta = " + ropeTheta + " must be finite and > 0");
            }
            if (headDim % 2 != 0) {
                throw new IllegalArgumentException("rotary embeddings need an even headDim, got " + headDim);
            }
        }
    }

    /** The named tensors of θ for this shape, in Hugging Face's state_dict order. */
    public dev.subliminal.theory.param.ParameterLayout parameterLayout() {
        return new ParameterPlan(this).layout;
    }

    private static void positive(String name, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " = " + value + " must be ≥ 1");
        }
    }
}
