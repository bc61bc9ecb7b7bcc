package dev.subliminal.theory.interval;

import dev.subliminal.theory.param.ParameterLayout;
import java.util.function.BiFunction;
import org.apache.commons.numbers.fraction.BigFraction;

/**
 * The rational form of a model, which the certificate verifier evaluates: enclosures of f_θ(x), of
 * J_θ(x)·v and of Σ_x J_θ(x)ᵀ u_x for every θ in a box Θ of {@link RationalInterval}s (one per
 * coordinate, in the model's {@link ParameterLayout}), with exact inputs x and directions v. The
 * arithmetic is exact except around transcendental functions, so for a model without them (an
 * affine model) a degenerate box gives exact values. Where the model is not differentiable (ReLU's
 * kink) the derivative is enclosed by the hull of its one-sided values. It is the verifier's twin of
 * {@link IntervalModel}; a family without one cannot have its certificates verified.
 */
public interface RationalModel {

    /** The named tensors of θ. */
    ParameterLayout layout();

    /** Enclosures of f_θ(x) and of J_θ(x)·v over θ ∈ Θ. */
    record Tangent(RationalInterval[] outputs, RationalInterval[] tangents) {
    }

    /** Enclosures of f_θ(x) and J_θ(x)·v over θ ∈ Θ for one input x; with v null, tangents is null. */
    Tangent tangent(RationalInterval[] theta, BigFraction[] x, BigFraction[] v);

    /** An enclosure of f_θ(x) over θ ∈ Θ. */
    default RationalInterval[] forward(RationalInterval[] theta, BigFraction[] x) {
        return tangent(theta, x, null).outputs();
    }

    /**
     * An enclosure of Σ_r J_θ(x_r)ᵀ u_r over θ ∈ Θ, where u_r ranges over the box
     * {@code cotangent.apply(r, F_r)} and F_r is the enclosure of f_θ(x_r) (so that a loss's
     * cotangent can be formed from the outputs within the same pass).
     */
    RationalInterval[] vjp(RationalInterval[] theta, BigFraction[][] x,
            BiFunction<Integer, RationalInterval[], RationalInterval[]> cotangent);
}
