package dev.subliminal.simulation.check;


/** Which trait loss L_T the teacher is trained on: cross-entropy on random labels, or squared error on random targets. */
public enum TraitKind {
    CE, MSE;
}
