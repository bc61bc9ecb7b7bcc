package dev.subliminal.lm.transformer;

import java.util.ArrayList;
import java.util.List;

/**
 * One pre-norm decoder block: x ← x + W_o·attention(rope(W_qkv·norm_1(x))), then
 * x ← x + mlp(norm_2(x)), with mlp = c_proj·gelu(c_fc·) for GPT-2 and down·(silu(gate·) ⊙ up·) for
 * Llama. The parts are kept apart for the decoding cache, which runs attention against stored keys.
 */
final class DecoderLayer {

    final Norm attentionNorm;
    final Linear qkv;
    final Rope rope;
    final CausalAttention attention;
    final Linear attentionOut;
    final Residual<Object[]> mlp;
    final Chain block;

    DecoderLayer(Norm attentionNorm, Linear qkv, Rope rope, CausalAttention attention, Linear attentionOut,
            Chain mlpBranch) {
        this.attentionNorm = attentionNorm;
        this.qkv = qkv;
        this.rope = rope;
        this.attention = attention;
        this.attentionOut = attentionOut;
        this.mlp = new Residual<>(mlpBranch);
        List<Block<?>> attn = new ArrayList<>(List.of(attentionNorm, qkv));
        if (rope != null) {
            attn.add(rope);
        }
        attn.add(attention);
        attn.add(attentionOut);
        this.block = new Chain(List.of(new Residual<>(new Chain(attn)), mlp));
    }
}
