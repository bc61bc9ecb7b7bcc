package dev.subliminal.simulation.check;

import dev.subliminal.theory.loss.ImitationLoss;
import dev.subliminal.theory.loss.SoftCrossEntropy;
import dev.subliminal.theory.loss.WeightedSquaredError;

/**
 * Which imitation loss ℓ the student uses: squared error (unit weights) or softmax cross-entropy at
 * temperature T over all logits or the last {@code distilled} ones.
 *
 * @param kind mse or ce
 * @param temperature T > 0 (ce only)
 * @param distilled number of trailing logits distilled (ce only); 0 means all
 */
public record ImitationSpec(Kind kind, double temperature, int distilled) {

    /** Loss families. */
    public enum Kind {
        MSE, CE;
    }

    public ImitationSpec {
        if (!(temperature > 0) || !Double.isFinite(temperature)) {
            throw new IllegalArgumentException("temperature = " + temperature + " must be finite and > 0");
        }
        if (distilled < 0) {
            throw new IllegalArgumentException("distilled logits = " + distilled + " must be ≥ 0 (0 means all)");
        }
        if (kind == Kind.MSE) {
            temperature = 1;
            distilled = 0;
        }
    }

    /** Squared error on all outputs. */
    public static ImitationSpec mse() {
        return new ImitationSpec(Kind.MSE, 1, 0);
    }

    /** Cross-entropy on all logits at T = 1. */
    public static ImitationSpec ce() {
        return new ImitationSpec(Kind.CE, 1, 0);
    }

    /** The loss for n outputs. */
    public ImitationLoss build(int outputs) {
        if (kind == Kind.MSE) {
            return WeightedSquaredError.unit(outputs);
        }
        if (distilled > outputs) {
            throw new IllegalArgumentException("cannot distil " + distilled + " logits of a model with "
                    + outputs + " outputs");
        }
        return distilled == 0 || distilled == outputs ? SoftCrossEntropy.all(temperature)
                : SoftCrossEntropy.lastLogits(outputs, distilled, temperature);
    }

    @Override
    public String toString() {
        if (kind == Kind.MSE) {
            return "mse";
        }
        return "ce" + (temperature == 1 ? "" : " T=" + temperature) + (distilled == 0 ? "" : " last " + distilled);
    }
}
