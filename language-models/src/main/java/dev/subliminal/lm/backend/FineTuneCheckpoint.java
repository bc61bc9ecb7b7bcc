package dev.subliminal.lm.backend;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A model a fine-tuning job kept along the way, as the OpenAI API lists them
 * ({@code GET /fine_tuning/jobs/ID/checkpoints}): its name and the optimizer step it was taken at.
 *
 * @param model the checkpoint's model name ({@code fine_tuned_model_checkpoint})
 * @param step the step ({@code step_number})
 */
public record FineTuneCheckpoint(String model, int step) {

    /** The API's checkpoint object. */
    public ObjectNode toJson(String jobId) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("object", "fine_tuning.job.checkpoint");
        o.put("id", "ftckpt-" + jobId.substring(jobId.indexOf('-') + 1) + "-" + step);
        o.put("fine_tuned_model_checkpoint", model);
        o.put("step_number", step);
        o.putObject("metrics");
        o.put("fine_tuning_job_id", jobId);
        return o;
    }

    /** Reads the API's checkpoint object. */
    public static FineTuneCheckpoint fromJson(JsonNode o) {
        if (!o.path("fine_tuned_model_checkpoint").isTextual() || !o.path("step_number").canConvertToInt()) {
            throw new ApiException(502, "bad_response", null, null, "the backend's answer is not a fine-tuning checkpoint");
        }
        return new FineTuneCheckpoint(o.get("fine_tuned_model_checkpoint").asText(), o.get("step_number").asInt());
    }
}
