package dev.subliminal.theory.check;

import dev.subliminal.theory.loss.ImitationLoss;
import dev.subliminal.theory.loss.TraitLoss;
import dev.subliminal.theory.model.Batch;
import dev.subliminal.theory.model.Model;
import dev.subliminal.theory.param.Vectors;

/**
 * Everything the one-step transmission check needs: the reference model f_θ0 and its trait loss
 * L_T, the teacher's step ε, the student's architecture and initialization θ_S0, its step α, the
 * imitation loss ℓ and the student's inputs x ∼ D_S.
 *
 * @param teacherModel the architecture of the reference model and teacher
 * @param theta0 the shared reference parameters θ0
 * @param trait L_T
 * @param epsilon ε ≥ 0
 * @param studentModel the student's architecture (may equal {@code teacherModel})
 * @param studentInit θ_S0
 * @param alpha α ≥ 0
 * @param imitation ℓ
 * @param studentInputs the student's inputs, one per row
 */
public record CheckSetup(Model teacherModel, double[] theta0, TraitLoss trait, double epsilon,
        Model studentModel, double[] studentInit, double alpha, ImitationLoss imitation, Batch studentInputs) {

    public CheckSetup {
        if (!(epsilon >= 0) || !Double.isFinite(epsilon)) {
            throw new IllegalArgumentException("ε = " + epsilon + " must be finite and ≥ 0");
        }
        if (!(alpha >= 0) || !Double.isFinite(alpha)) {
            throw new IllegalArgumentException("α = " + alpha + " must be finite and ≥ 0");
        }
        teacherModel.layout().requireVector(theta0, "θ0");
        studentModel.layout().requireVector(studentInit, "θ_S0");
        if (Vectors.firstNonFinite(theta0) >= 0) {
            throw new IllegalArgumentException("θ0 holds a non-finite value at index " + Vectors.firstNonFinite(theta0));
        }
        if (Vectors.firstNonFinite(studentInit) >= 0) {
            throw new IllegalArgumentException("θ_S0 holds a non-finite value at index "
                    + Vectors.firstNonFinite(studentInit));
        }
        studentInputs.requireFinite("student inputs");
        if (studentInputs.cols() != teacherModel.inputSize() || studentModel.inputSize() != teacherModel.inputSize()) {
            throw new IllegalArgumentException("input sizes differ: teacher takes " + teacherModel.inputSize()
                    + ", student takes " + studentModel.inputSize() + ", student inputs have " + studentInputs.cols());
        }
        if (studentModel.outputSize() != teacherModel.outputSize()) {
            throw new IllegalArgumentException("the student has " + studentModel.outputSize()
                    + " outputs but the teacher has " + teacherModel.outputSize());
        }
        if (!sameArchitecture(teacherModel, studentModel) && !trait.appliesToAnyArchitecture()) {
            throw new IllegalArgumentException("trait loss '" + trait.describe()
                    + "' is tied to the teacher's parameters and cannot be compared across architectures");
        }
    }

    /** True when the student shares the teacher's parameter space, so Δ_S·Δ_T is defined. */
    public boolean sameArchitecture() {
        return sameArchitecture(teacherModel, studentModel);
    }

    /** True when the student shares the architecture and starts exactly at θ0. */
    public boolean sameInit() {
        return sameArchitecture() && java.util.Arrays.equals(theta0, studentInit);
    }

    /** Where f is not differentiable in this check (see {@link Kinks}). */
    public Kinks kinks() {
        return Kinks.of(this);
    }

    private static boolean sameArchitecture(Model a, Model b) {
        return a.equals(b);
    }
}
