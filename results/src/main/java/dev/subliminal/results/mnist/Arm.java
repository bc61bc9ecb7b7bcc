package dev.subliminal.results.mnist;

/**
 * The arms of the paper's MNIST auxiliary-logit experiment (Fig. 10), as they appear in
 * {@value MnistSchema#NAME} records, each with the paper's mean test accuracy over 100 runs (read
 * from the figure, with its 95% half-width where the paper gives one) and the mean measured with
 * PyTorch 1.13 on the bundled 8,000 / 2,000 digits over 10 runs ({@code docs/mnist-reference.md}); which
 * of them apply to a run is {@link MnistReference}'s to say.
 */
public enum Arm {
    /** The untrained reference θ0. */
    REFERENCE("reference", 0.10, 0, 0.102),
    /** θ_T: θ0 trained with cross-entropy on the 10 class logits. */
    TEACHER("teacher", 0.94, 0, 0.936),
    /** From θ0, distilled on the m auxiliary logits of the teacher over noise images. */
    STUDENT_AUX("student-aux", 0.53, 0.02, 0.479),
    /** From θ0, distilled on all 10 + m logits over noise images. */
    STUDENT_ALL("student-all", 0.91, 0, 0.891),
    /** From another random init, distilled on the auxiliary logits. */
    CROSS_AUX("cross-aux", 0.11, 0, 0.087),
    /** From another random init, distilled on all logits. */
    CROSS_ALL("cross-all", 0.74, 0, 0.724);

    private final String key;
    private final double paper;
    private final double paperHalfWidth;
    private final double pytorch;

    Arm(String key, double paper, double paperHalfWidth, double pytorch) {
        this.key = key;
        this.paper = paper;
        this.paperHalfWidth = paperHalfWidth;
        this.pytorch = pytorch;
    }

    /** The arm's name in records and tables: {@code student-aux}. */
    public String key() {
        return key;
    }

    /** The name in words: {@code student aux}. */
    public String label() {
        return key.replace('-', ' ');
    }

    /** The paper's mean accuracy (Fig. 10, full MNIST, 100 runs). */
    public double paper() {
        return paper;
    }

    /** The 95% half-width the paper states for it; 0 where it states none. */
    public double paperHalfWidth() {
        return paperHalfWidth;
    }

    /** PyTorch's mean accuracy on the bundled digits (10 runs, {@code docs/mnist-reference.md}). */
    public double pytorch() {
        return pytorch;
    }

    /** True for the four students, which imitate the teacher on noise. */
    public boolean student() {
        return ordinal() >= STUDENT_AUX.ordinal();
    }

    /** True for the students that start from θ0 (possibly perturbed) rather than another init. */
    public boolean sameInit() {
        return this == STUDENT_AUX || this == STUDENT_ALL;
    }

    /** True for the students that imitate the auxiliary logits only. */
    public boolean auxOnly() {
        return this == STUDENT_AUX || this == CROSS_AUX;
    }

    /** The arm named {@code key} in a record. */
    public static Arm of(String key) {
        for (Arm a : values()) {
            if (a.key.equals(key)) {
                return a;
            }
        }
        throw new IllegalArgumentException("arm \"" + dev.subliminal.results.Texts.quote(key)
                + "\" is not one of reference, teacher, student-aux, student-all, cross-aux, cross-all");
    }
}
