package dev.subliminal.experiments.mnist;


/**
 * The arms of the paper's Fig. 10, each with the paper's mean test accuracy over 100 runs (read
 * from the figure) and the mean measured with PyTorch 1.13 on the bundled 8,000 / 2,000 digits
 * over 10 runs (DESIGN §4).
 */
public enum Arm {
    /** The untrained reference θ0. */
    REFERENCE(0.10, 0.102),
    /** θ_T: θ0 trained with cross-entropy on the 10 class logits. */
    TEACHER(0.94, 0.936),
    /** From θ0, distilled on the m auxiliary logits of the teacher over noise images. */
    STUDENT_AUX(0.53, 0.479),
    /** From θ0, distilled on all 10 + m logits over noise images. */
    STUDENT_ALL(0.91, 0.891),
    /** From another random init, distilled on the auxiliary logits. */
    CROSS_AUX(0.11, 0.087),
    /** From another random init, distilled on all logits. */
    CROSS_ALL(0.74, 0.724);

    private final double paper;
    private final double pytorch;

    Arm(double paper, double pytorch) {
        this.paper = paper;
        this.pytorch = pytorch;
    }

    /** The paper's mean accuracy (Fig. 10, full MNIST, 100 runs). */
    public double paper() {
        return paper;
    }

    /** PyTorch's mean accuracy on the bundled digits (10 runs, DESIGN §4). */
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
}
