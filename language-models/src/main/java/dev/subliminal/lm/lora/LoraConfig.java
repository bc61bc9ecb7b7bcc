package dev.subliminal.lm.lora;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.subliminal.lm.io.FormatException;
import dev.subliminal.lm.io.StrictJson;
import java.util.ArrayList;
import java.util.List;

/**
 * Which projections get LoRA adapters and how large they are: rank r, scale numerator α (the update is
 * (α/r)·B·A) and the target projections, named as PEFT's {@code target_modules} names them: a target
 * {@code t} selects every weight {@code X.weight} of a decoder layer whose module name X is t or ends
 * with {@code .t} (so {@code c_proj} selects GPT-2's {@code attn.c_proj} and {@code mlp.c_proj},
 * {@code attn.c_proj} only the first; Llama's are {@code q_proj}, {@code k_proj}, {@code v_proj},
 * {@code o_proj}, {@code gate_proj}, {@code up_proj}, {@code down_proj}).
 *
 * @param rank r ≥ 1
 * @param alpha α > 0
 * @param targets the target projections, at least one
 */
public record LoraConfig(int rank, double alpha, List<String> targets) {

    public LoraConfig {
        if (rank < 1) {
            throw new IllegalArgumentException("LoRA rank r = " + rank + " must be ≥ 1");
        }
        if (!(alpha > 0) || !Double.isFinite(alpha)) {
            throw new IllegalArgumentException("LoRA alpha α = " + alpha + " must be finite and > 0");
        }
        if (targets == null || targets.isEmpty()) {
            throw new IllegalArgumentException("LoRA needs at least one target projection (e.g. c_attn or q_proj)");
        }
        for (String t : targets) {
            if (t == null || t.isBlank() || t.startsWith(".") || t.endsWith(".")) {
                throw new IllegalArgumentException("LoRA target '" + t + "' is not a module name such as q_proj");
            }
        }
        targets = List.copyOf(targets);
    }

    /** s = α/r, the scale of B·A. */
    public double scale() {
        return alpha / rank;
    }

    /**
     * The configuration as PEFT's {@code adapter_config.json} writes it ({@code peft_type} LORA,
     * {@code r}, {@code lora_alpha}, {@code target_modules}, {@code fan_in_fan_out} true for GPT-2's
     * Conv1D weights, {@code bias} none, {@code lora_dropout} 0).
     */
    public ObjectNode toJson(boolean fanInFanOut) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("peft_type", "LORA");
        o.put("r", rank);
        o.put("lora_alpha", alpha);
        ArrayNode t = o.putArray("target_modules");
        targets.forEach(t::add);
        o.put("fan_in_fan_out", fanInFanOut);
        o.put("bias", "none");
        o.put("lora_dropout", 0.0);
        return o;
    }

    /** Reads {@link #toJson}'s form; an error names the source and the field. */
    public static LoraConfig fromJson(JsonNode node, String source) {
        JsonNode o = StrictJson.object(node, source, "lora");
        if (!"LORA".equals(StrictJson.string(o.get("peft_type"), source, "peft_type"))) {
            throw new FormatException(source, "peft_type", "is not LORA");
        }
        int r = StrictJson.intValue(o.get("r"), source, "r", 1, Integer.MAX_VALUE);
        double alpha = StrictJson.number(o.get("lora_alpha"), source, "lora_alpha");
        JsonNode t = o.get("target_modules");
        if (t == null || !t.isArray()) {
            throw new FormatException(source, "target_modules", "must be an array of module names");
        }
        List<String> targets = new ArrayList<>();
        for (int i = 0; i < t.size(); i++) {
            targets.add(StrictJson.string(t.get(i), source, "target_modules[" + i + "]"));
        }
        try {
            return new LoraConfig(r, alpha, targets);
        } catch (IllegalArgumentException e) {
            throw new FormatException(source, "lora", e.getMessage());
        }
    }
}
