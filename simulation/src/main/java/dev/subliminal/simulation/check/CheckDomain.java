package dev.subliminal.simulation.check;

import dev.subliminal.spec.Architecture;
import dev.subliminal.theory.loss.CrossEntropyTrait;
import dev.subliminal.theory.loss.ImitationLoss;
import dev.subliminal.theory.loss.SquaredErrorTrait;
import dev.subliminal.theory.loss.TraitLoss;
import dev.subliminal.theory.model.Batch;
import org.apache.commons.rng.UniformRandomProvider;

/**
 * How a check draws a model's inputs and reads its outputs: the student's inputs x ∼ D_S, the trait
 * loss L_T on its own examples and the imitation loss ℓ. Models of real vectors use
 * {@link #REAL_VECTORS}; an {@link Architecture} that also implements this interface gives its own
 * (a language model draws token sequences and reads next-token logits position by position).
 */
public interface CheckDomain {

    /** The domain of an architecture: its own if it has one, else {@link #REAL_VECTORS}. */
    static CheckDomain of(Architecture a) {
        return a instanceof CheckDomain d ? d : REAL_VECTORS;
    }

    /** What the inputs are, e.g. {@code real vectors}: students of another architecture share it. */
    default String name() {
        return "real vectors";
    }

    /** Throws, naming the setting, if these values of the check's settings do not apply to the domain. */
    default void require(CheckConfig config) {
    }

    /** The input distributions the domain draws from. */
    default java.util.List<InputDistribution> distributions() {
        return java.util.List.of(InputDistribution.values());
    }

    /** The logits a softmax runs over, of a model with n outputs: the distilled ones are the last of them. */
    default int logits(int outputs) {
        return outputs;
    }

    /** θ for a model drawn with {@code scheme} from {@code rng}. */
    default double[] initialize(dev.subliminal.theory.param.Initialization scheme,
            dev.subliminal.theory.model.Model model, UniformRandomProvider rng) {
        return scheme.initialize(model.layout(), rng);
    }

    /** {@code rows} inputs of dimension d drawn from {@code distribution}. */
    Batch inputs(InputDistribution distribution, int rows, int d, UniformRandomProvider rng);

    /**
     * The trait loss of {@code kind} on {@code count} examples of dimension d for a model with n
     * outputs; its inputs come from {@code inputs}, its labels or targets from {@code labels}.
     */
    TraitLoss trait(TraitKind kind, int count, int d, int n, UniformRandomProvider inputs,
            UniformRandomProvider labels);

    /** The imitation loss of {@code spec} on these student inputs for a model with n outputs. */
    ImitationLoss imitation(ImitationSpec spec, Batch studentInputs, int n);

    /**
     * Real vectors: inputs with independent coordinates from the distribution; the trait is
     * cross-entropy on labels uniform in [0, n) or squared error on N(0, 1) targets, of N(0, 1) inputs;
     * imitation is squared error or soft cross-entropy on the whole output vector.
     */
    CheckDomain REAL_VECTORS = new CheckDomain() {
        @Override
        public Batch inputs(InputDistribution distribution, int rows, int d, UniformRandomProvider rng) {
            return new Batch(rows, d, distribution.sample(Math.multiplyExact(rows, d), rng));
        }

        @Override
        public TraitLoss trait(TraitKind kind, int count, int d, int n, UniformRandomProvider inputs,
                UniformRandomProvider labels) {
            Batch x = inputs(InputDistribution.GAUSSIAN, count, d, inputs);
            if (kind == TraitKind.CE) {
                int[] y = new int[count];
                for (int i = 0; i < y.length; i++) {
                    y[i] = labels.nextInt(n);
                }
                return new CrossEntropyTrait(x, y);
            }
            return new SquaredErrorTrait(x, inputs(InputDistribution.GAUSSIAN, count, n, labels));
        }

        @Override
        public ImitationLoss imitation(ImitationSpec spec, Batch studentInputs, int n) {
            return spec.build(n);
        }
    };
}
