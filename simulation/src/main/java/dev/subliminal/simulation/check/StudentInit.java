package dev.subliminal.simulation.check;


/** How the student's initialization θ_S0 relates to the reference θ0. */
public enum StudentInit {
    /** θ_S0 = θ0: the theorem's assumption. */
    SAME,
    /** θ_S0 = θ0 + σ·ξ with ξ ∼ N(0, I): a nearby initialization. */
    PERTURBED,
    /** θ_S0 drawn afresh from the same initializer with another seed stream. */
    INDEPENDENT;
}
