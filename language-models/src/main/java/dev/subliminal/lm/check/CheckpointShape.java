package dev.subliminal.lm.check;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.subliminal.lm.loss.AnswerLikelihoodTrait;
import dev.subliminal.lm.loss.PromptAnswer;
import dev.subliminal.lm.loss.SequenceImitation;
import dev.subliminal.lm.transformer.TransformerFamily;
import dev.subliminal.simulation.check.CheckConfig;
import dev.subliminal.simulation.check.CheckDomain;
import dev.subliminal.simulation.check.ImitationSpec;
import dev.subliminal.simulation.check.InputDistribution;
import dev.subliminal.simulation.check.StudentInit;
import dev.subliminal.simulation.check.TraitKind;
import dev.subliminal.spec.Architecture;
import dev.subliminal.spec.ModelFamily;
import dev.subliminal.spec.Values;
import dev.subliminal.theory.loss.ImitationLoss;
import dev.subliminal.theory.loss.SoftCrossEntropy;
import dev.subliminal.theory.loss.TraitLoss;
import dev.subliminal.theory.model.Batch;
import dev.subliminal.theory.model.Model;
import dev.subliminal.theory.param.Initialization;
import java.util.List;
import org.apache.commons.rng.UniformRandomProvider;

/**
 * A transformer read from a checkpoint folder, as a check's architecture and domain: its shape comes
 * from the folder's {@code config.json} (context length included), θ0 is the folder's weights, the
 * trait is −log P(answer | prompt) averaged over the given prompt/answer pairs (token ids of texts
 * encoded with the folder's tokenizer), or over random ones as {@link TransformerFamily} draws them
 * when none are given; the imitation loss may be restricted to a vocabulary subset. The student's inputs (the imitation sequences) are given to the check as its
 * data, or drawn as random tokens. Everything else (sequence length T, the loss, the inputs' draw)
 * is the transformer family's.
 *
 * <p>The student starts at θ0 or at θ0 plus Gaussian noise; an independent init is refused (it would
 * not be the checkpoint). The record form ({@link #toJson}) is the family's plus {@code checkpoint}
 * (the folder, its model type and context length, the SHA-256 of its weight files) and the texts of
 * the trait pairs and sequences when they came from files.
 */
public final class CheckpointShape implements Architecture, CheckDomain {

    /** Where the check's data came from, for the record. */
    public record Source(String folder, String modelType, String weightsSha256, List<String[]> pairTexts,
            List<String> sequenceTexts, List<String> vocabularyTexts) {
    }

    private final TransformerFamily.Shape shape;
    private final double[] theta;
    private final List<PromptAnswer> pairs;
    private final int[] subset;
    private final Source source;

    /**
     * @param shape the transformer (its configuration is the checkpoint's, T the check's)
     * @param theta θ0, the checkpoint's weights in the shape's layout
     * @param pairs the trait's prompt/answer pairs, or null to draw random ones
     * @param subset the vocabulary subset S of the imitation loss (strictly increasing ids), or null for all
     * @param source the folder and texts, for the record
     */
    public CheckpointShape(TransformerFamily.Shape shape, double[] theta, List<PromptAnswer> pairs, int[] subset,
            Source source) {
        shape.build().layout().requireVector(theta, "the checkpoint's θ");
        if (subset != null) {
            new SoftCrossEntropy(1, subset);
            if (subset[subset.length - 1] >= shape.config().vocabSize()) {
                throw new IllegalArgumentException("vocabulary subset id " + subset[subset.length - 1]
                        + " is out of range for V = " + shape.config().vocabSize());
            }
        }
        this.shape = shape;
        this.theta = theta;
        this.pairs = pairs == null ? null : List.copyOf(pairs);
        this.subset = subset == null ? null : subset.clone();
        this.source = source;
    }

    /** The transformer shape. */
    public TransformerFamily.Shape shape() {
        return shape;
    }

    /** The trait pairs from the files, or null. */
    public List<PromptAnswer> pairs() {
        return pairs;
    }

    @Override
    public ModelFamily family() {
        return shape.family();
    }

    @Override
    public Values values() {
        return shape.values();
    }

    @Override
    public int inputs() {
        return shape.inputs();
    }

    @Override
    public int outputs() {
        return shape.outputs();
    }

    @Override
    public long parameterCount() {
        return theta.length;
    }

    @Override
    public long memoryBytes(int rows) {
        return shape.memoryBytes(rows);
    }

    @Override
    public Model build() {
        return shape.build();
    }

    @Override
    public Architecture withInputsOutputs(int d, int n) {
        throw new IllegalArgumentException("a checkpoint's transformer keeps its vocabulary; T comes from the data");
    }

    @Override
    public ObjectNode toJson() {
        ObjectNode o = shape.toJson();
        ObjectNode c = o.putObject("checkpoint");
        c.put("folder", source.folder());
        c.put("modelType", source.modelType());
        c.put("contextLength", shape.config().contextLength());
        c.put("weightsSha256", source.weightsSha256());
        if (source.pairTexts() != null) {
            ArrayNode a = o.putArray("traitTexts");
            for (String[] p : source.pairTexts()) {
                a.addObject().put("prompt", p[0]).put("answer", p[1]);
            }
        }
        if (source.sequenceTexts() != null) {
            ArrayNode a = o.putArray("sequenceTexts");
            source.sequenceTexts().forEach(a::add);
        }
        if (source.vocabularyTexts() != null) {
            ArrayNode a = o.putArray("vocabularyTexts");
            source.vocabularyTexts().forEach(a::add);
        }
        return o;
    }

    @Override
    public String describe() {
        return shape.describe() + " from " + source.folder();
    }

    @Override
    public String toString() {
        return describe();
    }

    // The check's domain.

    @Override
    public String name() {
        return shape.name();
    }

    @Override
    public void require(CheckConfig c) {
        shape.require(c);
        if (c.get(CheckConfig.INIT) == StudentInit.INDEPENDENT) {
            throw new IllegalArgumentException("a checkpoint gives θ0: use " + CheckConfig.INIT.key()
                    + " same or perturbed (an independent init would not be the checkpoint)");
        }
        if (subset != null && (c.get(CheckConfig.LOSS) != ImitationSpec.Kind.CE || c.get(CheckConfig.DISTILL) != 0)) {
            throw new IllegalArgumentException("a vocabulary subset restricts the soft cross-entropy: use "
                    + CheckConfig.LOSS.key() + " ce without " + CheckConfig.DISTILL.key());
        }
        if (pairs != null && c.get(CheckConfig.TRAIT) != TraitKind.CE) {
            throw new IllegalArgumentException("trait pairs from a file define the answer-likelihood trait: use "
                    + CheckConfig.TRAIT.key() + " ce");
        }
    }

    @Override
    public List<InputDistribution> distributions() {
        return shape.distributions();
    }

    @Override
    public int logits(int outputs) {
        return shape.logits(outputs);
    }

    /**
     * θ0 (and the starting point of a perturbed student): the checkpoint's weights, this domain's own
     * array rather than a copy (models and the check never write θ; a perturbed start is a new array).
     */
    @Override
    public double[] initialize(Initialization scheme, Model model, UniformRandomProvider rng) {
        return theta;
    }

    @Override
    public Batch inputs(InputDistribution distribution, int rows, int d, UniformRandomProvider rng) {
        return shape.inputs(distribution, rows, d, rng);
    }

    @Override
    public TraitLoss trait(TraitKind kind, int count, int d, int n, UniformRandomProvider inputs,
            UniformRandomProvider labels) {
        return pairs != null ? new AnswerLikelihoodTrait(pairs) : shape.trait(kind, count, d, n, inputs, labels);
    }

    @Override
    public ImitationLoss imitation(ImitationSpec spec, Batch studentInputs, int n) {
        if (subset != null) {
            return SequenceImitation.of(studentInputs, shape.config().vocabSize(),
                    new SoftCrossEntropy(spec.temperature(), subset));
        }
        return shape.imitation(spec, studentInputs, n);
    }
}
