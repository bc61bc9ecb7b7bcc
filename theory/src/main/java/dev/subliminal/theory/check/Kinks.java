package dev.subliminal.theory.check;

/**
 * Where one check meets points at which f is not differentiable in θ (for ReLU networks: hidden
 * pre-activations exactly at the kink, see {@link dev.subliminal.theory.model.Model#kinks}). The
 * theorem assumes differentiability: at such points the gradients are one-sided conventions
 * (φ′(0) = 0), Δ_T = −∇L_T(θ0) need not be a descent direction and the same-init claims can fail.
 *
 * @param traitInputs kinks of the reference model at θ0 on the trait loss's inputs (behind Δ_T)
 * @param studentInputs kinks at θ0 on the student's inputs (the teacher's Jacobian J_0), plus, when
 *     the student starts elsewhere, the student model's at θ_S0 (its Jacobian J_S)
 */
public record Kinks(int traitInputs, int studentInputs) {

    /** No kinks. */
    public static final Kinks NONE = new Kinks(0, 0);

    public Kinks {
        if (traitInputs < 0 || studentInputs < 0) {
            throw new IllegalArgumentException("kink counts must be ≥ 0, got " + traitInputs + ", " + studentInputs);
        }
    }

    /** The kinks of a check. */
    public static Kinks of(CheckSetup s) {
        int trait = s.trait().kinks(s.teacherModel(), s.theta0());
        int student = s.teacherModel().kinks(s.theta0(), s.studentInputs());
        if (!s.sameInit()) {
            student += s.studentModel().kinks(s.studentInit(), s.studentInputs());
        }
        return new Kinks(trait, student);
    }

    /** Trait and student kinks together. */
    public int total() {
        return traitInputs + studentInputs;
    }

    /** True when the check meets a kink, so that it lies outside the theorem's assumptions. */
    public boolean any() {
        return total() > 0;
    }

    /** e.g. {@code 2 pre-activations exactly at a kink (1 on the trait inputs, 1 on the student inputs)}. */
    public String describe() {
        return total() + (total() == 1 ? " pre-activation" : " pre-activations") + " exactly at a kink ("
                + traitInputs + " on the trait inputs, " + studentInputs + " on the student inputs)";
    }
}
