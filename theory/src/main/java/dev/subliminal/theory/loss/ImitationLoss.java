package dev.subliminal.theory.loss;

import dev.subliminal.theory.model.Batch;

/**
 * An imitation loss ℓ(z, y) between student outputs z and teacher outputs y, averaged over a batch:
 * L = (1/N) Σ_x ℓ(z_x, y_x).
 *
 * <p>Every loss here satisfies ∇_z ℓ(y, y) = 0 and ∂/∂y ∇_z ℓ(z, y) = −M(y) with M(y) positive
 * semi-definite and independent of z. Hence, for a student at θ_S0 imitating a teacher whose outputs
 * moved by δ = f_T − f_0 ≈ ε·J_0 Δ_T, the student's update is
 * Δ_S(θ_T) − Δ_S(θ_0) = E_x[J_S,xᵀ M(f_0(x)) δ_x] + O(ε²), which is the paper's lemma when J_S = J_0.
 */
public interface ImitationLoss {

    /** (1/N) Σ_x ℓ(z_x, y_x). */
    double value(Batch z, Batch y);

    /** ∂L/∂z: row x is (1/N)·∇_z ℓ(z_x, y_x). */
    Batch gradient(Batch z, Batch y);

    /**
     * The bilinear form of M averaged over the batch: (1/N) Σ_x u_xᵀ M(y_x) v_x. When u = v it is a
     * sum of non-negative terms, so it is ≥ 0 exactly in floating point, not just up to rounding.
     */
    double bilinear(Batch y, Batch u, Batch v);

    /**
     * The loss's record form, so that another framework can rebuild it: field names to values that are
     * numbers, strings, booleans, null, {@code int[]}, {@code double[]}, {@link Batch}es (written as
     * tensors), lists or nested maps, in order; {@code kind} first. Refused for a loss without one.
     */
    default java.util.Map<String, Object> record() {
        throw new IllegalArgumentException("no record form for imitation loss " + describe());
    }

    /** A short description, e.g. {@code mse} or {@code ce T=2 logits[10,11,12]}. */
    String describe();

    /** Throws unless both batches have the same shape and the loss accepts their width. */
    default void requireSameShape(Batch a, Batch b) {
        if (a.rows() != b.rows() || a.cols() != b.cols()) {
            throw new IllegalArgumentException("batch shapes differ: " + a.rows() + "×" + a.cols() + " and "
                    + b.rows() + "×" + b.cols());
        }
    }
}
