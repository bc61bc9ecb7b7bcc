package dev.subliminal.lm.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.subliminal.lm.io.StrictJson;
import dev.subliminal.simulation.optim.LearningRate;
import dev.subliminal.simulation.optim.OptimizerKind;
import dev.subliminal.simulation.optim.OptimizerSpec;
import java.util.Locale;

/**
 * How a transformer is trained: the optimizer (SGD, Adam or AdamW with weight decay λ, β1, β2, δ and
 * gradient clipping at norm c, 0 for none), the learning-rate schedule (η constant when
 * {@code totalSteps} = 0, else a linear warm-up over W steps then a cosine decay to η·{@code finalFraction}
 * at step {@code totalSteps}), the batch size B and the seed of the batch order (shuffled each epoch,
 * as PyTorch's {@code DataLoader(shuffle=True)}). Saved with every training checkpoint.
 *
 * @param optimizer SGD, Adam or AdamW
 * @param learningRate the peak η
 * @param warmupSteps W (0 with a constant rate)
 * @param totalSteps the step where the cosine ends; 0 for a constant rate
 * @param finalFraction η_min/η at and after {@code totalSteps}
 * @param weightDecay λ
 * @param beta1 β1
 * @param beta2 β2
 * @param delta δ
 * @param clipNorm c ≥ 0
 * @param batchSize B ≥ 1 examples per step
 * @param seed seed of the batch order
 */
public record TrainingSettings(OptimizerKind optimizer, double learningRate, int warmupSteps, int totalSteps,
        double finalFraction, double weightDecay, double beta1, double beta2, double delta, double clipNorm,
        int batchSize, long seed) {

    public TrainingSettings {
        if (batchSize < 1) {
            throw new IllegalArgumentException("the batch size must be ≥ 1, got " + batchSize);
        }
        if (totalSteps == 0 && warmupSteps != 0) {
            throw new IllegalArgumentException("a warm-up of " + warmupSteps
                    + " steps needs a schedule length (totalSteps ≥ warm-up)");
        }
        spec(optimizer, learningRate, warmupSteps, totalSteps, finalFraction, weightDecay, beta1, beta2, delta,
                clipNorm);
    }

    /**
     * AdamW as PyTorch defaults it (λ = 0.01, β = (0.9, 0.999), δ = 1e-8) at a constant rate η, with
     * gradient clipping at norm 1.
     */
    public static TrainingSettings adamW(double learningRate, int batchSize, long seed) {
        return new TrainingSettings(OptimizerKind.ADAMW, learningRate, 0, 0, 0, 0.01, OptimizerSpec.BETA1,
                OptimizerSpec.BETA2, OptimizerSpec.DELTA, 1, batchSize, seed);
    }

    /** These settings with a warm-up over W steps and a cosine decay to η·floor at step T. */
    public TrainingSettings withSchedule(int warmup, int total, double floor) {
        return new TrainingSettings(optimizer, learningRate, warmup, total, floor, weightDecay, beta1, beta2, delta,
                clipNorm, batchSize, seed);
    }

    /** These settings with weight decay λ. */
    public TrainingSettings withWeightDecay(double lambda) {
        return new TrainingSettings(optimizer, learningRate, warmupSteps, totalSteps, finalFraction, lambda, beta1,
                beta2, delta, clipNorm, batchSize, seed);
    }

    /** These settings with clipping at norm c (0: none). */
    public TrainingSettings withClipNorm(double c) {
        return new TrainingSettings(optimizer, learningRate, warmupSteps, totalSteps, finalFraction, weightDecay, beta1,
                beta2, delta, c, batchSize, seed);
    }

    /** These settings with another optimizer kind. */
    public TrainingSettings withOptimizer(OptimizerKind kind) {
        return new TrainingSettings(kind, learningRate, warmupSteps, totalSteps, finalFraction, weightDecay, beta1,
                beta2, delta, clipNorm, batchSize, seed);
    }

    /** The optimizer's specification. */
    public OptimizerSpec spec() {
        return spec(optimizer, learningRate, warmupSteps, totalSteps, finalFraction, weightDecay, beta1, beta2, delta,
                clipNorm);
    }

    private static OptimizerSpec spec(OptimizerKind kind, double rate, int warmup, int total, double floor, double wd,
            double b1, double b2, double delta, double clip) {
        LearningRate schedule = total == 0 ? LearningRate.constant(rate)
                : LearningRate.warmupCosine(rate, warmup, total, floor);
        return new OptimizerSpec(kind, schedule, wd, b1, b2, delta, clip);
    }

    /** The settings as JSON (the field names of this record; the optimizer in lower case). */
    public ObjectNode toJson() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("optimizer", optimizer.name().toLowerCase(Locale.ROOT));
        o.put("learningRate", learningRate);
        o.put("warmupSteps", warmupSteps);
        o.put("totalSteps", totalSteps);
        o.put("finalFraction", finalFraction);
        o.put("weightDecay", weightDecay);
        o.put("beta1", beta1);
        o.put("beta2", beta2);
        o.put("delta", delta);
        o.put("clipNorm", clipNorm);
        o.put("batchSize", batchSize);
        o.put("seed", seed);
        return o;
    }

    /** Reads {@link #toJson()}'s form; an error names the file and the field. */
    public static TrainingSettings fromJson(JsonNode node, String source) {
        JsonNode o = StrictJson.object(node, source, "settings");
        String kind = StrictJson.string(o.get("optimizer"), source, "settings.optimizer");
        OptimizerKind k;
        try {
            k = OptimizerKind.valueOf(kind.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new dev.subliminal.lm.io.FormatException(source, "settings.optimizer", "unknown optimizer '" + kind + "'");
        }
        return new TrainingSettings(k, StrictJson.number(o.get("learningRate"), source, "settings.learningRate"),
                StrictJson.intValue(o.get("warmupSteps"), source, "settings.warmupSteps", 0, Integer.MAX_VALUE),
                StrictJson.intValue(o.get("totalSteps"), source, "settings.totalSteps", 0, Integer.MAX_VALUE),
                StrictJson.number(o.get("finalFraction"), source, "settings.finalFraction"),
                StrictJson.number(o.get("weightDecay"), source, "settings.weightDecay"),
                StrictJson.number(o.get("beta1"), source, "settings.beta1"),
                StrictJson.number(o.get("beta2"), source, "settings.beta2"),
                StrictJson.number(o.get("delta"), source, "settings.delta"),
                StrictJson.number(o.get("clipNorm"), source, "settings.clipNorm"),
                StrictJson.intValue(o.get("batchSize"), source, "settings.batchSize", 1, Integer.MAX_VALUE),
                StrictJson.integer(o.get("seed"), source, "settings.seed", Long.MIN_VALUE, Long.MAX_VALUE));
    }
}
