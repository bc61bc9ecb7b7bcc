package dev.subliminal.lm.checkpoint;

import dev.subliminal.lm.transformer.TransformerConfig;
import dev.subliminal.theory.param.ParameterLayout;

/**
 * Hugging Face tensor names and shapes for a configuration, written out here from the model
 * classes (GPT2LMHeadModel without the transformer. prefix, Conv1D weights [in, out];
 * LlamaForCausalLM with the model. prefix, Linear weights [out, in]) so that the checkpoint tests
 * do not depend on the transformer's own layout code.
 */
final class TestLayouts {

    private TestLayouts() {
    }

    static ParameterLayout of(TransformerConfig c) {
        ParameterLayout.Builder b = ParameterLayout.builder();
        int d = c.hiddenSize();
        if (c.layout() == TransformerConfig.Layout.GPT2) {
            b.add("wte.weight", c.vocabSize(), d).add("wpe.weight", c.contextLength(), d);
            for (int i = 0; i < c.layers(); i++) {
                String p = "h." + i + ".";
                b.add(p + "ln_1.weight", d).add(p + "ln_1.bias", d)
                        .add(p + "attn.c_attn.weight", d, 3 * d).add(p + "attn.c_attn.bias", 3 * d)
                        .add(p + "attn.c_proj.weight", d, d).add(p + "attn.c_proj.bias", d)
                        .add(p + "ln_2.weight", d).add(p + "ln_2.bias", d)
                        .add(p + "mlp.c_fc.weight", d, c.intermediateSize()).add(p + "mlp.c_fc.bias", c.intermediateSize())
                        .add(p + "mlp.c_proj.weight", c.intermediateSize(), d).add(p + "mlp.c_proj.bias", d);
            }
            return b.add("ln_f.weight", d).add("ln_f.bias", d).build();
        }
        int q = c.heads() * c.headDim();
        int kv = c.kvHeads() * c.headDim();
        b.add("model.embed_tokens.weight", c.vocabSize(), d);
        for (int i = 0; i < c.layers(); i++) {
            String p = "model.layers." + i + ".";
            b.add(p + "input_layernorm.weight", d).add(p + "self_attn.q_proj.weight", q, d);
            if (c.attentionBias()) {
                b.add(p + "self_attn.q_proj.bias", q);
            }
            b.add(p + "self_attn.k_proj.weight", kv, d);
            if (c.attentionBias()) {
                b.add(p + "self_attn.k_proj.bias", kv);
            }
            b.add(p + "self_attn.v_proj.weight", kv, d);
            if (c.attentionBias()) {
                b.add(p + "self_attn.v_proj.bias", kv);
            }
            b.add(p + "self_attn.o_proj.weight", d, q).add(p + "post_attention_layernorm.weight", d)
                    .add(p + "mlp.gate_proj.weight", c.intermediateSize(), d)
                    .add(p + "mlp.up_proj.weight", c.intermediateSize(), d)
                    .add(p + "mlp.down_proj.weight", d, c.intermediateSize());
        }
        b.add("model.norm.weight", d);
        if (!c.tiedEmbeddings()) {
            b.add("lm_head.weight", c.vocabSize(), d);
        }
        return b.build();
    }
}
