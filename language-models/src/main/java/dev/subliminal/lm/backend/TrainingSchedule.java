package dev.subliminal.lm.backend;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.subliminal.lm.lora.LoraConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * Training knobs of the toolkit's own backend that the OpenAI API does not have: an exact number of
 * optimizer steps (instead of epochs), the steps whose weights become checkpoint models (as the API's
 * {@code ckpt-step-N} models; step 1 gives the student's first step), and LoRA adapters on a frozen
 * base. Sent under {@code "subliminal"} in the job's body, only when set; the in-process backend and
 * {@code serve} honour it.
 *
 * @param steps the optimizer steps, ≥ 1
 * @param checkpointSteps increasing steps in [1, steps] whose weights are kept as models
 * @param lora the adapters, or null to train every weight
 */
public record TrainingSchedule(int steps, List<Integer> checkpointSteps, LoraConfig lora) {

    public TrainingSchedule {
        if (steps < 1) {
            throw ApiException.badRequest("subliminal.steps", "steps = " + steps + " must be at least 1");
        }
        checkpointSteps = List.copyOf(checkpointSteps);
        int last = 0;
        for (int s : checkpointSteps) {
            if (s <= last || s > steps) {
                throw ApiException.badRequest("subliminal.checkpoint_steps", "checkpoint steps " + checkpointSteps
                        + " must increase within [1, " + steps + "]");
            }
            last = s;
        }
    }

    /** {@code {"steps": …, "checkpoint_steps": […], "lora": {…}}}. */
    public ObjectNode toJson() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("steps", steps);
        ArrayNode c = o.putArray("checkpoint_steps");
        checkpointSteps.forEach(c::add);
        if (lora != null) {
            o.set("lora", lora.toJson(true));
        }
        return o;
    }

    /** Reads {@link #toJson}; a missing node is null. */
    public static TrainingSchedule fromJson(JsonNode o) {
        if (o == null || o.isMissingNode() || o.isNull()) {
            return null;
        }
        if (!o.isObject() || !o.path("steps").canConvertToInt() || !o.path("steps").isIntegralNumber()) {
            throw ApiException.badRequest("subliminal.steps", "subliminal needs an integer steps");
        }
        List<Integer> c = new ArrayList<>();
        for (JsonNode s : o.path("checkpoint_steps")) {
            if (!s.isIntegralNumber() || !s.canConvertToInt()) {
                throw ApiException.badRequest("subliminal.checkpoint_steps", "checkpoint_steps must list integers, got " + s);
            }
            c.add(s.asInt());
        }
        LoraConfig lora;
        try {
            lora = o.hasNonNull("lora") ? LoraConfig.fromJson(o.get("lora"), "subliminal.lora") : null;
        } catch (RuntimeException e) {
            throw ApiException.badRequest("subliminal.lora", e.getMessage());
        }
        return new TrainingSchedule(o.get("steps").asInt(), c, lora);
    }
}
