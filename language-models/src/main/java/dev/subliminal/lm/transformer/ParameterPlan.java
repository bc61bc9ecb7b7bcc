package dev.subliminal.lm.transformer;

import dev.subliminal.lm.transformer.TransformerConfig.Layout;
import dev.subliminal.theory.param.ParameterLayout;
import dev.subliminal.theory.param.TensorSpec;
import dev.subliminal.theory.random.Seeds;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.distribution.ZigguratSampler;

/**
 * The parameter tensors of a transformer configuration, in either precision: named and shaped as
 * Hugging Face's state_dict lists them (GPT-2 without the {@code transformer.} prefix, Llama with
 * {@code model.}), in its order, and how each is initialized. The blocks of both precisions
 * ({@code DoubleNetwork}, {@code FloatNetwork}) read θ at the offsets of these names.
 */
final class ParameterPlan {

    /** How a tensor is initialized. */
    private enum Role {
        /** N(0, σ²). */
        NORMAL,
        /** N(0, σ²/(2·layers)): GPT-2's residual projections. */
        RESIDUAL,
        /** All ones: norm weights. */
        ONE,
        /** All zeros: biases. */
        ZERO
    }

    final TransformerConfig config;
    final ParameterLayout layout;
    private final List<Role> roles;
    private final Map<String, Integer> offsets = new HashMap<>();

    ParameterPlan(TransformerConfig c) {
        this.config = c;
        Builder b = new Builder();
        int d = c.hiddenSize();
        int hd = c.headDim();
        int q = c.heads() * hd;
        int kv = c.kvHeads() * hd;
        int inter = c.intermediateSize();
        if (c.layout() == Layout.GPT2) {
            b.add("wte.weight", Role.NORMAL, c.vocabSize(), d);
            b.add("wpe.weight", Role.NORMAL, c.contextLength(), d);
            for (int i = 0; i < c.layers(); i++) {
                String p = "h." + i + ".";
                b.add(p + "ln_1.weight", Role.ONE, d);
                b.add(p + "ln_1.bias", Role.ZERO, d);
                conv1d(b, p + "attn.c_attn", d, 3 * d, Role.NORMAL);
                conv1d(b, p + "attn.c_proj", d, d, Role.RESIDUAL);
                b.add(p + "ln_2.weight", Role.ONE, d);
                b.add(p + "ln_2.bias", Role.ZERO, d);
                conv1d(b, p + "mlp.c_fc", d, inter, Role.NORMAL);
                conv1d(b, p + "mlp.c_proj", inter, d, Role.RESIDUAL);
            }
            b.add("ln_f.weight", Role.ONE, d);
            b.add("ln_f.bias", Role.ZERO, d);
        } else {
            b.add("model.embed_tokens.weight", Role.NORMAL, c.vocabSize(), d);
            for (int i = 0; i < c.layers(); i++) {
                String p = "model.layers." + i + ".";
                for (String name : new String[] {"q_proj", "k_proj", "v_proj"}) {
                    int out = name.equals("q_proj") ? q : kv;
                    b.add(p + "self_attn." + name + ".weight", Role.NORMAL, out, d);
                    if (c.attentionBias()) {
                        b.add(p + "self_attn." + name + ".bias", Role.ZERO, out);
                    }
                }
                b.add(p + "self_attn.o_proj.weight", Role.NORMAL, d, q);
                b.add(p + "mlp.gate_proj.weight", Role.NORMAL, inter, d);
                b.add(p + "mlp.up_proj.weight", Role.NORMAL, inter, d);
                b.add(p + "mlp.down_proj.weight", Role.NORMAL, d, inter);
                b.add(p + "input_layernorm.weight", Role.ONE, d);
                b.add(p + "post_attention_layernorm.weight", Role.ONE, d);
            }
            b.add("model.norm.weight", Role.ONE, d);
            if (!c.tiedEmbeddings()) {
                b.add("lm_head.weight", Role.NORMAL, c.vocabSize(), d);
            }
        }
        layout = b.layout.build();
        roles = List.copyOf(b.roles);
        for (TensorSpec t : layout.tensors()) {
            offsets.put(t.name(), t.offset());
        }
    }

    private static void conv1d(Builder b, String name, int in, int out, Role role) {
        b.add(name + ".weight", role, in, out);
        b.add(name + ".bias", Role.ZERO, out);
    }

    /** The offset of a tensor in θ. */
    int offset(String name) {
        Integer at = offsets.get(name);
        if (at == null) {
            throw new IllegalArgumentException("no tensor named '" + name + "' in the layout");
        }
        return at;
    }

    /** The offset of a tensor in θ, or −1 when the layout has none of that name. */
    int offsetOrNone(String name) {
        return offsets.getOrDefault(name, -1);
    }

    /** The name prefix of decoder layer i: {@code h.i.} (GPT-2) or {@code model.layers.i.} (Llama). */
    String layerPrefix(int i) {
        return config.layout() == Layout.GPT2 ? "h." + i + "." : "model.layers." + i + ".";
    }

    /** The output head's tensor: the token embedding when tied. */
    String headName() {
        if (config.layout() == Layout.GPT2) {
            return "wte.weight";
        }
        return config.tiedEmbeddings() ? "model.embed_tokens.weight" : "lm_head.weight";
    }

    /**
     * θ drawn as Hugging Face initializes these models, with standard deviation σ (their
     * {@code initializer_range}, 0.02): weights and embeddings N(0, σ²), GPT-2's residual projections
     * ({@code attn.c_proj}, {@code mlp.c_proj}) N(0, σ²/(2·layers)), biases 0, norm weights 1. Tensors are
     * filled in storage order, row-major, from the seed's "transformer-init" stream.
     */
    double[] initialize(long seed, double std) {
        double[] theta = new double[layout.size()];
        fill(seed, std, (k, v) -> theta[k] = v);
        return theta;
    }

    /** {@link #initialize} with every entry rounded to float (nearest), never holding the double θ. */
    float[] initializeFloats(long seed, double std) {
        float[] theta = new float[layout.size()];
        fill(seed, std, (k, v) -> theta[k] = (float) v);
        return theta;
    }

    /** Where {@link #fill} puts entry k of θ. */
    @FunctionalInterface
    private interface Entries {
        void set(int k, double value);
    }

    private void fill(long seed, double std, Entries out) {
        if (!(std >= 0) || !Double.isFinite(std)) {
            throw new IllegalArgumentException("initialization σ = " + std + " must be finite and ≥ 0");
        }
        UniformRandomProvider rng = Seeds.stream(seed, "transformer-init");
        ZigguratSampler.NormalizedGaussian gauss = ZigguratSampler.NormalizedGaussian.of(rng);
        double residual = std / Math.sqrt(2.0 * config.layers());
        for (int i = 0; i < roles.size(); i++) {
            TensorSpec t = layout.tensors().get(i);
            Role role = roles.get(i);
            int end = t.offset() + t.size();
            for (int k = t.offset(); k < end; k++) {
                out.set(k, switch (role) {
                    case NORMAL -> std * gauss.sample();
                    case RESIDUAL -> residual * gauss.sample();
                    case ONE -> 1;
                    case ZERO -> 0;
                });
            }
        }
    }

    /** Values of activations the backward pass keeps per token (an estimate used to size row chunks). */
    long activationsPerToken(int sequenceLength) {
        return activationsPerToken(sequenceLength, config.layers());
    }

    /**
     * Values of activations per token of a pass that keeps {@code layers} layers' worth: every layer for
     * the backward pass, about two for a forward or tangent pass (a layer's activations, or one layer's
     * and their tangents).
     */
    long activationsPerToken(int sequenceLength, int layers) {
        TransformerConfig c = config;
        long qkv = (long) (c.heads() + 2 * c.kvHeads()) * c.headDim();
        long mlp = c.layout() == Layout.GPT2 ? 2L * c.intermediateSize() : 3L * c.intermediateSize();
        long perLayer = 8L * c.hiddenSize() + 2 * qkv + (long) c.heads() * sequenceLength
                + (long) c.heads() * c.headDim() + mlp;
        return layers * perLayer + 4L * c.hiddenSize();
    }

    /** Appends tensors and records how each is initialized. */
    private static final class Builder {
        final ParameterLayout.Builder layout = ParameterLayout.builder();
        final List<Role> roles = new ArrayList<>();

        void add(String name, Role role, int... shape) {
            layout.add(name, shape);
            roles.add(role);
        }
    }
}
