package dev.subliminal.theory.loss;

import dev.subliminal.theory.model.Model;
import java.util.function.ToDoubleFunction;
import java.util.function.UnaryOperator;

/**
 * An arbitrary differentiable trait loss L_T(θ) given as a function of the parameters and its
 * gradient (a regulariser, a loss over other inputs, anything). It is tied to one parameter space,
 * so it does not apply across architectures.
 *
 * @param name what the loss is, for reports
 * @param value θ ↦ L_T(θ)
 * @param gradient θ ↦ ∇L_T(θ) (its array is copied, so it may be one the function keeps)
 */
public record FunctionTrait(String name, ToDoubleFunction<double[]> value, UnaryOperator<double[]> gradient)
        implements TraitLoss {

    @Override
    public double value(Model model, double[] theta) {
        model.layout().requireVector(theta, "θ");
        return value.applyAsDouble(theta);
    }

    @Override
    public double[] gradient(Model model, double[] theta) {
        model.layout().requireVector(theta, "θ");
        double[] g = gradient.apply(theta);
        model.layout().requireVector(g, "∇L_T");
        return g.clone();
    }

    @Override
    public boolean appliesToAnyArchitecture() {
        return false;
    }

    @Override
    public String describe() {
        return name;
    }
}
