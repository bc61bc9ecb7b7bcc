package dev.subliminal.simulation.check;

import dev.subliminal.theory.check.CheckResult;
import dev.subliminal.theory.check.CheckSetup;
import dev.subliminal.theory.check.TransmissionCheck;
import dev.subliminal.theory.loss.CrossEntropyTrait;
import dev.subliminal.theory.loss.SquaredErrorTrait;
import dev.subliminal.theory.loss.TraitLoss;
import dev.subliminal.theory.model.Batch;
import dev.subliminal.theory.model.Model;
import dev.subliminal.theory.random.Seeds;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.distribution.ZigguratSampler;

/**
 * A configuration with its seed, and optionally a fixed data set for the student's inputs. Every
 * random draw comes from a named stream of the seed (see {@link #STREAMS}), so the same case gives
 * bit-identical numbers on every run and thread count.
 *
 * @param config the configuration
 * @param seed the seed
 * @param data the student's inputs when given as a data set (then {@code config.samples()} and
 *     {@code config.inputs()} are not used); null to draw them from D_S
 */
public record CheckCase(CheckConfig config, long seed, Batch data) {

    /** The named seed streams, in the order they are used. */
    public static final String[] STREAMS = {"reference-init", "trait-inputs", "trait-labels", "student-inputs",
        "student-init"};

    public CheckCase {
        if (data != null) {
            data.requireFinite("student data set");
            if (data.cols() != config.teacher().inputs()) {
                throw new IllegalArgumentException("the student data set has " + data.cols()
                        + " columns but the model takes " + config.teacher().inputs() + " inputs");
            }
        }
    }

    /** A case with inputs drawn from the configured distribution. */
    public CheckCase(CheckConfig config, long seed) {
        this(config, seed, null);
    }

    /** Draws θ0, the trait set, the student's inputs and θ_S0, and assembles the check. */
    public CheckSetup setup() {
        CheckConfig c = config;
        Model teacher = c.teacher().build();
        Model student = c.student().build();
        int d = teacher.inputSize();
        int n = teacher.outputSize();
        double[] theta0 = c.initialization().initialize(teacher.layout(), Seeds.stream(seed, "reference-init"));

        Batch traitInputs = new Batch(c.traitSamples(), d,
                InputDistribution.GAUSSIAN.sample(c.traitSamples() * d, Seeds.stream(seed, "trait-inputs")));
        UniformRandomProvider labelRng = Seeds.stream(seed, "trait-labels");
        TraitLoss trait;
        if (c.trait() == TraitKind.CE) {
            int[] labels = new int[c.traitSamples()];
            for (int i = 0; i < labels.length; i++) {
                labels[i] = labelRng.nextInt(n);
            }
            trait = new CrossEntropyTrait(traitInputs, labels);
        } else {
            trait = new SquaredErrorTrait(traitInputs,
                    new Batch(c.traitSamples(), n, InputDistribution.GAUSSIAN.sample(c.traitSamples() * n, labelRng)));
        }

        Batch inputs = data != null ? data
                : new Batch(c.samples(), d, c.inputs().sample(c.samples() * d, Seeds.stream(seed, "student-inputs")));

        double[] studentInit;
        UniformRandomProvider initRng = Seeds.stream(seed, "student-init");
        switch (c.studentInit()) {
            case SAME -> studentInit = theta0.clone();
            case PERTURBED -> {
                ZigguratSampler.NormalizedGaussian g = ZigguratSampler.NormalizedGaussian.of(initRng);
                studentInit = theta0.clone();
                for (int i = 0; i < studentInit.length; i++) {
                    studentInit[i] += c.perturbation() * g.sample();
                }
            }
            case INDEPENDENT -> studentInit = c.initialization().initialize(student.layout(), initRng);
            default -> throw new AssertionError(c.studentInit());
        }
        return new CheckSetup(teacher, theta0, trait, c.epsilon(), student, studentInit, c.alpha(),
                c.imitation().build(n), inputs);
    }

    /** Runs the check. */
    public CheckResult run() {
        return TransmissionCheck.run(setup());
    }

    /** The {@code ./subliminal check} command line that reproduces this case. */
    public String commandLine() {
        CheckConfig c = config;
        StringBuilder s = new StringBuilder("./subliminal check --model ").append(c.teacher().family().cliName())
                .append(" --widths ").append(c.teacher().sizesText());
        if (c.teacher().family() == Architecture.Family.MLP) {
            s.append(" --activation ").append(c.teacher().activation().cliName());
        }
        if (c.otherArchitecture()) {
            s.append(" --student-model ").append(c.student().family().cliName())
                    .append(" --student-widths ").append(c.student().sizesText());
            if (c.student().family() == Architecture.Family.MLP) {
                s.append(" --student-activation ").append(c.student().activation().cliName());
            }
        }
        s.append(" --weights ").append(c.initialization().cliName());
        s.append(" --init ").append(c.studentInit().cliName());
        if (c.studentInit() == StudentInit.PERTURBED) {
            s.append(" --perturbation ").append(c.perturbation());
        }
        s.append(" --loss ").append(c.imitation().kind().cliName());
        if (c.imitation().kind() == ImitationSpec.Kind.CE) {
            if (c.imitation().temperature() != 1) {
                s.append(" --temperature ").append(c.imitation().temperature());
            }
            if (c.imitation().distilled() != 0) {
                s.append(" --distill ").append(c.imitation().distilled());
            }
        }
        s.append(" --trait ").append(c.trait().cliName()).append(" --trait-samples ").append(c.traitSamples());
        if (data == null) {
            s.append(" --inputs ").append(c.inputs().cliName()).append(" --samples ").append(c.samples());
        } else {
            s.append(" --data FILE");
        }
        s.append(" --epsilon ").append(c.epsilon()).append(" --alpha ").append(c.alpha()).append(" --seed ").append(seed);
        return s.toString();
    }

    @Override
    public String toString() {
        return commandLine();
    }
}
