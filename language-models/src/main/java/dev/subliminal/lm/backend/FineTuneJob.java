package dev.subliminal.lm.backend;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The state of a fine-tuning job as the OpenAI API reports it.
 *
 * @param id the job's id
 * @param model the base model
 * @param status validating_files, queued, running, succeeded, failed or cancelled
 * @param fineTunedModel the new model's name once the job succeeded, else null
 * @param trainedTokens tokens trained on (billed), or null before the end
 * @param error why the job failed, or null
 */
public record FineTuneJob(String id, String model, String status, String fineTunedModel, Long trainedTokens,
        String error) {

    /** Whether the job has ended (succeeded, failed or cancelled). */
    public boolean finished() {
        return "succeeded".equals(status) || "failed".equals(status) || "cancelled".equals(status);
    }

    /** Reads the API's job object. */
    public static FineTuneJob fromJson(JsonNode o) {
        if (o == null || !o.path("id").isTextual() || !o.path("status").isTextual()) {
            throw new ApiException(502, "bad_response", null, null, "the backend's answer is not a fine-tuning job");
        }
        JsonNode e = o.path("error");
        String error = e.isObject() && e.path("message").isTextual() ? e.get("message").asText() : null;
        return new FineTuneJob(o.get("id").asText(), o.path("model").asText(null), o.get("status").asText(),
                o.path("fine_tuned_model").isTextual() ? o.get("fine_tuned_model").asText() : null,
                o.path("trained_tokens").isNumber() ? o.get("trained_tokens").asLong() : null, error);
    }
}
