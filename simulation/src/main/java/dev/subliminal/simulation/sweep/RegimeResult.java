package dev.subliminal.simulation.sweep;

import dev.subliminal.theory.check.Kinks;

/**
 * The numbers of one (cell, seed) of a sweep. Δ_T is the teacher's summed update
 * Σ_k u_T,k = (θ_T − θ0)/ε over its K_T steps (−∇L_T(θ0) for one step). Comparisons of parameter
 * vectors are NaN across architectures.
 *
 * @param traitLossBefore L_T(θ_S0)
 * @param first after the student's first step: its update u_1 (Δ_S of the theorem for SGD), the
 *     control's, and the trait losses at θ_S,1 and θ_C,1
 * @param firstOrder ε·E_x[(J_S,x Δ_T)ᵀ M(f_0(x)) (J_0,x Δ_T)], the first-order prediction of the
 *     first step's trait part; NaN when the student's response is not linear (Adam, sampled labels)
 * @param absoluteError |traitPart − firstOrder| after the first step, O(ε²)
 * @param relativeError absoluteError / |firstOrder|, O(ε)
 * @param end after the last of K_S > 1 student steps, with the summed updates Σ_k u_k; null for one step
 * @param kinks where f is not differentiable at θ0 (and θ_S0) on the trait and student inputs: the case
 *     then lies outside the theorem's assumptions
 */
public record RegimeResult(double traitLossBefore, Outcome first, double firstOrder, double absoluteError,
        double relativeError, Outcome end, Kinks kinks, java.util.List<Point> trajectory) {

    /** A result without kinks. */
    public RegimeResult(double traitLossBefore, Outcome first, double firstOrder, double absoluteError,
            double relativeError, Outcome end) {
        this(traitLossBefore, first, firstOrder, absoluteError, relativeError, end, Kinks.NONE, null);
    }

    /** A result without a trajectory. */
    public RegimeResult(double traitLossBefore, Outcome first, double firstOrder, double absoluteError,
            double relativeError, Outcome end, Kinks kinks) {
        this(traitLossBefore, first, firstOrder, absoluteError, relativeError, end, kinks, null);
    }

    /**
     * One record of the student's trajectory ({@link Regime#RECORD_EVERY}), after step t: with U_t = Σ_{k≤t} u_k
     * its summed updates and J_k the student's Jacobian on its inputs at θ_{k−1},
     *
     * @param step t (0: the start)
     * @param dot U_t·Δ_T
     * @param cosine cos(U_t, Δ_T) (NaN at t = 0)
     * @param gamma γ_t = (1/N) Σ_x ‖J_x,t Δ_T‖² / ‖Δ_T‖² ≥ 0 (NaN at t = 0)
     * @param signal S_t = Σ_{k≤t} ε·E_x[(J_x,k Δ_T)ᵀ M(f_k(x)) (J_x,k Δ_T)], the accumulated first-order
     *     signal; at t = 1 from the same init it is the check's {@code firstOrder}
     * @param residual N_t = Σ_{k≤t} u_k·Δ_T − S_t
     * @param traitLoss L_T(θ_t)
     */
    public record Point(int step, double dot, double cosine, double gamma, double signal, double residual,
            double traitLoss) {
    }

    /**
     * The student against the teacher and the control after some steps.
     *
     * @param dot U_S·Δ_T, where U_S is the student's summed update
     * @param cosine cos(U_S, Δ_T)
     * @param traitPart (U_S − U_C)·Δ_T with U_C the control's summed update
     * @param traitLossStudent L_T at the student's parameters
     * @param traitLossControl L_T at the control's parameters
     */
    public record Outcome(double dot, double cosine, double traitPart, double traitLossStudent,
            double traitLossControl) {

        /** True when the student's trait loss is strictly below the control's. */
        public boolean traitDropsBelowControl() {
            return traitLossStudent < traitLossControl;
        }
    }
}
