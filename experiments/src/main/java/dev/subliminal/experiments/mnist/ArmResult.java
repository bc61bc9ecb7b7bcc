package dev.subliminal.experiments.mnist;

import dev.subliminal.results.mnist.Arm;

/**
 * One arm of one run: its test accuracy and, for the students, how their updates align with the
 * teacher's and what might predict their transfer. With θ0 the reference, θ_T the trained teacher,
 * θ_S0 the student's start and θ_S its end: Δ_T = θ_T − θ0 (the teacher's total update);
 * Δ_S = −∇_θ L_S(θ_S0) on the student's first mini-batch (the direction of the first student step,
 * before the optimizer rescales it).
 *
 * @param arm the arm
 * @param accuracy the fraction of test digits whose largest class logit (of the 10) is the label
 * @param firstStepDot Δ_S·Δ_T (NaN for reference and teacher, and for a student of another architecture,
 *     as are both cosines and the cross block)
 * @param firstStepCosine Δ_S·Δ_T / (‖Δ_S‖ ‖Δ_T‖) (NaN for reference and teacher)
 * @param updateCosine cos(θ_S − θ_S0, Δ_T), the cosine between the student's cumulative update and
 *     the teacher's (NaN for reference and teacher)
 * @param crossBlock the RMS entry of the eNTK cross-output block ({@link Predictors#crossBlock}); NaN
 *     when not computed
 * @param headAlignment the cosine of the student's initial class head with the teacher's trained one
 * @param teacherHead accuracy of the student's representation read through the teacher's head
 * @param freshHead accuracy of the student's representation read through a fresh random head
 * @param trajectory the student's trajectory, or null when not recorded (or the student's
 *     architecture is not the teacher's: Δ_T is not in its parameter space)
 * @param spectrum the spectra of G and of the eNTK cross block at its start, or null when not computed
 *     ({@link Spectra})
 */
public record ArmResult(Arm arm, double accuracy, double firstStepDot, double firstStepCosine, double updateCosine,
        double crossBlock, double headAlignment, double teacherHead, double freshHead, Trajectory trajectory,
        Spectra.Spectrum spectrum) {

    /** The result of an arm that is not a student (reference, teacher): its accuracy only. */
    public static ArmResult of(Arm arm, double accuracy) {
        double nan = Double.NaN;
        return new ArmResult(arm, accuracy, nan, nan, nan, nan, nan, nan, nan, null, null);
    }
}
