package dev.subliminal.theory.interval;

import dev.subliminal.theory.model.Batch;
import dev.subliminal.theory.model.Model;

/**
 * Interval evaluation of a {@link Model} over a box of parameters Θ (one interval per
 * coordinate of θ): every method returns enclosures that hold for every θ ∈ Θ at once, with
 * rounding errors accounted for. Where the model is not differentiable (ReLU's kink) the
 * derivative is enclosed by the hull of its one-sided values, which is what the integral form
 * f(θ1) − f(θ0) = ∫₀¹ J(θ0 + t(θ1 − θ0))(θ1 − θ0) dt needs for a piecewise smooth f.
 */
public interface IntervalModel {

    /** The point model this evaluates. */
    Model model();

    /** Enclosures of f_θ(x) and of the Jacobian-vector product J_θ(x)·v for one input x. */
    record Tangent(Interval[] outputs, Interval[] tangents) {
    }

    /** Enclosures of f_θ(x) and J_θ(x)·v over θ ∈ Θ, for input row {@code row} of {@code x}. */
    Tangent tangent(Interval[] theta, Batch x, int row, double[] v);

    /** An enclosure of f_θ(x) over θ ∈ Θ, for input row {@code row} of {@code x}. */
    Interval[] forward(Interval[] theta, Batch x, int row);

    /**
     * An enclosure of Σ_x J_θ(x)ᵀ u_x over θ ∈ Θ and u_x ∈ U_x, where {@code cotangents[r]} is the
     * box U_x of the r-th row of {@code x}.
     */
    Interval[] vjp(Interval[] theta, Batch x, Interval[][] cotangents);
}
