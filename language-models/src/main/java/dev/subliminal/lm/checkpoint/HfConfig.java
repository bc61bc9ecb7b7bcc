package dev.subliminal.lm.checkpoint;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.subliminal.lm.io.AtomicOutput;
import dev.subliminal.lm.io.FormatException;
import dev.subliminal.lm.io.StrictJson;
import dev.subliminal.lm.safetensors.DType;
import dev.subliminal.lm.transformer.TransformerConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A Hugging Face {@code config.json} as a {@link TransformerConfig}, and back.
 *
 * <p>GPT-2 ({@code model_type} gpt2): d = {@code n_embd}, layers = {@code n_layer}, heads =
 * {@code n_head}, context = {@code n_positions}, MLP width = {@code n_inner} (null: 4d), ε =
 * {@code layer_norm_epsilon} (default 1e-5), V = {@code vocab_size}; {@code activation_function}
 * must be gelu_new (the tanh approximation). Llama, Qwen2, Mistral: d = {@code hidden_size},
 * layers = {@code num_hidden_layers}, heads = {@code num_attention_heads}, kvHeads =
 * {@code num_key_value_heads} (default heads), headDim = {@code head_dim} (default d/heads), MLP
 * width = {@code intermediate_size}, ε = {@code rms_norm_eps} (default 1e-6), RoPE base =
 * {@code rope_theta} (default 10000, or {@code rope_parameters.rope_theta}), context =
 * {@code max_position_embeddings}, tied = {@code tie_word_embeddings} (default false),
 * {@code hidden_act} must be silu; Qwen2 has q/k/v biases, Llama's {@code attention_bias} (which
 * would also bias o_proj) must be false.
 *
 * <p>Settings that would change the mathematics are refused by name rather than ignored:
 * {@code rope_scaling} other than the default, a partial rotary factor, sliding-window attention
 * (Qwen2's {@code use_sliding_window}, a Mistral {@code sliding_window} shorter than the context),
 * {@code mlp_bias}, GPT-2's {@code scale_attn_by_inverse_layer_idx}, unscaled attention or cross
 * attention. Other fields (token ids, dropout, {@code torch_dtype}, ...) do not change f_θ and are
 * ignored on reading.
 *
 * @param modelType the {@code model_type}
 * @param config the transformer's shape
 */
public record HfConfig(ModelType modelType, TransformerConfig config) {

    private static final long MAX_BYTES = 16L << 20;

    public HfConfig {
        modelType.requireCompatible(config);
    }

    /** The configuration under its natural {@code model_type} ({@link ModelType#of}). */
    public static HfConfig of(TransformerConfig config) {
        return new HfConfig(ModelType.of(config), config);
    }

    /** Reads and maps a {@code config.json}. */
    public static HfConfig read(Path file) {
        return parse(StrictJson.readBounded(file, MAX_BYTES), FormatException.name(file));
    }

    /** Parses the bytes of a {@code config.json}; {@code source} names it in errors (fuzzing entry point). */
    public static HfConfig parse(byte[] json, String source) {
        Fields f = new Fields(StrictJson.object(StrictJson.parse(json, source), source, null), source);
        String id = f.string("model_type", null);
        if (id == null) {
            throw new FormatException(source, "model_type", "is missing; expected one of " + ModelType.known());
        }
        ModelType type = ModelType.find(id);
        if (type == null) {
            throw new FormatException(source, "model_type", "unknown model_type '" + id + "'; expected one of "
                    + ModelType.known());
        }
        try {
            return new HfConfig(type, type == ModelType.GPT2 ? gpt2(f) : llama(f, type));
        } catch (FormatException e) {
            throw e;
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw new FormatException(source, null, "describes an invalid transformer: " + e.getMessage(), e);
        }
    }

    private static TransformerConfig gpt2(Fields f) {
        String act = f.string("activation_function", "gelu_new");
        if (!act.equals("gelu_new")) {
            throw f.refuse("activation_function", "is '" + act + "'; only gelu_new (GELU, tanh approximation) is supported");
        }
        if (!f.bool("scale_attn_weights", true)) {
            throw f.refuse("scale_attn_weights", "is false; unscaled attention is not supported");
        }
        if (f.bool("scale_attn_by_inverse_layer_idx", false)) {
            throw f.refuse("scale_attn_by_inverse_layer_idx", "is true; it changes the attention scores and is not supported");
        }
        if (f.bool("add_cross_attention", false)) {
            throw f.refuse("add_cross_attention", "is true; cross attention is not supported");
        }
        if (!f.bool("tie_word_embeddings", true)) {
            throw f.refuse("tie_word_embeddings", "is false; GPT-2 always ties its output head to wte");
        }
        int d = f.positive("n_embd");
        int heads = f.positive("n_head");
        if (d % heads != 0) {
            throw f.refuse("n_head", "= " + heads + " does not divide n_embd = " + d);
        }
        int inner = f.has("n_inner") ? f.positive("n_inner") : Math.multiplyExact(4, d);
        return new TransformerConfig(TransformerConfig.Layout.GPT2, f.positive("vocab_size"), f.positive("n_positions"),
                d, f.positive("n_layer"), heads, heads, d / heads, inner, f.eps("layer_norm_epsilon", 1e-5), 10000.0,
                true, true);
    }

    private static TransformerConfig llama(Fields f, ModelType type) {
        String act = f.string("hidden_act", "silu");
        if (!act.equals("silu")) {
            throw f.refuse("hidden_act", "is '" + act + "'; only silu (SwiGLU) is supported");
        }
        double ropeTheta = f.number("rope_theta", 10000.0);
        if (f.has("rope_parameters")) {
            Fields rp = f.object("rope_parameters");
            requireDefaultRope(rp, f, "rope_parameters");
            if (rp.has("rope_theta")) {
                double inner = rp.number("rope_theta", ropeTheta);
                if (f.has("rope_theta") && inner != ropeTheta) {
                    throw f.refuse("rope_parameters", "rope_theta = " + inner + " disagrees with rope_theta = " + ropeTheta);
                }
                ropeTheta = inner;
            }
        }
        if (f.has("rope_scaling")) {
            requireDefaultRope(f.object("rope_scaling"), f, "rope_scaling");
        }
        if (f.has("partial_rotary_factor") && f.number("partial_rotary_factor", 1) != 1) {
            throw f.refuse("partial_rotary_factor", "is not 1; partial rotary embeddings are not supported");
        }
        if (f.bool("mlp_bias", false)) {
            throw f.refuse("mlp_bias", "is true; MLP biases are not supported");
        }
        int d = f.positive("hidden_size");
        int heads = f.positive("num_attention_heads");
        int kvHeads = f.has("num_key_value_heads") ? f.positive("num_key_value_heads") : heads;
        int headDim;
        if (f.has("head_dim")) {
            headDim = f.positive("head_dim");
        } else {
            if (d % heads != 0) {
                throw f.refuse("num_attention_heads", "= " + heads + " does not divide hidden_size = " + d
                        + " and there is no head_dim");
            }
            headDim = d / heads;
        }
        int context = f.positive("max_position_embeddings");
        boolean bias;
        switch (type) {
            case QWEN2 -> {
                bias = true;
                if (f.bool("use_sliding_window", false)) {
                    throw f.refuse("use_sliding_window", "is true; sliding-window attention is not supported");
                }
                if (f.has("layer_types")) {
                    JsonNode lt = StrictJson.array(f.node.get("layer_types"), f.source, "layer_types");
                    for (JsonNode t : lt) {
                        if (!"full_attention".equals(t.asText())) {
                            throw f.refuse("layer_types", "holds '" + t.asText() + "'; only full_attention is supported");
                        }
                    }
                }
            }
            case MISTRAL -> {
                bias = false;
                if (f.has("sliding_window")) {
                    int window = f.positive("sliding_window");
                    if (window < context) {
                        throw f.refuse("sliding_window", "= " + window + " is shorter than max_position_embeddings = "
                                + context + "; sliding-window attention is not supported");
                    }
                }
            }
            default -> {
                bias = f.bool("attention_bias", false);
                if (bias) {
                    throw f.refuse("attention_bias", "is true; Llama's attention_bias also biases o_proj, which is not"
                            + " supported (Qwen2-style q/k/v biases are: model_type qwen2)");
                }
            }
        }
        return new TransformerConfig(TransformerConfig.Layout.LLAMA, f.positive("vocab_size"), context, d,
                f.positive("num_hidden_layers"), heads, kvHeads, headDim, f.positive("intermediate_size"),
                f.eps("rms_norm_eps", 1e-6), ropeTheta, f.bool("tie_word_embeddings", false), bias);
    }

    private static void requireDefaultRope(Fields rope, Fields top, String field) {
        String kind = rope.has("rope_type") ? rope.string("rope_type", null) : rope.string("type", "default");
        if (!"default".equals(kind)) {
            throw top.refuse(field, "asks for rope_type '" + kind + "'; only default rotary embeddings are supported");
        }
        for (String key : new String[] {"factor", "partial_rotary_factor"}) {
            if (rope.has(key) && rope.number(key, 1) != 1) {
                throw top.refuse(field, "has " + key + " = " + rope.node.get(key) + "; rotary scaling is not supported");
            }
        }
    }

    /** The JSON Hugging Face would write for this configuration, with weights stored as {@code dtype}. */
    public ObjectNode toJson(DType dtype) {
        TransformerConfig c = config;
        ObjectNode o = StrictJson.MAPPER.createObjectNode();
        o.putArray("architectures").add(modelType.architecture());
        o.put("model_type", modelType.id());
        if (modelType == ModelType.GPT2) {
            o.put("activation_function", "gelu_new");
            o.put("layer_norm_epsilon", c.normEps());
            o.put("n_embd", c.hiddenSize());
            o.put("n_head", c.heads());
            o.put("n_inner", c.intermediateSize());
            o.put("n_layer", c.layers());
            o.put("n_positions", c.contextLength());
            o.put("n_ctx", c.contextLength());
            o.put("scale_attn_weights", true);
            o.put("tie_word_embeddings", true);
        } else {
            o.put("hidden_act", "silu");
            o.put("hidden_size", c.hiddenSize());
            o.put("head_dim", c.headDim());
            o.put("intermediate_size", c.intermediateSize());
            o.put("max_position_embeddings", c.contextLength());
            o.put("num_attention_heads", c.heads());
            o.put("num_hidden_layers", c.layers());
            o.put("num_key_value_heads", c.kvHeads());
            o.put("rms_norm_eps", c.normEps());
            o.putNull("rope_scaling");
            o.put("rope_theta", c.ropeTheta());
            o.put("tie_word_embeddings", c.tiedEmbeddings());
            switch (modelType) {
                case LLAMA -> {
                    o.put("attention_bias", false);
                    o.put("mlp_bias", false);
                }
                case QWEN2 -> o.put("use_sliding_window", false);
                case MISTRAL -> o.putNull("sliding_window");
                default -> throw new IllegalStateException(modelType.name());
            }
        }
        o.put("torch_dtype", dtype.torchName());
        o.put("vocab_size", c.vocabSize());
        return o;
    }

    /** Writes {@code config.json} atomically; an existing file is an error unless {@code replace}. */
    public void write(Path file, DType dtype, boolean replace) {
        byte[] bytes;
        try {
            bytes = (StrictJson.MAPPER.writer(new DefaultPrettyPrinter()).writeValueAsString(toJson(dtype)) + "\n")
                    .getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        AtomicOutput.write(file, replace, tmp -> Files.write(tmp, bytes));
    }

    /** Typed access to one JSON object's fields; JSON null counts as absent, as Hugging Face reads it. */
    private static final class Fields {
        final JsonNode node;
        final String source;

        Fields(JsonNode node, String source) {
            this.node = node;
            this.source = source;
        }

        boolean has(String key) {
            JsonNode v = node.get(key);
            return v != null && !v.isNull();
        }

        int positive(String key) {
            if (!has(key)) {
                throw new FormatException(source, key, "is missing");
            }
            return StrictJson.intValue(node.get(key), source, key, 1, Integer.MAX_VALUE);
        }

        double number(String key, double fallback) {
            return has(key) ? StrictJson.number(node.get(key), source, key) : fallback;
        }

        double eps(String key, double fallback) {
            double v = number(key, fallback);
            if (!(v > 0)) {
                throw new FormatException(source, key, "= " + v + " must be > 0");
            }
            return v;
        }

        boolean bool(String key, boolean fallback) {
            return has(key) ? StrictJson.bool(node.get(key), source, key) : fallback;
        }

        String string(String key, String fallback) {
            return has(key) ? StrictJson.string(node.get(key), source, key) : fallback;
        }

        Fields object(String key) {
            return new Fields(StrictJson.object(node.get(key), source, key), source + " (" + key + ")");
        }

        FormatException refuse(String key, String problem) {
            return new FormatException(source, key, problem);
        }
    }
}
