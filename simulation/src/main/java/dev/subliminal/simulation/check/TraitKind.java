package dev.subliminal.simulation.check;


/** Which trait loss L_T the teacher is trained on: cross-entropy on random labels, or squared error on random targets. */
public enum TraitKind {
    CE, MSE;

    public String cliName() {
        return dev.subliminal.theory.text.EnumNames.of(this);
    }

    public static TraitKind parse(String s) {
        return dev.subliminal.theory.text.EnumNames.parse(TraitKind.class, s, "trait loss");
    }
}
