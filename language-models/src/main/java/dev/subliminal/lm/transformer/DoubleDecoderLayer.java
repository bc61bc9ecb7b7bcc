package dev.subliminal.lm.transformer;

import dev.subliminal.theory.linalg.Gemm;
import java.util.ArrayList;
import java.util.List;

/**
 * One pre-norm decoder block: x ← x + W_o·attention(rope(W_qkv·norm_1(x))), then
 * x ← x + mlp(norm_2(x)), with mlp = c_proj·gelu(c_fc·) for GPT-2 and down·(silu(gate·) ⊙ up·) for
 * Llama. The parts are kept apart for the decoding cache, which runs attention against stored keys.
 * Written in double; {@code FloatDecoderLayer} is generated.
 */
final class DoubleDecoderLayer {

    final DoubleBlock<?> attentionNorm;
    final DoubleBlock<?> qkv;
    final DoubleRope rope;
    final DoubleAttention attention;
    final DoubleBlock<?> attentionOut;
    final DoubleBlock<?> mlp;
    final DoubleChain block;

    DoubleDecoderLayer(Gemm gemm, DoubleBlock<?> attentionNorm, DoubleBlock<?> qkv, DoubleRope rope, DoubleAttention attention,
            DoubleBlock<?> attentionOut, DoubleChain mlpBranch) {
        this.attentionNorm = attentionNorm;
        this.qkv = qkv;
        this.rope = rope;
        this.attention = attention;
        this.attentionOut = attentionOut;
        this.mlp = new DoubleResidual<>(gemm, mlpBranch);
        List<DoubleBlock<?>> attn = new ArrayList<>(List.of(attentionNorm, qkv));
        if (rope != null) {
            attn.add(rope);
        }
        attn.add(attention);
        attn.add(attentionOut);
        this.block = new DoubleChain(List.of(new DoubleResidual<>(gemm, new DoubleChain(attn)), mlp));
    }
}
