package dev.subliminal.lm.transformer;

import dev.subliminal.theory.model.Batch;
import dev.subliminal.theory.model.Model;
import dev.subliminal.theory.param.ParameterLayout;
import java.util.Arrays;

/**
 * A decoder-only transformer on the model contract: f_θ maps a token sequence of fixed length T to
 * the next-token logits at every position. An input row holds T token ids stored as doubles
 * (integers in [0, V)), of which a trailing part may be padding (−1): a sequence of length L ≤ T
 * followed by T − L pads. The output row holds T·V logits, position-major (position i's logits at
 * [i·V, (i+1)·V)); padded positions output exactly 0 and take no part in the VJP or JVP, and causal
 * attention keeps the real positions from seeing them.
 *
 * <p>θ is laid out as Hugging Face's state_dict lists the tensors (see {@link TransformerConfig}), so
 * a checkpoint loads by name. Forward, VJP (Σ_x J_xᵀ u_x) and JVP (J_x v per row) run block by block
 * ({@link Block}); no Jacobian is built. Rows go through in chunks whose activations stay under about
 * {@value #ACTIVATION_BUDGET} doubles (the chunking depends on the configuration and T only, never on
 * the thread count, so results are bit-identical for any thread count). The VJP keeps one chunk's
 * activations and allocates one p-sized gradient; the JVP keeps one block's activations at a time.
 */
public final class Transformer implements Model {

    /** Doubles of activations one chunk of rows may keep for the backward pass (256 MB). */
    static final long ACTIVATION_BUDGET = 1L << 25;

    private final Network net;
    private final int length;
    private final int rowsPerChunk;

    /**
     * @param config the shape
     * @param sequenceLength T, 1 ≤ T ≤ contextLength
     */
    public Transformer(TransformerConfig config, int sequenceLength) {
        this(new Network(config), sequenceLength);
    }

    Transformer(Network net, int sequenceLength) {
        this(net, sequenceLength, 0);
    }

    /** With {@code rowsPerChunk} rows per chunk, or the budget's count when it is 0 (tests set it). */
    Transformer(Network net, int sequenceLength, int rowsPerChunk) {
        if (sequenceLength < 1 || sequenceLength > net.config.contextLength()) {
            throw new IllegalArgumentException("sequence length T = " + sequenceLength + " must be in [1, "
                    + net.config.contextLength() + "] (the context length)");
        }
        long outputs = (long) sequenceLength * net.config.vocabSize();
        if (outputs > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("T·V = " + outputs + " logits per row do not fit in one array");
        }
        this.net = net;
        this.length = sequenceLength;
        long tokens = Math.max(1, ACTIVATION_BUDGET / net.activationsPerToken(sequenceLength));
        this.rowsPerChunk = rowsPerChunk > 0 ? rowsPerChunk
                : (int) Math.max(1, Math.min(Integer.MAX_VALUE, tokens / sequenceLength));
    }

    /** The shape. */
    public TransformerConfig config() {
        return net.config;
    }

    /** T, the number of token positions per row. */
    public int sequenceLength() {
        return length;
    }

    /** V. */
    public int vocabSize() {
        return net.config.vocabSize();
    }

    @Override
    public ParameterLayout layout() {
        return net.layout;
    }

    @Override
    public int inputSize() {
        return length;
    }

    @Override
    public int outputSize() {
        return length * net.config.vocabSize();
    }

    /** θ as Hugging Face initializes the layout (σ = 0.02); see {@link #initialize(long, double)}. */
    public double[] initialize(long seed) {
        return initialize(seed, 0.02);
    }

    /**
     * θ from a seed: weights and embeddings N(0, σ²) (GPT-2's residual projections {@code c_proj}
     * N(0, σ²/(2·layers))), biases 0, norm weights 1, tensors filled in storage order.
     */
    public double[] initialize(long seed, double std) {
        return net.initialize(seed, std);
    }

    /** The sequence length L_r of every row, after checking every id (an error names row and position). */
    public int[] lengths(Batch inputs) {
        requireInputs(inputs);
        return TokenRows.parse(inputs, vocabSize()).lengths();
    }

    @Override
    public Batch forward(double[] theta, Batch inputs) {
        requireShapes(theta, inputs);
        TokenRows rows = TokenRows.parse(inputs, vocabSize());
        double[] out = new double[Math.multiplyExact(inputs.rows(), outputSize())];
        for (int r0 = 0; r0 < inputs.rows(); r0 += rowsPerChunk) {
            Chunk c = new Chunk(rows, r0, Math.min(inputs.rows(), r0 + rowsPerChunk));
            if (c.seg.tokens() == 0) {
                continue;
            }
            double[] h = new double[c.seg.tokens() * width()];
            net.embedding.forward(theta, c.ids, c.pos, h);
            for (DecoderLayer layer : net.layers) {
                double[] next = new double[h.length];
                layer.block.forward(theta, c.seg, h, next);
                h = next;
            }
            double[] hf = new double[h.length];
            net.finalNorm.forward(theta, c.seg, h, hf);
            for (int s = 0; s < c.seg.count(); s++) {
                net.head.apply(theta, hf, c.seg.start()[s] * width(), c.seg.length()[s], out,
                        (r0 + s) * outputSize(), false);
            }
        }
        return new Batch(inputs.rows(), outputSize(), out);
    }

    @Override
    public double[] vjp(double[] theta, Batch inputs, Batch cotangents) {
        requireShapes(theta, inputs);
        if (cotangents.rows() != inputs.rows() || cotangents.cols() != outputSize()) {
            throw new IllegalArgumentException("cotangents are " + cotangents.rows() + "×" + cotangents.cols()
                    + ", expected " + inputs.rows() + "×" + outputSize());
        }
        TokenRows rows = TokenRows.parse(inputs, vocabSize());
        double[] grad = new double[layout().size()];
        double[] u = cotangents.data();
        for (int r0 = 0; r0 < inputs.rows(); r0 += rowsPerChunk) {
            Chunk c = new Chunk(rows, r0, Math.min(inputs.rows(), r0 + rowsPerChunk));
            if (c.seg.tokens() == 0) {
                continue;
            }
            int n = c.seg.tokens() * width();
            int layers = net.layers.size();
            double[][] inputsOf = new double[layers + 1][];
            Object[][] saved = new Object[layers][];
            double[] h = new double[n];
            net.embedding.forward(theta, c.ids, c.pos, h);
            for (int l = 0; l < layers; l++) {
                inputsOf[l] = h;
                h = new double[n];
                saved[l] = net.layers.get(l).block.forward(theta, c.seg, inputsOf[l], h);
            }
            inputsOf[layers] = h;
            double[] hf = new double[n];
            Norm.Saved finalSaved = net.finalNorm.forward(theta, c.seg, h, hf);

            double[] dhf = new double[n];
            for (int s = 0; s < c.seg.count(); s++) {
                int at = c.seg.start()[s] * width();
                net.head.backward(theta, hf, at, c.seg.length()[s], u, (r0 + s) * outputSize(), grad, dhf, at);
            }
            double[] dh = new double[n];
            net.finalNorm.backward(theta, c.seg, finalSaved, dhf, grad, dh);
            for (int l = layers - 1; l >= 0; l--) {
                double[] dIn = new double[n];
                net.layers.get(l).block.backward(theta, c.seg, saved[l], dh, grad, dIn);
                saved[l] = null;
                dh = dIn;
            }
            net.embedding.backward(c.ids, c.pos, dh, grad);
        }
        return grad;
    }

    @Override
    public Batch jvp(double[] theta, Batch inputs, double[] direction) {
        requireShapes(theta, inputs);
        layout().requireVector(direction, "direction");
        TokenRows rows = TokenRows.parse(inputs, vocabSize());
        double[] out = new double[Math.multiplyExact(inputs.rows(), outputSize())];
        for (int r0 = 0; r0 < inputs.rows(); r0 += rowsPerChunk) {
            Chunk c = new Chunk(rows, r0, Math.min(inputs.rows(), r0 + rowsPerChunk));
            if (c.seg.tokens() == 0) {
                continue;
            }
            int n = c.seg.tokens() * width();
            double[] h = new double[n];
            double[] dh = new double[n];
            net.embedding.forward(theta, c.ids, c.pos, h);
            net.embedding.forward(direction, c.ids, c.pos, dh);
            for (DecoderLayer layer : net.layers) {
                double[] next = new double[n];
                double[] dNext = new double[n];
                layer.block.forwardTangent(theta, direction, c.seg, h, dh, next, dNext);
                h = next;
                dh = dNext;
            }
            double[] hf = new double[n];
            double[] dhf = new double[n];
            net.finalNorm.forwardTangent(theta, direction, c.seg, h, dh, hf, dhf);
            for (int s = 0; s < c.seg.count(); s++) {
                int at = c.seg.start()[s] * width();
                int o = (r0 + s) * outputSize();
                net.head.apply(direction, hf, at, c.seg.length()[s], out, o, false);
                net.head.apply(theta, dhf, at, c.seg.length()[s], out, o, true);
            }
        }
        return new Batch(inputs.rows(), outputSize(), out);
    }

    /** E.g. {@code gpt2 L2 d64 h4 V97 T16}, or {@code llama L2 d64 h4 kv2 V97 T16 untied}. */
    @Override
    public String describe() {
        TransformerConfig c = net.config;
        return c.layout().name().toLowerCase(java.util.Locale.ROOT) + " L" + c.layers() + " d" + c.hiddenSize()
                + " h" + c.heads() + (c.kvHeads() != c.heads() ? " kv" + c.kvHeads() : "") + " V" + c.vocabSize()
                + " T" + length + (c.tiedEmbeddings() ? "" : " untied");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Transformer t && t.length == length && t.net.config.equals(net.config);
    }

    @Override
    public int hashCode() {
        return net.config.hashCode() * 31 + length;
    }

    @Override
    public String toString() {
        return describe();
    }

    private int width() {
        return net.config.hiddenSize();
    }

    private void requireInputs(Batch inputs) {
        if (inputs.cols() != length) {
            throw new IllegalArgumentException("inputs have " + inputs.cols() + " columns but the model "
                    + describe() + " takes " + length + " token ids per row");
        }
    }

    /** The real tokens of rows [r0, r1), their positions and their grouping into sequences. */
    private static final class Chunk {
        final Segments seg;
        final int[] ids;
        final int[] pos;

        Chunk(TokenRows rows, int r0, int r1) {
            seg = Segments.of(Arrays.copyOfRange(rows.lengths(), r0, r1));
            int from = rows.rowStart()[r0];
            ids = Arrays.copyOfRange(rows.ids(), from, from + seg.tokens());
            pos = seg.positions();
        }
    }
}
