package dev.subliminal.simulation.check;

import dev.subliminal.theory.check.CheckResult;
import dev.subliminal.theory.check.CheckSetup;
import dev.subliminal.theory.check.TransmissionCheck;
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
        CheckDomain domain = CheckDomain.of(c.teacher());
        double[] theta0 = domain.initialize(c.get(CheckConfig.WEIGHTS), teacher, Seeds.stream(seed, "reference-init"));
        int traitSamples = c.get(CheckConfig.TRAIT_SAMPLES);
        int samples = c.get(CheckConfig.SAMPLES);

        TraitLoss trait = domain.trait(c.get(CheckConfig.TRAIT), traitSamples, d, n, Seeds.stream(seed, "trait-inputs"),
                Seeds.stream(seed, "trait-labels"));
        Batch inputs = data != null ? data
                : domain.inputs(c.get(CheckConfig.INPUTS), samples, d, Seeds.stream(seed, "student-inputs"));

        double[] studentInit;
        UniformRandomProvider initRng = Seeds.stream(seed, "student-init");
        switch (c.get(CheckConfig.INIT)) {
            case SAME -> studentInit = theta0; // one array: the check never writes θ, and a large θ is big
            case PERTURBED -> {
                ZigguratSampler.NormalizedGaussian g = ZigguratSampler.NormalizedGaussian.of(initRng);
                double sigma = c.get(CheckConfig.PERTURBATION);
                studentInit = theta0.clone();
                for (int i = 0; i < studentInit.length; i++) {
                    studentInit[i] += sigma * g.sample();
                }
            }
            case INDEPENDENT -> studentInit = CheckDomain.of(c.student()).initialize(c.get(CheckConfig.WEIGHTS), student,
                    initRng);
            default -> throw new AssertionError(c.get(CheckConfig.INIT));
        }
        return new CheckSetup(teacher, theta0, trait, c.get(CheckConfig.EPSILON), student, studentInit,
                c.get(CheckConfig.ALPHA),
                domain.imitation(c.imitation(), inputs, n), inputs);
    }

    /** Runs the check. */
    public CheckResult run() {
        return TransmissionCheck.run(setup());
    }

    /** The configuration's grid form and the seed. */
    @Override
    public String toString() {
        return config + " seed " + seed;
    }
}
