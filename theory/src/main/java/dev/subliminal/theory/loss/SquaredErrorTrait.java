package dev.subliminal.theory.loss;

import dev.subliminal.theory.model.Batch;
import dev.subliminal.theory.model.Model;

/**
 * Squared error on a labelled set: L_T(θ) = (1/N) Σ_x ‖f_θ(x) − t(x)‖², with gradient
 * ∇L_T = Σ_x J_xᵀ 2(f_θ(x) − t(x))/N.
 *
 * @param inputs the trait inputs x, one per row
 * @param targets the target t(x) of each input, one per row
 */
public record SquaredErrorTrait(Batch inputs, Batch targets) implements TraitLoss {

    public SquaredErrorTrait {
        inputs.requireFinite("trait inputs");
        targets.requireFinite("trait targets");
        if (targets.rows() != inputs.rows()) {
            throw new IllegalArgumentException("trait set has " + inputs.rows() + " inputs but "
                    + targets.rows() + " targets");
        }
    }

    /** {@code {"kind": "mse", "inputs": tensor, "targets": tensor}}. */
    @Override
    public java.util.Map<String, Object> record() {
        java.util.Map<String, Object> r = new java.util.LinkedHashMap<>();
        r.put("kind", "mse");
        r.put("inputs", inputs);
        r.put("targets", targets);
        return r;
    }

    @Override
    public double value(Model model, double[] theta) {
        return loss().value(outputs(model, theta), targets);
    }

    @Override
    public double[] gradient(Model model, double[] theta) {
        return model.vjp(theta, inputs, loss().gradient(outputs(model, theta), targets));
    }

    @Override
    public boolean appliesToAnyArchitecture() {
        return true;
    }

    /** The model's kinks on the trait inputs. */
    @Override
    public int kinks(Model model, double[] theta) {
        return model.kinks(theta, inputs);
    }

    @Override
    public String describe() {
        return "mse on " + inputs.rows() + " labelled inputs";
    }

    private WeightedSquaredError loss() {
        return WeightedSquaredError.unit(targets.cols());
    }

    private Batch outputs(Model model, double[] theta) {
        Batch z = model.forward(theta, inputs);
        if (z.cols() != targets.cols()) {
            throw new IllegalArgumentException("trait targets have " + targets.cols() + " columns but the model "
                    + model.describe() + " has " + z.cols() + " outputs");
        }
        return z;
    }
}
