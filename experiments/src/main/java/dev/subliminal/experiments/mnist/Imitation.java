package dev.subliminal.experiments.mnist;

/**
 * The students' imitation loss on the logits they imitate (the auxiliary ones, or all), averaged over
 * a batch of B noise images.
 */
public enum Imitation {
    /**
     * Soft cross-entropy at temperature T, L = −(1/B) Σ_x Σ_i σ(y_x/T)_i log σ(z_x/T)_i: the paper's
     * distillation loss at T = 1 (KL up to a constant in θ); M_x = (diag(p) − ppᵀ)/(T²B), p = σ(z_x/T).
     */
    CE,
    /** Squared error on the logits, L = (1/B) Σ_x ½‖z_x − y_x‖²; M_x = I/B. */
    MSE
}
