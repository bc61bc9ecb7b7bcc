package dev.subliminal.theory.check;

/**
 * The numbers of one transmission check. Vectors live in the teacher's parameter space (Δ_T, θ_T)
 * or the student's (Δ_S, θ_S). Quantities that compare the two spaces are NaN when the student's
 * architecture differs from the teacher's; then only the functional comparison against the
 * control is defined.
 *
 * @param deltaT Δ_T = −∇L_T(θ0)
 * @param thetaT θ_T = θ0 + ε·Δ_T
 * @param deltaS Δ_S = −∇_θ E_x ℓ(f_θ(x), f_θT(x)) at θ_S0, the real gradient at finite ε
 * @param deltaSControl the control's update: the same gradient when imitating θ0 instead of θ_T
 * @param dot Δ_S·Δ_T
 * @param cosine cos(Δ_S, Δ_T)
 * @param traitPart (Δ_S(θ_T) − Δ_S(θ0))·Δ_T, the trait-carrying part; equals {@code dot} at same init
 * @param firstOrder ε·E_x[(J_S,x Δ_T)ᵀ M(f_0(x)) (J_0,x Δ_T)], the first-order prediction of
 *     {@code traitPart}; at same init it is ε·Δ_Tᵀ G Δ_T ≥ 0
 * @param absoluteError |traitPart − firstOrder|, which is O(ε²)
 * @param relativeError |traitPart − firstOrder| / |firstOrder|, which is O(ε); NaN when firstOrder = 0
 * @param traitLossBefore L_T(θ_S0)
 * @param traitLossStudent L_T(θ_S0 + α·Δ_S)
 * @param traitLossControl L_T(θ_S0 + α·Δ_S^control)
 * @param sameArchitecture whether the student shares the teacher's parameter space
 * @param sameInit whether in addition θ_S0 = θ0
 */
public record CheckResult(double[] deltaT, double[] thetaT, double[] deltaS, double[] deltaSControl, double dot,
        double cosine, double traitPart, double firstOrder, double absoluteError, double relativeError,
        double traitLossBefore, double traitLossStudent, double traitLossControl, boolean sameArchitecture,
        boolean sameInit) {

    /** L_T(θ_S) − L_T(θ_S0): negative when the student's step lowered the trait loss. */
    public double traitLossChange() {
        return traitLossStudent - traitLossBefore;
    }

    /** L_T(θ_S) − L_T(θ_control): negative when the student ends below the control. */
    public double traitLossVsControl() {
        return traitLossStudent - traitLossControl;
    }

    /** True when the student's trait loss ends strictly below the control's. */
    public boolean traitDropsBelowControl() {
        return traitLossStudent < traitLossControl;
    }
}
