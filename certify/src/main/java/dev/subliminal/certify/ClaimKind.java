package dev.subliminal.certify;

/**
 * The claims a certificate can make, with the statement each makes in words. The statement is a
 * function of the data (whether θ_S0 = θ0, and α), so the verifier derives it again instead of
 * trusting the file.
 */
public enum ClaimKind {

    /** (Δ_S − Δ_S^c)·Δ_T > 0 for every ε in (0, ε*]; the enclosure bounds (Δ_S − Δ_S^c)·Δ_T / ε. */
    TRAIT_PART("trait-part-positive"),

    /** L_T(θ_S0 + αΔ_S) < L_T(θ_S0) for every ε in (0, ε*] (same init); the enclosure bounds the change / (αε). */
    TRAIT_LOSS("trait-loss-decreases"),

    /** (Δ_S − Δ_S^c)·Δ_T = ε·Q for every ε > 0 with Q = Δ_Tᵀ G Δ_T > 0 (affine model, squared error). */
    EXACT("exact-quadratic-form");

    /** Significant digits of the exact claim's {@code quadraticFormDecimal}. */
    public static final int DECIMAL_DIGITS = 30;

    private final String id;

    ClaimKind(String id) {
        this.id = id;
    }

    /** The name in certificates, e.g. {@code trait-part-positive}. */
    public String id() {
        return id;
    }

    /** The claim named {@code id}, or null. */
    public static ClaimKind byId(String id) {
        for (ClaimKind k : values()) {
            if (k.id.equals(id)) {
                return k;
            }
        }
        return null;
    }

    /** The statement in words for a case with this init (θ_S0 = θ0 or not) and student step α. */
    public String statement(boolean sameInit, double alpha) {
        return switch (this) {
            case TRAIT_PART -> "(Δ_S − Δ_S^c)·Δ_T > 0 for every ε in (0, ε*]"
                    + (sameInit ? " (Δ_S^c = 0 at the same init, so Δ_S·Δ_T > 0)" : "")
                    + "; the enclosure bounds (Δ_S − Δ_S^c)·Δ_T / ε";
            case TRAIT_LOSS -> "L_T(θ_S0 + αΔ_S) < L_T(θ_S0) for every ε in (0, ε*] at α = " + alpha
                    + "; the enclosure bounds (L_T(θ_S) − L_T(θ_S0)) / (αε)";
            case EXACT -> "(Δ_S − Δ_S^c)·Δ_T = ε·Q for every ε > 0 with Q = Δ_Tᵀ G Δ_T > 0"
                    + (sameInit ? "; at the same init Δ_S·Δ_T = ε·Q" : "");
        };
    }
}
