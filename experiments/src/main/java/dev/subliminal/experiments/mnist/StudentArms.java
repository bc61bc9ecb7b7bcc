package dev.subliminal.experiments.mnist;

import dev.subliminal.results.mnist.Arm;

/** Which student arms a run trains. */
public enum StudentArms {
    /** The four: aux-only and all-logit students, from θ0 and from another init. */
    ALL,
    /** The two aux-only students (student-aux, cross-aux), which carry the trait subliminally. */
    AUX;

    /** Whether {@code arm} runs. */
    public boolean includes(Arm arm) {
        return arm.student() && (this == ALL || arm.auxOnly());
    }
}
