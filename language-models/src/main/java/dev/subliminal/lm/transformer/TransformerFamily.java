package dev.subliminal.lm.transformer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.subliminal.lm.loss.AnswerLikelihoodTrait;
import dev.subliminal.lm.loss.PromptAnswer;
import dev.subliminal.lm.loss.SequenceImitation;
import dev.subliminal.lm.transformer.TransformerConfig.Layout;
import dev.subliminal.simulation.check.CheckConfig;
import dev.subliminal.simulation.check.CheckDomain;
import dev.subliminal.simulation.check.ImitationSpec;
import dev.subliminal.simulation.check.InputDistribution;
import dev.subliminal.simulation.check.TraitKind;
import dev.subliminal.spec.Architecture;
import dev.subliminal.spec.ArchitectureSpace;
import dev.subliminal.spec.ModelFamily;
import dev.subliminal.spec.Names;
import dev.subliminal.spec.Setting;
import dev.subliminal.spec.SettingType;
import dev.subliminal.spec.Values;
import dev.subliminal.theory.loss.ImitationLoss;
import dev.subliminal.theory.loss.SoftCrossEntropy;
import dev.subliminal.theory.loss.SquaredErrorTrait;
import dev.subliminal.theory.loss.TraitLoss;
import dev.subliminal.theory.linalg.Gemm;
import dev.subliminal.theory.loss.WeightedSquaredError;
import dev.subliminal.theory.model.Batch;
import dev.subliminal.theory.model.Model;
import dev.subliminal.theory.param.Initialization;
import dev.subliminal.theory.property.Shrink;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.distribution.ZigguratSampler;

/**
 * The family of decoder-only transformers ({@link Transformer}), named {@code transformer}: a
 * {@link TransformerConfig} given by the settings below and a sequence length T. Its inputs are
 * token sequences (d = T) and its outputs the next-token logits at every position (n = T·V), so a
 * check on it draws uniform random token ids, reads the trait as −log P(answer | prompt) of random
 * prompts and answers (or squared error on random logit targets) and imitates with the soft
 * cross-entropy of the next-token distributions position by position, over all V tokens or the last
 * K of them. θ0 is drawn as Hugging Face initializes these models (σ = {@code initStd}); the check's
 * {@code weights} setting, which names fan-in initializations of dense layers, does not apply. A gpt2
 * layout always has as many key/value heads as heads, tied embeddings and attention biases: the
 * settings that vary them apply to the llama layout only.
 */
public final class TransformerFamily implements ModelFamily {

    /** The registered name. */
    public static final String NAME = "transformer";

    public static final Setting<Layout> LAYOUT = Setting.of("layout", SettingType.choice(Layout.class), Layout.GPT2,
            "Transformer layout: gpt2 (learned positions, LayerNorm, GELU) or llama (RoPE, RMSNorm, SwiGLU)");
    public static final Setting<Integer> LAYERS = Setting.of("layers", SettingType.integer(1, 1024), 2,
            "Transformer blocks");
    public static final Setting<Integer> HIDDEN = Setting.of("hiddenSize", SettingType.integer(1, 1 << 16), 16,
            "Transformer width d");
    public static final Setting<Integer> HEADS = Setting.of("heads", SettingType.integer(1, 1024), 2,
            "Attention heads (they divide the width)");
    public static final Setting<Integer> KV_HEADS = Setting.of("kvHeads", SettingType.integer(0, 1024), 0,
            "Key/value heads of a llama layout; 0: as many as heads").appliesWhen("layout is llama",
                    v -> v.get(TransformerFamily.LAYOUT) == Layout.LLAMA);
    public static final Setting<Integer> INTERMEDIATE = Setting.of("intermediateSize", SettingType.integer(0, 1 << 20),
            0, "Width of the transformer's MLP; 0: 4 times the width");
    public static final Setting<Integer> VOCAB = Setting.of("vocab", SettingType.integer(2, 1 << 20), 32,
            "Vocabulary size V");
    public static final Setting<Integer> SEQUENCE = Setting.of("sequenceLength", SettingType.integer(1, 1 << 16), 8,
            "Tokens per input sequence T");
    public static final Setting<Double> ROPE_THETA = Setting.of("ropeTheta", SettingType.real(true), 10_000.0,
            "Base of the rotary frequencies of a llama layout").appliesWhen("layout is llama",
                    v -> v.get(TransformerFamily.LAYOUT) == Layout.LLAMA);
    public static final Setting<Boolean> TIED = Setting.of("tiedEmbeddings", SettingType.bool(), true,
            "Whether the output head is the input embedding (always for gpt2)").appliesWhen("layout is llama",
                    v -> v.get(TransformerFamily.LAYOUT) == Layout.LLAMA);
    public static final Setting<Boolean> ATTENTION_BIAS = Setting.of("attentionBias", SettingType.bool(), false,
            "Whether q, k and v projections of a llama layout carry biases (Qwen2); gpt2 always has them")
            .appliesWhen("layout is llama", v -> v.get(TransformerFamily.LAYOUT) == Layout.LLAMA);
    public static final Setting<Double> NORM_EPS = Setting.of("normEps", SettingType.real(true), 1e-5,
            "ε of the transformer's LayerNorm or RMSNorm");
    public static final Setting<Double> INIT_STD = Setting.of("initStd", SettingType.real(false), 0.02,
            "σ of the transformer's initialization (Hugging Face's initializer_range)");
    public static final Setting<Precision> PRECISION = Setting.of("precision", SettingType.choice(Precision.class),
            Precision.FLOAT64, "Arithmetic of the transformer's passes: float64, or float32 (records then carry a bound "
                    + "on the rounding error of Δ_S·Δ_T)");

    private static final List<Setting<?>> SETTINGS = List.of(LAYOUT, LAYERS, HIDDEN, HEADS, KV_HEADS, INTERMEDIATE,
            VOCAB, SEQUENCE, ROPE_THETA, TIED, ATTENTION_BIAS, NORM_EPS, INIT_STD, PRECISION);

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String summary() {
        return "decoder-only transformer (gpt2 or llama layout) over token sequences";
    }

    @Override
    public List<Setting<?>> settings() {
        return SETTINGS;
    }

    @Override
    public Architecture read(Values v) {
        Layout layout = v.get(LAYOUT);
        int d = v.get(HIDDEN);
        int heads = v.get(HEADS);
        if (d % heads != 0) {
            throw new IllegalArgumentException(HIDDEN.key() + " " + d + " is not a multiple of " + HEADS.key() + " "
                    + heads);
        }
        boolean llama = layout == Layout.LLAMA;
        int kv = !llama || v.get(KV_HEADS) == 0 ? heads : v.get(KV_HEADS);
        int inter = v.get(INTERMEDIATE) == 0 ? 4 * d : v.get(INTERMEDIATE);
        int t = v.get(SEQUENCE);
        TransformerConfig c = new TransformerConfig(layout, v.get(VOCAB), t, d, v.get(LAYERS), heads, kv, d / heads,
                inter, v.get(NORM_EPS), v.get(ROPE_THETA), !llama || v.get(TIED), !llama || v.get(ATTENTION_BIAS));
        return new Shape(c, t, v.get(INIT_STD), v.get(PRECISION));
    }

    @Override
    public Architecture fromJson(JsonNode node) {
        Values v = Values.empty();
        for (Setting<?> s : SETTINGS) {
            v = put(v, s, node.get(s.key()));
        }
        return read(v);
    }

    private static <T> Values put(Values v, Setting<T> s, JsonNode node) {
        if (node == null && s == PRECISION) {
            return v; // records written before the setting existed ran in float64, its default
        }
        if (node == null) {
            throw new IllegalArgumentException("a transformer model needs \"" + s.key() + "\"");
        }
        return v.with(s, s.fromJson(node));
    }

    /** Draws the layout, then T and V (unless given by d = T, n = T·V), depth, heads and width. */
    @Override
    public Architecture generate(UniformRandomProvider rng, ArchitectureSpace space, Io io) {
        List<Layout> layouts = space.allowed(LAYOUT, List.of(Layout.values()));
        Layout layout = layouts.get(rng.nextInt(layouts.size()));
        int t = io != null ? io.inputs() : 1 + rng.nextInt(Math.min(6, space.maxInputs() + 1));
        int vocab;
        if (io != null) {
            if (io.outputs() % t != 0 || io.outputs() / t < 2) {
                throw new IllegalArgumentException("no transformer has " + io.inputs() + " inputs and " + io.outputs()
                        + " outputs");
            }
            vocab = io.outputs() / t;
        } else {
            vocab = 2 + rng.nextInt(Math.max(1, 2 * space.maxOutputs()));
        }
        int layers = 1 + rng.nextInt(Math.min(2, space.maxDepth()));
        int heads = 1 + rng.nextInt(2);
        int headDim = 2 * (1 + rng.nextInt(Math.max(1, Math.min(4, space.maxWidth() / 2))));
        int kv = layout == Layout.LLAMA && heads == 2 && rng.nextBoolean() ? 1 : heads;
        boolean llama = layout == Layout.LLAMA;
        TransformerConfig c = new TransformerConfig(layout, vocab, t, heads * headDim, layers, heads, kv, headDim,
                2 * heads * headDim, 1e-5, 10_000, !llama || rng.nextBoolean(), !llama || rng.nextBoolean());
        return new Shape(c, t, 0.02 + 0.3 * rng.nextDouble(), Precision.FLOAT64);
    }

    @Override
    public Architecture smallest(ArchitectureSpace space, int d, int n) {
        Layout layout = space.allowed(LAYOUT, List.of(Layout.values())).get(0);
        int vocab = Math.max(2, n / d);
        TransformerConfig c = new TransformerConfig(layout, vocab, d, 2, 1, 1, 1, 2, 2, 1e-5, 10_000, true, true);
        return new Shape(c, d, 0.02, Precision.FLOAT64);
    }

    /** Fewer blocks, then a narrower MLP. */
    @Override
    public Stream<Architecture> shrink(Architecture a, ArchitectureSpace space) {
        Shape s = (Shape) a;
        TransformerConfig c = s.config;
        List<Architecture> out = new ArrayList<>();
        for (int layers : Shrink.fewer(c.layers())) {
            out.add(new Shape(with(c, layers, c.intermediateSize()), s.sequenceLength, s.initStd, s.precision));
        }
        for (int inter : Shrink.fewer(c.intermediateSize())) {
            out.add(new Shape(with(c, c.layers(), inter), s.sequenceLength, s.initStd, s.precision));
        }
        return out.stream();
    }

    private static TransformerConfig with(TransformerConfig c, int layers, int intermediate) {
        return new TransformerConfig(c.layout(), c.vocabSize(), c.contextLength(), c.hiddenSize(), layers, c.heads(),
                c.kvHeads(), c.headDim(), intermediate, c.normEps(), c.ropeTheta(), c.tiedEmbeddings(),
                c.attentionBias());
    }

    /**
     * A transformer architecture, and how a check draws its token inputs and reads its logits.
     *
     * @param config the shape (as read from settings, its context length is T; a checkpoint's may be longer)
     * @param sequenceLength T
     * @param initStd σ of the initialization
     * @param precision the arithmetic of the passes
     */
    public record Shape(TransformerConfig config, int sequenceLength, double initStd, Precision precision)
            implements Architecture, CheckDomain {

        public Shape {
            new Transformer(config, sequenceLength);
            if (!(initStd >= 0) || !Double.isFinite(initStd)) {
                throw new IllegalArgumentException(INIT_STD.key() + " = " + initStd + " must be finite and ≥ 0");
            }
            if (precision == null) {
                throw new IllegalArgumentException("a transformer needs a precision");
            }
        }

        /** A float64 shape. */
        public Shape(TransformerConfig config, int sequenceLength, double initStd) {
            this(config, sequenceLength, initStd, Precision.FLOAT64);
        }

        @Override
        public ModelFamily family() {
            return new TransformerFamily();
        }

        @Override
        public Values values() {
            TransformerConfig c = config;
            return Values.empty().with(LAYOUT, c.layout()).with(LAYERS, c.layers()).with(HIDDEN, c.hiddenSize())
                    .with(HEADS, c.heads()).with(KV_HEADS, c.kvHeads()).with(INTERMEDIATE, c.intermediateSize())
                    .with(VOCAB, c.vocabSize()).with(SEQUENCE, sequenceLength).with(ROPE_THETA, c.ropeTheta())
                    .with(TIED, c.tiedEmbeddings()).with(ATTENTION_BIAS, c.attentionBias())
                    .with(NORM_EPS, c.normEps()).with(INIT_STD, initStd).with(PRECISION, precision);
        }

        @Override
        public int inputs() {
            return sequenceLength;
        }

        @Override
        public int outputs() {
            return sequenceLength * config.vocabSize();
        }

        @Override
        public long parameterCount() {
            return build().layout().size();
        }

        /**
         * What the check holds at its largest with the student at θ0 (the theorem's case; {@code CheckConfig}
         * adds θ_S0, its outputs and its JVP for a student of its own init), p parameters and b = rows × T × V
         * logits, in bytes: 8·max(4p + 3b, 5p + b, 6p) plus the VJP's activations, at most {@link
         * Transformer#BACKWARD_BYTES}. The vectors of doubles live in the check's phases
         * ({@code TransmissionCheck.run}): θ0 and Δ_T, then
         * <ul>
         *   <li>the outputs, the JVP and the cotangents: θ_T's array (later Δ_S) and up to three batches of b
         *       doubles (f_θ0 and the JVP; f_θ0, f_θT and a cotangent; the two cotangents);</li>
         *   <li>the second VJP: Δ_S, Δ_S^c's array and a cotangent;</li>
         *   <li>the trait's values: Δ_S, Δ_S^c and the buffer for θ_S, θ_C and θ_T;</li>
         * </ul>
         * one vector more for what a pass makes on the side (in float32 the rounded θ and direction or
         * the float gradient, 4 bytes per parameter each). The trait's rows carry only their pairs'
         * positions, so their logits are small.
         */
        @Override
        public long memoryBytes(int rows) {
            long perToken = (long) config.layers() * (10L * config.hiddenSize() + (long) config.heads() * sequenceLength
                    + 3L * config.intermediateSize()) + 2L * config.vocabSize();
            long p = parameterCount();
            long b = (long) rows * sequenceLength * config.vocabSize();
            return 8L * Math.max(Math.max(4 * p + 3 * b, 5 * p + b), 6 * p)
                    + Math.min(Transformer.BACKWARD_BYTES, (long) precision.bytes() * rows * sequenceLength * perToken);
        }

        @Override
        public Model build() {
            return new Transformer(config, sequenceLength, precision, Gemm.defaults());
        }

        @Override
        public Architecture withInputsOutputs(int d, int n) {
            if (n % d != 0 || n / d < 2) {
                throw new IllegalArgumentException("a transformer with T = " + d + " has a multiple of T outputs");
            }
            TransformerConfig c = config;
            return new Shape(new TransformerConfig(c.layout(), n / d, d, c.hiddenSize(), c.layers(), c.heads(),
                    c.kvHeads(), c.headDim(), c.intermediateSize(), c.normEps(), c.ropeTheta(), c.tiedEmbeddings(),
                    c.attentionBias()), d, initStd, precision);
        }

        @Override
        public ObjectNode toJson() {
            ObjectNode o = JsonNodeFactory.instance.objectNode();
            o.put("family", NAME);
            o.setAll(values().toJson());
            return o;
        }

        @Override
        public String describe() {
            return build().describe();
        }

        // The check's domain: token sequences.

        @Override
        public String name() {
            return "token sequences";
        }

        @Override
        public void require(CheckConfig c) {
            if (c.get(CheckConfig.WEIGHTS) != CheckConfig.WEIGHTS.defaultValue()) {
                throw new IllegalArgumentException("a transformer is initialized as Hugging Face does (N(0, σ²), σ = "
                        + INIT_STD.key() + "); " + CheckConfig.WEIGHTS.key() + " does not apply");
            }
            if (!distributions().contains(c.get(CheckConfig.INPUTS))) {
                throw new IllegalArgumentException("a transformer's inputs are token sequences: use "
                        + CheckConfig.INPUTS.key() + " uniform (uniform random token ids)");
            }
        }

        @Override
        public List<InputDistribution> distributions() {
            return List.of(InputDistribution.UNIFORM);
        }

        @Override
        public int logits(int outputs) {
            return config.vocabSize();
        }

        @Override
        public double[] initialize(Initialization scheme, Model model, UniformRandomProvider rng) {
            return ((Transformer) model).initialize(rng.nextLong(), initStd);
        }

        /** Rows of T token ids uniform in [0, V). */
        @Override
        public Batch inputs(InputDistribution distribution, int rows, int d, UniformRandomProvider rng) {
            double[] ids = new double[Math.multiplyExact(rows, d)];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = rng.nextInt(config.vocabSize());
            }
            return new Batch(rows, d, ids);
        }

        /**
         * ce: −(1/K) Σ log P(a_k | p_k) with prompts of T random tokens and one random answer token;
         * mse: squared error between the logits of T random tokens and N(0, 1) targets.
         */
        @Override
        public TraitLoss trait(TraitKind kind, int count, int d, int n, UniformRandomProvider inputs,
                UniformRandomProvider labels) {
            Batch x = inputs(InputDistribution.UNIFORM, count, d, inputs);
            if (kind == TraitKind.MSE) {
                ZigguratSampler.NormalizedGaussian g = ZigguratSampler.NormalizedGaussian.of(labels);
                double[] targets = new double[Math.multiplyExact(count, n)];
                for (int i = 0; i < targets.length; i++) {
                    targets[i] = g.sample();
                }
                return new SquaredErrorTrait(x, new Batch(count, n, targets));
            }
            List<PromptAnswer> pairs = new ArrayList<>();
            for (int k = 0; k < count; k++) {
                int[] prompt = new int[d];
                for (int i = 0; i < d; i++) {
                    prompt[i] = (int) x.get(k, i);
                }
                pairs.add(new PromptAnswer(prompt, new int[] {labels.nextInt(config.vocabSize())}));
            }
            return new AnswerLikelihoodTrait(pairs);
        }

        @Override
        public ImitationLoss imitation(ImitationSpec spec, Batch studentInputs, int n) {
            if (spec.kind() == ImitationSpec.Kind.MSE) {
                return WeightedSquaredError.unit(n);
            }
            int v = config.vocabSize();
            SoftCrossEntropy perPosition = spec.distilled() == 0 || spec.distilled() == v
                    ? SoftCrossEntropy.all(spec.temperature()) : SoftCrossEntropy.lastLogits(v, spec.distilled(),
                            spec.temperature());
            return SequenceImitation.of(studentInputs, v, perPosition);
        }

        @Override
        public String toString() {
            return describe() + " " + Names.of(config.layout());
        }
    }
}
