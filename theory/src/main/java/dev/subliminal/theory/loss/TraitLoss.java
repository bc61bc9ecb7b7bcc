package dev.subliminal.theory.loss;

import dev.subliminal.theory.model.Model;

/**
 * A differentiable trait loss L_T(θ). The teacher is θ_T = θ0 + ε·Δ_T with Δ_T = −∇L_T(θ0).
 * Losses defined through a model's outputs on a labelled set apply to any architecture, which is
 * what the functional comparison across architectures needs.
 */
public interface TraitLoss {

    /** L_T(θ) for the given model. */
    double value(Model model, double[] theta);

    /** ∇L_T(θ) ∈ R^p, as a new array that the caller owns (the check negates it in place into Δ_T). */
    double[] gradient(Model model, double[] theta);

    /** True when the loss is defined through model outputs and so applies to any architecture. */
    boolean appliesToAnyArchitecture();

    /**
     * The loss's record form (see {@link ImitationLoss#record()}), with its data, so that another
     * framework can recompute L_T and Δ_T; refused for a loss without one.
     */
    default java.util.Map<String, Object> record() {
        throw new IllegalArgumentException("no record form for trait loss " + describe());
    }

    /**
     * The number of points at which L_T's evaluation of the model at θ is not differentiable (see
     * {@link Model#kinks}); 0 by default, for a loss stated as a differentiable function of θ.
     */
    default int kinks(Model model, double[] theta) {
        return 0;
    }

    /** A short description, e.g. {@code ce on 16 labelled inputs}. */
    String describe();
}
