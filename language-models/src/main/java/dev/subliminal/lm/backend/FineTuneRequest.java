package dev.subliminal.lm.backend;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A supervised fine-tuning job as the OpenAI API takes it: a base model, an uploaded training file
 * (JSON Lines of {@code {"messages": [...]}} conversations whose last message is the assistant's
 * answer, the only part trained on), a suffix for the new model's name and the hyperparameters
 * (null fields are left to the backend).
 *
 * @param model the base model
 * @param trainingFile the id of the uploaded file
 * @param suffix up to 64 characters added to the tuned model's name, or null
 * @param epochs passes over the file, or null
 * @param batchSize examples per step, or null
 * @param learningRateMultiplier the factor on the backend's base learning rate, or null
 * @param seed the seed of the job (shuffling, initialisation of adapters), or null
 * @param schedule the toolkit's own exact steps, checkpoints and adapters (sent only when not null;
 *     with it, epochs are ignored)
 */
public record FineTuneRequest(String model, String trainingFile, String suffix, Integer epochs, Integer batchSize,
        Double learningRateMultiplier, Long seed, TrainingSchedule schedule) {

    /** A job as the OpenAI API takes it (no schedule). */
    public FineTuneRequest(String model, String trainingFile, String suffix, Integer epochs, Integer batchSize,
            Double learningRateMultiplier, Long seed) {
        this(model, trainingFile, suffix, epochs, batchSize, learningRateMultiplier, seed, null);
    }

    public FineTuneRequest {
        if (model == null || model.isBlank()) {
            throw ApiException.badRequest("model", "a fine-tuning job needs a base model");
        }
        if (trainingFile == null || trainingFile.isBlank()) {
            throw ApiException.badRequest("training_file", "a fine-tuning job needs a training_file id");
        }
        if (suffix != null && suffix.length() > 64) {
            throw ApiException.badRequest("suffix", "suffix has " + suffix.length() + " characters; at most 64");
        }
        if (epochs != null && (epochs < 1 || epochs > 50)) {
            throw ApiException.badRequest("n_epochs", "n_epochs = " + epochs + " must be in [1, 50]");
        }
        if (batchSize != null && (batchSize < 1 || batchSize > 256)) {
            throw ApiException.badRequest("batch_size", "batch_size = " + batchSize + " must be in [1, 256]");
        }
        if (learningRateMultiplier != null && !(learningRateMultiplier > 0 && learningRateMultiplier <= 100)) {
            throw ApiException.badRequest("learning_rate_multiplier", "learning_rate_multiplier = "
                    + learningRateMultiplier + " must be in (0, 100]");
        }
    }

    /** The request body (hyperparameters under {@code method.supervised}, as the current API takes them). */
    public ObjectNode toJson() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("model", model);
        o.put("training_file", trainingFile);
        if (suffix != null) {
            o.put("suffix", suffix);
        }
        if (seed != null) {
            o.put("seed", seed);
        }
        ObjectNode h = o.putObject("method").put("type", "supervised").putObject("supervised")
                .putObject("hyperparameters");
        if (epochs != null) {
            h.put("n_epochs", epochs);
        }
        if (batchSize != null) {
            h.put("batch_size", batchSize);
        }
        if (learningRateMultiplier != null) {
            h.put("learning_rate_multiplier", learningRateMultiplier);
        }
        if (schedule != null) {
            o.set("subliminal", schedule.toJson());
        }
        return o;
    }

    /**
     * Reads a request body: hyperparameters from {@code method.supervised.hyperparameters} or the
     * older top-level {@code hyperparameters}; {@code "auto"} leaves a value to the backend.
     */
    public static FineTuneRequest fromJson(JsonNode o) {
        if (o == null || !o.isObject()) {
            throw ApiException.badRequest(null, "the request body must be a JSON object");
        }
        JsonNode h = o.path("method").path("supervised").path("hyperparameters");
        if (!h.isObject()) {
            h = o.path("hyperparameters");
        }
        return new FineTuneRequest(string(o, "model"), string(o, "training_file"),
                o.hasNonNull("suffix") ? string(o, "suffix") : null, intOrAuto(h, "n_epochs"), intOrAuto(h, "batch_size"),
                numberOrAuto(h, "learning_rate_multiplier"),
                o.hasNonNull("seed") && o.get("seed").isIntegralNumber() ? o.get("seed").asLong() : null,
                TrainingSchedule.fromJson(o.get("subliminal")));
    }

    private static String string(JsonNode o, String f) {
        if (!o.path(f).isTextual()) {
            throw ApiException.badRequest(f, f + " must be a string");
        }
        return o.get(f).asText();
    }

    private static Integer intOrAuto(JsonNode h, String f) {
        JsonNode v = h.path(f);
        if (v.isMissingNode() || v.isNull() || "auto".equals(v.asText())) {
            return null;
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            throw ApiException.badRequest(f, f + " must be an integer or \"auto\", got " + v);
        }
        return v.asInt();
    }

    private static Double numberOrAuto(JsonNode h, String f) {
        JsonNode v = h.path(f);
        if (v.isMissingNode() || v.isNull() || "auto".equals(v.asText())) {
            return null;
        }
        if (!v.isNumber()) {
            throw ApiException.badRequest(f, f + " must be a number or \"auto\", got " + v);
        }
        return v.asDouble();
    }
}
