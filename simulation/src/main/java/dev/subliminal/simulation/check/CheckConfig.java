package dev.subliminal.simulation.check;

import dev.subliminal.theory.param.Initialization;

/**
 * The configuration of one transmission check, without its seed: architectures, initialization,
 * imitation and trait losses, the student's inputs, ε and α.
 *
 * @param teacher the reference model's architecture (also the teacher's)
 * @param student the student's architecture; equal to {@code teacher} unless studied across architectures
 * @param initialization how θ0 (and an independent θ_S0) are drawn
 * @param studentInit same, perturbed or independent
 * @param perturbation σ for a perturbed init (ignored otherwise)
 * @param imitation ℓ
 * @param trait L_T
 * @param traitSamples size of the trait set
 * @param inputs D_S, the student's input distribution
 * @param samples number of student inputs N
 * @param epsilon ε
 * @param alpha α
 */
public record CheckConfig(Architecture teacher, Architecture student, Initialization initialization,
        StudentInit studentInit, double perturbation, ImitationSpec imitation, TraitKind trait, int traitSamples,
        InputDistribution inputs, int samples, double epsilon, double alpha) {

    public CheckConfig {
        if (student == null) {
            student = teacher;
        }
        if (student.inputs() != teacher.inputs() || student.outputs() != teacher.outputs()) {
            throw new IllegalArgumentException("the student's architecture " + student + " must keep the teacher's "
                    + teacher.inputs() + " inputs and " + teacher.outputs() + " outputs");
        }
        if (!student.equals(teacher) && studentInit != StudentInit.INDEPENDENT) {
            throw new IllegalArgumentException("a student of another architecture (" + student
                    + ") cannot use init '" + studentInit.cliName() + "'; use --init independent");
        }
        if (!(perturbation >= 0) || !Double.isFinite(perturbation)) {
            throw new IllegalArgumentException("perturbation = " + perturbation + " must be finite and ≥ 0");
        }
        if (studentInit != StudentInit.PERTURBED) {
            perturbation = 0;
        }
        if (!(epsilon >= 0) || !Double.isFinite(epsilon)) {
            throw new IllegalArgumentException("epsilon = " + epsilon + " must be finite and ≥ 0");
        }
        if (!(alpha >= 0) || !Double.isFinite(alpha)) {
            throw new IllegalArgumentException("alpha = " + alpha + " must be finite and ≥ 0");
        }
        if (samples < 1) {
            throw new IllegalArgumentException("samples = " + samples + " must be ≥ 1");
        }
        if (traitSamples < 1) {
            throw new IllegalArgumentException("trait samples = " + traitSamples + " must be ≥ 1");
        }
        imitation.build(teacher.outputs());
    }

    /** The defaults of {@code check}: mlp 4-8-3 tanh, N(0, 1/fan_in), same init, ce, ce trait, ε = 1e-4. */
    public static CheckConfig defaults() {
        Architecture a = Architecture.mlp(dev.subliminal.simulation.mlp.Activation.TANH, 4, 8, 3);
        return new CheckConfig(a, a, Initialization.NORMAL_FAN_IN, StudentInit.SAME, 0, ImitationSpec.ce(),
                TraitKind.CE, 16, InputDistribution.GAUSSIAN, 64, 1e-4, 0.1);
    }

    public CheckConfig withTeacher(Architecture a) {
        return new CheckConfig(a, student.equals(teacher) ? a : student, initialization, studentInit, perturbation,
                imitation, trait, traitSamples, inputs, samples, epsilon, alpha);
    }

    /** Both architectures at once, so that the input and output sizes may change together. */
    public CheckConfig withArchitectures(Architecture t, Architecture s) {
        return new CheckConfig(t, s, initialization, studentInit, perturbation, imitation, trait, traitSamples, inputs,
                samples, epsilon, alpha);
    }

    public CheckConfig withStudent(Architecture a) {
        return new CheckConfig(teacher, a, initialization, studentInit, perturbation, imitation, trait, traitSamples,
                inputs, samples, epsilon, alpha);
    }

    public CheckConfig withStudentInit(StudentInit init, double sigma) {
        return new CheckConfig(teacher, student, initialization, init, sigma, imitation, trait, traitSamples, inputs,
                samples, epsilon, alpha);
    }

    public CheckConfig withImitation(ImitationSpec spec) {
        return new CheckConfig(teacher, student, initialization, studentInit, perturbation, spec, trait, traitSamples,
                inputs, samples, epsilon, alpha);
    }

    public CheckConfig withTrait(TraitKind kind, int count) {
        return new CheckConfig(teacher, student, initialization, studentInit, perturbation, imitation, kind, count,
                inputs, samples, epsilon, alpha);
    }

    public CheckConfig withInputs(InputDistribution d, int count) {
        return new CheckConfig(teacher, student, initialization, studentInit, perturbation, imitation, trait,
                traitSamples, d, count, epsilon, alpha);
    }

    public CheckConfig withEpsilon(double e) {
        return new CheckConfig(teacher, student, initialization, studentInit, perturbation, imitation, trait,
                traitSamples, inputs, samples, e, alpha);
    }

    public CheckConfig withAlpha(double a) {
        return new CheckConfig(teacher, student, initialization, studentInit, perturbation, imitation, trait,
                traitSamples, inputs, samples, epsilon, a);
    }

    public CheckConfig withInitialization(Initialization init) {
        return new CheckConfig(teacher, student, init, studentInit, perturbation, imitation, trait, traitSamples,
                inputs, samples, epsilon, alpha);
    }

    /** True when the student's architecture differs from the teacher's. */
    public boolean otherArchitecture() {
        return !student.equals(teacher);
    }
}
