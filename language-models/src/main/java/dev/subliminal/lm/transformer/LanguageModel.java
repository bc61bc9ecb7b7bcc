package dev.subliminal.lm.transformer;

import dev.subliminal.lm.loss.PromptAnswer;
import dev.subliminal.lm.loss.TeacherForcing;
import dev.subliminal.theory.linalg.Gemm;
import dev.subliminal.theory.model.Batch;
import dev.subliminal.theory.param.ParameterLayout;
import java.util.Arrays;
import java.util.List;

/**
 * A transformer configuration used as a language model: models on the contract for any sequence
 * length, incremental decoding with a key/value cache, sampling, and per-token log-probabilities.
 * θ is shared with every {@link Transformer} of the same configuration. Computes in float64, with its
 * products on a {@link Gemm} context ({@link #withGemm}; results never depend on it).
 */
public final class LanguageModel {

    private final ParameterPlan plan;
    private final DoubleNetwork net;
    private final Precision precision;

    /** A language model whose products use all processors. */
    public LanguageModel(TransformerConfig config) {
        this(new ParameterPlan(config), Gemm.defaults(), Precision.FLOAT64);
    }

    private LanguageModel(ParameterPlan plan, Gemm gemm, Precision precision) {
        this.plan = plan;
        this.net = new DoubleNetwork(plan, gemm);
        this.precision = precision;
    }

    /** The same language model with its products on another context. */
    public LanguageModel withGemm(Gemm gemm) {
        return new LanguageModel(plan, gemm, precision);
    }

    /**
     * The same language model whose {@link #model models} and {@link #logProbabilities} compute in
     * another precision (decoding with the cache stays in float64).
     */
    public LanguageModel withPrecision(Precision p) {
        return new LanguageModel(plan, net.gemm, p);
    }

    /** The shape. */
    public TransformerConfig config() {
        return net.config;
    }

    /** The named tensors of θ. */
    public ParameterLayout layout() {
        return plan.layout;
    }

    /** The model on the contract for sequences of length T. */
    public Transformer model(int sequenceLength) {
        return new Transformer(plan, sequenceLength, 0, 0, 0, precision, net.gemm);
    }

    /** θ as Hugging Face initializes the layout (σ = 0.02). */
    public double[] initialize(long seed) {
        return plan.initialize(seed, 0.02);
    }

    /** A fresh decoding session (empty cache) at θ. */
    public DecodingSession session(double[] theta) {
        return new DecodingSession(net, theta);
    }

    /**
     * Continues the prompt with at most {@code maxNewTokens} sampled tokens, using the key/value cache;
     * stops after a stop token. Returns the new tokens only.
     */
    public int[] generate(double[] theta, int[] prompt, Sampling sampling) {
        return generate(theta, prompt, sampling, token -> { });
    }

    /**
     * {@link #generate(double[], int[], Sampling)}, telling {@code onToken} each new token as soon as it
     * is drawn (for streaming); the tokens and the result are the same.
     */
    public int[] generate(double[] theta, int[] prompt, Sampling sampling, java.util.function.IntConsumer onToken) {
        requirePrompt(prompt, sampling);
        DecodingSession session = session(theta);
        double[] logits = session.feed(prompt);
        int v = net.config.vocabSize();
        int offset = (prompt.length - 1) * v;
        var rng = sampling.random();
        int[] out = new int[sampling.maxNewTokens()];
        int n = 0;
        while (n < out.length) {
            int token = sampling.next(logits, offset, v, rng);
            out[n++] = token;
            onToken.accept(token);
            if (sampling.stops(token) || n == out.length) {
                break;
            }
            logits = session.feed(token);
            offset = 0;
        }
        return Arrays.copyOf(out, n);
    }

    /**
     * The same as {@link #generate} without a cache: every step runs the full forward pass of the
     * sequence so far (the slow, obviously correct twin the cache is tested against).
     */
    public int[] generateWithoutCache(double[] theta, int[] prompt, Sampling sampling) {
        requirePrompt(prompt, sampling);
        int total = prompt.length + Math.max(sampling.maxNewTokens(), 1);
        Transformer model = model(Math.min(total, net.config.contextLength())).withPrecision(Precision.FLOAT64);
        int v = net.config.vocabSize();
        double[] row = new double[model.sequenceLength()];
        Arrays.fill(row, -1);
        for (int i = 0; i < prompt.length; i++) {
            row[i] = prompt[i];
        }
        var rng = sampling.random();
        int[] out = new int[sampling.maxNewTokens()];
        int n = 0;
        while (n < out.length) {
            int len = prompt.length + n;
            Batch z = model.forward(theta, new Batch(1, row.length, row.clone()));
            int token = sampling.next(z.data(), (len - 1) * v, v, rng);
            out[n++] = token;
            if (sampling.stops(token)) {
                break;
            }
            if (len < row.length) {
                row[len] = token;
            }
        }
        return Arrays.copyOf(out, n);
    }

    /**
     * log P_θ(c_j | prompt, c_1..c_{j−1}) for every token of the continuation, by one forward pass
     * over the prompt and the continuation (teacher forcing).
     */
    public double[] logProbabilities(double[] theta, int[] prompt, int[] continuation) {
        PromptAnswer pair = new PromptAnswer(prompt, continuation);
        if (pair.fedLength() > net.config.contextLength()) {
            throw new IllegalArgumentException("prompt and continuation need " + pair.fedLength()
                    + " positions but the context length is " + net.config.contextLength());
        }
        Transformer model = model(pair.fedLength());
        TeacherForcing tf = TeacherForcing.forModel(List.of(pair), model);
        return tf.logProbabilities(model.forward(theta, tf.inputs()));
    }

    private void requirePrompt(int[] prompt, Sampling sampling) {
        if (prompt.length == 0) {
            throw new IllegalArgumentException("generation needs a prompt of at least one token");
        }
        if (prompt.length + sampling.maxNewTokens() > net.config.contextLength()) {
            throw new IllegalArgumentException("a prompt of " + prompt.length + " tokens and " + sampling.maxNewTokens()
                    + " new tokens exceed the context length " + net.config.contextLength());
        }
        for (int s : sampling.stopIds()) {
            if (s < 0 || s >= net.config.vocabSize()) {
                throw new IllegalArgumentException("stop token " + s + " is out of range for a vocabulary of "
                        + net.config.vocabSize());
            }
        }
    }
}
