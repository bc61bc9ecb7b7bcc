package dev.subliminal.lm.checkpoint;

import dev.subliminal.lm.transformer.TransformerConfig;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The {@code model_type} values of Hugging Face's {@code config.json} that map onto a
 * {@link TransformerConfig}: GPT-2 on {@link TransformerConfig.Layout#GPT2}; Llama, Qwen2 and
 * Mistral on {@link TransformerConfig.Layout#LLAMA} (Qwen2 with q/k/v biases, the other two without).
 */
public enum ModelType {
    GPT2("gpt2", "GPT2LMHeadModel", TransformerConfig.Layout.GPT2),
    LLAMA("llama", "LlamaForCausalLM", TransformerConfig.Layout.LLAMA),
    QWEN2("qwen2", "Qwen2ForCausalLM", TransformerConfig.Layout.LLAMA),
    MISTRAL("mistral", "MistralForCausalLM", TransformerConfig.Layout.LLAMA);

    private final String id;
    private final String architecture;
    private final TransformerConfig.Layout layout;

    ModelType(String id, String architecture, TransformerConfig.Layout layout) {
        this.id = id;
        this.architecture = architecture;
        this.layout = layout;
    }

    /** The {@code model_type} string. */
    public String id() {
        return id;
    }

    /** The class name Hugging Face lists under {@code architectures}. */
    public String architecture() {
        return architecture;
    }

    /** The block layout of this family. */
    public TransformerConfig.Layout layout() {
        return layout;
    }

    /** The type with this {@code model_type}, or {@code null}. */
    public static ModelType find(String id) {
        for (ModelType t : values()) {
            if (t.id.equals(id)) {
                return t;
            }
        }
        return null;
    }

    /** The accepted {@code model_type} strings, for error messages. */
    public static String known() {
        return Arrays.stream(values()).map(ModelType::id).collect(Collectors.joining(", "));
    }

    /** The natural type of a configuration: gpt2; qwen2 when q/k/v carry biases; else llama. */
    public static ModelType of(TransformerConfig c) {
        if (c.layout() == TransformerConfig.Layout.GPT2) {
            return GPT2;
        }
        return c.attentionBias() ? QWEN2 : LLAMA;
    }

    /** Throws unless a configuration can be written under this type. */
    public void requireCompatible(TransformerConfig c) {
        if (c.layout() != layout) {
            throw new IllegalArgumentException("model_type " + id + " needs the " + layout + " layout, the configuration has "
                    + c.layout());
        }
        if (this == QWEN2 && !c.attentionBias()) {
            throw new IllegalArgumentException("model_type qwen2 always has q/k/v biases; use llama or mistral without them");
        }
        if ((this == LLAMA || this == MISTRAL) && c.attentionBias()) {
            throw new IllegalArgumentException("model_type " + id + " has no q/k/v-only biases; use qwen2");
        }
    }
}
