package dev.subliminal.simulation.check;

import java.util.Locale;

/** Which trait loss L_T the teacher is trained on: cross-entropy on random labels, or squared error on random targets. */
public enum TraitKind {
    CE, MSE;

    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static TraitKind parse(String s) {
        for (TraitKind k : values()) {
            if (k.cliName().equals(s.trim().toLowerCase(Locale.ROOT))) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown trait loss '" + s + "'; expected ce or mse");
    }
}
