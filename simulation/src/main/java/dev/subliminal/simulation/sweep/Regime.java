package dev.subliminal.simulation.sweep;

import dev.subliminal.simulation.optim.OptimizerKind;
import dev.subliminal.theory.text.EnumNames;

/**
 * How teacher and student are trained, beyond the theorem's single SGD step on full outputs.
 *
 * @param teacherSteps K_T ≥ 1: the teacher takes K_T gradient steps of size ε on L_T
 * @param studentSteps K_S ≥ 1: the student takes K_S steps of its optimizer at rate α
 * @param optimizer the student's optimizer (the teacher always uses SGD)
 * @param weightDecay λ ≥ 0, L2 weight decay on the student (and its control)
 * @param labels whether the student imitates the teacher's full outputs or sampled labels
 */
public record Regime(int teacherSteps, int studentSteps, OptimizerKind optimizer, double weightDecay, Labels labels) {

    /** What the student imitates. */
    public enum Labels {
        /** The teacher's outputs f_θT(x) themselves (the theorem). */
        FULL,
        /**
         * One label per student input, c ∼ σ(f_θT(x)_S / T) over the imitated logits S, drawn once from
         * the seed's {@code student-labels} stream; the student fits the one-hot target.
         */
        SAMPLED;

        public String cliName() {
            return EnumNames.of(this);
        }

        public static Labels parse(String s) {
            return EnumNames.parse(Labels.class, s, "labels");
        }
    }

    public Regime {
        if (teacherSteps < 1) {
            throw new IllegalArgumentException("teacher steps = " + teacherSteps + " must be ≥ 1");
        }
        if (studentSteps < 1) {
            throw new IllegalArgumentException("student steps = " + studentSteps + " must be ≥ 1");
        }
        if (!(weightDecay >= 0) || !Double.isFinite(weightDecay)) {
            throw new IllegalArgumentException("weight decay = " + weightDecay + " must be finite and ≥ 0");
        }
    }

    /** The theorem's regime: one SGD step each, full outputs, no weight decay. */
    public static Regime theorem() {
        return new Regime(1, 1, OptimizerKind.SGD, 0, Labels.FULL);
    }

    /**
     * True when the student's first update responds linearly to the teacher's outputs (SGD on full
     * outputs), so that the first-order prediction of the trait-carrying part applies. Weight decay
     * adds λ·θ_S0 to the student's and the control's gradient alike and cancels in their difference.
     */
    public boolean linearResponse() {
        return optimizer == OptimizerKind.SGD && labels == Labels.FULL;
    }
}
