package dev.subliminal.lm.transformer;

import dev.subliminal.theory.linalg.Gemm;
import dev.subliminal.theory.model.Batch;
import dev.subliminal.lm.loss.ShorterRows;
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
 * ({@code DoubleBlock}); no Jacobian is built. The passes run in the model's {@link Precision}: float64
 * (the default, the blocks as written) or float32 (their generated float twins; θ, v and cotangents
 * are rounded to float once on the way in, results widened exactly on the way out). Products run on
 * the model's {@link Gemm} context ({@link #withGemm}); results never depend on its thread count.
 *
 * <p>Rows go through in chunks whose activations stay under about {@value #ACTIVATION_BUDGET} values
 * (the chunking depends on the configuration and T only, never on the thread count). The VJP's
 * chunks fix the order in which the rows' gradient sums add up. It runs as many of them through the
 * network together as {@value #BACKWARD_BYTES} bytes of activations hold (at least one; several also
 * when a shortened model keeps the chunks of the model it came from), keeping every layer's
 * activations of those rows and one p-sized gradient: the rows' own values and cotangents in one
 * taller product each (rows never add up there), each parameter's gradient one product summed chunk
 * after chunk ({@link Gemm#dgemmInRuns}), so the bits are those of the chunks one at a time, whatever
 * the precision's value size makes fit. The forward pass and the JVP keep one layer's
 * activations at a time and their rows never add up, so their chunks are larger (as many rows as one
 * layer's activations fit in the budget): fewer, taller products, the same bits as any chunking.
 */
public final class Transformer implements ShorterRows {

    /** Values of activations one chunk of rows may keep for the backward pass. */
    static final long ACTIVATION_BUDGET = 1L << 25;

    /**
     * Bytes of activations the VJP's passes may keep at once (512 MiB): as many of its chunks as fit go
     * through the network together, in taller products; each weight's gradient still sums chunk by chunk
     * ({@link Gemm#dgemmInRuns}), so this budget changes the speed and the memory, never the bits.
     */
    static final long BACKWARD_BYTES = 1L << 29;

    private final ParameterPlan plan;
    private final int length;
    private final int rowsPerChunk;
    /**
     * Rows the VJP runs through the network at once: whole chunks, as many as the budget holds (more
     * than one when a shortened model inherited its chunks from a longer one).
     */
    private final int rowsPerBackward;
    /** Rows per chunk of the forward pass and the JVP. */
    private final int rowsPerPass;
    private final Precision precision;
    private final Gemm gemm;
    private final DoubleNetwork doubles;
    private final FloatNetwork floats;

    /**
     * A float64 model on all processors.
     *
     * @param config the shape
     * @param sequenceLength T, 1 ≤ T ≤ contextLength
     */
    public Transformer(TransformerConfig config, int sequenceLength) {
        this(new ParameterPlan(config), sequenceLength, 0, 0, 0, Precision.FLOAT64, Gemm.defaults());
    }

    /** A model of this precision whose products run on {@code gemm}. */
    public Transformer(TransformerConfig config, int sequenceLength, Precision precision, Gemm gemm) {
        this(new ParameterPlan(config), sequenceLength, 0, 0, 0, precision, gemm);
    }

    /**
     * With {@code rowsPerChunk} rows per chunk of the VJP's sums, {@code rowsPerBackward} rows (a multiple
     * of it) through the VJP's passes at once and {@code rowsPerPass} per chunk of the other passes, or
     * the budget's counts where they are 0 (tests set them).
     */
    Transformer(ParameterPlan plan, int sequenceLength, int rowsPerChunk, int rowsPerBackward, int rowsPerPass,
            Precision precision, Gemm gemm) {
        if (sequenceLength < 1 || sequenceLength > plan.config.contextLength()) {
            throw new IllegalArgumentException("sequence length T = " + sequenceLength + " must be in [1, "
                    + plan.config.contextLength() + "] (the context length)");
        }
        long outputs = (long) sequenceLength * plan.config.vocabSize();
        if (outputs > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("T·V = " + outputs + " logits per row do not fit in one array");
        }
        if (precision == null || gemm == null) {
            throw new IllegalArgumentException("a transformer needs a precision and a matrix context");
        }
        this.plan = plan;
        this.length = sequenceLength;
        this.precision = precision;
        this.gemm = gemm;
        this.rowsPerChunk = rowsPerChunk > 0 ? rowsPerChunk
                : rows(plan.activationsPerToken(sequenceLength, plan.config.layers()), sequenceLength);
        this.rowsPerPass = rowsPerPass > 0 ? rowsPerPass : rows(plan.activationsPerToken(sequenceLength, 2), sequenceLength);
        int budgetRows = rows(plan.activationsPerToken(sequenceLength, plan.config.layers()) * precision.bytes(),
                BACKWARD_BYTES, sequenceLength);
        this.rowsPerBackward = this.rowsPerChunk * Math.max(1, (rowsPerBackward > 0 ? rowsPerBackward : budgetRows)
                / this.rowsPerChunk);
        this.doubles = precision == Precision.FLOAT64 ? new DoubleNetwork(plan, gemm) : null;
        this.floats = precision == Precision.FLOAT32 ? new FloatNetwork(plan, gemm) : null;
    }

    /** Rows of T tokens whose activations, {@code perToken} values each, fit in the budget (at least 1). */
    private static int rows(long perToken, int sequenceLength) {
        return rows(perToken, ACTIVATION_BUDGET, sequenceLength);
    }

    /** Rows of T tokens of {@code perToken} each (values or bytes) that fit in {@code budget} (at least 1). */
    private static int rows(long perToken, long budget, int sequenceLength) {
        long tokens = Math.max(1, budget / perToken);
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, tokens / sequenceLength));
    }

    /** The same model with its products on another context; results do not change. */
    public Transformer withGemm(Gemm context) {
        return new Transformer(plan, length, rowsPerChunk, rowsPerBackward, rowsPerPass, precision, context);
    }

    /** The same model computing in another precision. */
    public Transformer withPrecision(Precision p) {
        return new Transformer(plan, length, rowsPerChunk, rowsPerBackward, rowsPerPass, p, gemm);
    }

    /**
     * The same model on rows of {@code length} ≤ T positions, its VJP's sums cut into the same chunks of
     * rows as this one's (its passes, and the other passes, into as many rows as the budget holds at the
     * shorter length): the
     * passes run over real tokens only, so every real position's logits, the VJP and the JVP are bit for
     * bit this model's.
     */
    @Override
    public Transformer shortened(int length) {
        if (length < 1 || length > this.length) {
            throw new IllegalArgumentException("a shortened model needs 1 ≤ length ≤ T = " + this.length + ", got "
                    + length);
        }
        return length == this.length ? this : new Transformer(plan, length, rowsPerChunk, 0, 0, precision, gemm);
    }

    /** The same model with {@code rows} rows per chunk in every pass, the VJP's one chunk at a time (tests). */
    Transformer withRowsPerChunk(int rows) {
        return new Transformer(plan, length, rows, rows, rows, precision, gemm);
    }

    /** The same model with {@code rows} (whole chunks) through the VJP's passes at once (tests). */
    Transformer withBackwardRows(int rows) {
        return new Transformer(plan, length, rowsPerChunk, rows, rowsPerPass, precision, gemm);
    }

    /** The shape. */
    public TransformerConfig config() {
        return plan.config;
    }

    /** T, the number of token positions per row. */
    public int sequenceLength() {
        return length;
    }

    /** V. */
    public int vocabSize() {
        return plan.config.vocabSize();
    }

    /** The arithmetic of the passes. */
    public Precision precision() {
        return precision;
    }

    /** The context of the products. */
    public Gemm gemm() {
        return gemm;
    }

    @Override
    public ParameterLayout layout() {
        return plan.layout;
    }

    @Override
    public int inputSize() {
        return length;
    }

    @Override
    public int outputSize() {
        return length * plan.config.vocabSize();
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
        return plan.initialize(seed, std);
    }

    /**
     * {@link #initialize(long, double)} rounded to float32 entry by entry (nearest), without the double
     * θ: for float32 training, whose memory would otherwise peak at the double array.
     */
    public float[] initializeFloats(long seed, double std) {
        return plan.initializeFloats(seed, std);
    }

    /** The sequence length L_r of every row, after checking every id (an error names row and position). */
    public int[] lengths(Batch inputs) {
        requireInputs(inputs);
        return TokenRows.parse(inputs, vocabSize()).lengths();
    }

    /** Work on the chunk of rows [r0, r0 + chunk rows). */
    private interface ChunkBody {
        void run(Chunk c, int r0);
    }

    private static void eachChunk(TokenRows rows, int count, int perChunk, ChunkBody body) {
        for (int r0 = 0; r0 < count; r0 += perChunk) {
            Chunk c = Chunk.of(rows, r0, Math.min(count, r0 + perChunk));
            if (c.tokens() > 0) {
                body.run(c, r0);
            }
        }
    }

    /** Work on the logits of the {@code count} sequences [s, s + count) of a chunk, {@code tokens} real tokens. */
    private interface RunBody {
        void run(int s, int count, int tokens);
    }

    /**
     * Cuts a chunk's sequences into runs whose logits are one product: consecutive full rows (L = T, so
     * their logits lie back to back in the output) of at most {@value #ACTIVATION_BUDGET} logits
     * together, or one sequence. A logit's value does not depend on the rows beside it in a product
     * (each entry of a product is summed in one fixed order), so runs only save the repeated packing of
     * the head's V × d matrix.
     */
    private void eachRun(Chunk c, RunBody body) {
        eachRun(c, 0, c.seg().count(), body);
    }

    /**
     * {@link #eachRun} over the sequences of gradient run k of a VJP's chunk (the sequences
     * [k·rowsPerChunk, (k + 1)·rowsPerChunk)), whose head gradient sums sequence by sequence
     * ({@link #rowStarts}): the bits of one product per sequence.
     */
    private void eachRunOf(Chunk c, int k, RunBody body) {
        eachRun(c, k * rowsPerChunk, Math.min(c.seg().count(), (k + 1) * rowsPerChunk), body);
    }

    /** The first rows of {@code count} sequences of T rows back to back: 0, T, 2T, ... */
    private int[] rowStarts(int count) {
        int[] starts = new int[count];
        Arrays.setAll(starts, s -> s * length);
        return starts;
    }

    /** {@link #eachRun} over the sequences [from, to) of the chunk. */
    private void eachRun(Chunk c, int from, int to, RunBody body) {
        int[] len = c.seg().length();
        long perRow = (long) length * vocabSize();
        for (int s = from; s < to; ) {
            int k = 1;
            if (len[s] == length) {
                while (s + k < to && len[s + k] == length && (k + 1) * perRow <= ACTIVATION_BUDGET) {
                    k++;
                }
            }
            body.run(s, k, k == 1 ? len[s] : k * length);
            s += k;
        }
    }

    /** Floats of one run's logits: T·V, or up to the budget when several full rows go together. */
    private int runBuffer(int rows) {
        long perRow = (long) length * vocabSize();
        return (int) Math.max(perRow, Math.min((long) rows * perRow, ACTIVATION_BUDGET / perRow * perRow));
    }

    @Override
    public Batch forward(double[] theta, Batch inputs) {
        requireShapes(theta, inputs);
        TokenRows rows = TokenRows.parse(inputs, vocabSize());
        int n = outputSize();
        double[] out = new double[Math.multiplyExact(inputs.rows(), n)];
        if (doubles != null) {
            eachChunk(rows, inputs.rows(), rowsPerPass, (c, r0) -> {
                double[] h = doubles.forward(theta, c, false).hidden;
                eachRun(c, (s, count, tokens) -> doubles.logits(theta, h, c.seg().start()[s], tokens, out, (r0 + s) * n));
            });
        } else {
            float[] th = Floats.round(gemm, theta);
            float[] z = new float[runBuffer(inputs.rows())];
            eachChunk(rows, inputs.rows(), rowsPerPass, (c, r0) -> {
                float[] h = floats.forward(th, c, false).hidden;
                eachRun(c, (s, count, tokens) -> {
                    floats.logits(th, h, c.seg().start()[s], tokens, z, 0);
                    Floats.widen(gemm, z, 0, out, (r0 + s) * n, tokens * vocabSize());
                });
            });
        }
        return new Batch(inputs.rows(), n, out);
    }

    @Override
    public double[] vjp(double[] theta, Batch inputs, Batch cotangents) {
        return gradient(theta, inputs, cotangents, null);
    }

    /**
     * The VJP written into {@code out}: no p-sized array of doubles is made (float32 still makes its
     * rounded θ and its float gradient).
     */
    @Override
    public double[] vjp(double[] theta, Batch inputs, Batch cotangents, double[] out) {
        requireOutput(theta, out);
        return gradient(theta, inputs, cotangents, out);
    }

    /**
     * The VJP into {@code out}, or, when out is null, into a new array made where it is needed: at the
     * start in float64, and in float32 at the end, when the rounded θ is unreachable.
     */
    private double[] gradient(double[] theta, Batch inputs, Batch cotangents, double[] out) {
        requireShapes(theta, inputs);
        if (cotangents.rows() != inputs.rows() || cotangents.cols() != outputSize()) {
            throw new IllegalArgumentException("cotangents are " + cotangents.rows() + "×" + cotangents.cols()
                    + ", expected " + inputs.rows() + "×" + outputSize());
        }
        TokenRows rows = TokenRows.parse(inputs, vocabSize());
        double[] u = cotangents.data();
        int n = outputSize();
        int d = plan.config.hiddenSize();
        if (doubles != null) {
            double[] grad = out == null ? new double[layout().size()] : out;
            if (out != null) {
                Arrays.fill(out, 0.0);
            }
            eachChunk(rows, inputs.rows(), rowsPerBackward, (whole, r0) -> {
                Chunk c = whole.withGradientRuns(rowsPerChunk);
                DoubleNetwork.Activations a = doubles.forward(theta, c, true);
                double[] dh = new double[c.tokens() * d];
                eachRun(c, (s, count, tokens) -> doubles.logitsBackward(theta, a.hidden, c.seg().start()[s], tokens,
                        Products.ONE_RUN, u, (r0 + s) * n, null, dh));
                doubles.backward(theta, a, dh, grad, k -> eachRunOf(c, k, (s, count, tokens) -> doubles.logitsBackward(
                        theta, a.hidden, c.seg().start()[s], tokens, rowStarts(count), u, (r0 + s) * n, grad, null)));
            });
            return grad;
        }
        float[] grad = floatGradient(theta, inputs.rows(), rows, u);
        if (out == null) {
            return Floats.widen(gemm, grad);
        }
        Floats.widen(gemm, grad, 0, out, 0, grad.length);
        return out;
    }

    /**
     * The float32 VJP's gradient, in float. A method of its own, so that the rounded θ and the buffers
     * are unreachable while the caller widens the gradient (one p-sized double array and one float
     * array alive then, not two float arrays).
     */
    private float[] floatGradient(double[] theta, int inputRows, TokenRows rows, double[] u) {
        int n = outputSize();
        int d = plan.config.hiddenSize();
        float[] th = Floats.round(gemm, theta);
        float[] grad = new float[layout().size()];
        float[] dz = new float[runBuffer(inputRows)];
        int v = vocabSize();
        eachChunk(rows, inputRows, rowsPerBackward, (whole, r0) -> {
            Chunk c = whole.withGradientRuns(rowsPerChunk);
            FloatNetwork.Activations a = floats.forward(th, c, true);
            float[] dh = new float[c.tokens() * d];
            eachRun(c, (s, count, tokens) -> {
                Floats.round(gemm, u, (r0 + s) * n, dz, 0, tokens * v);
                floats.logitsBackward(th, a.hidden, c.seg().start()[s], tokens, Products.ONE_RUN, dz, 0, null, dh);
            });
            floats.backward(th, a, dh, grad, k -> eachRunOf(c, k, (s, count, tokens) -> {
                Floats.round(gemm, u, (r0 + s) * n, dz, 0, tokens * v);
                floats.logitsBackward(th, a.hidden, c.seg().start()[s], tokens, rowStarts(count), dz, 0, grad, null);
            }));
        });
        return grad;
    }

    @Override
    public Batch jvp(double[] theta, Batch inputs, double[] direction) {
        requireShapes(theta, inputs);
        layout().requireVector(direction, "direction");
        TokenRows rows = TokenRows.parse(inputs, vocabSize());
        int n = outputSize();
        double[] out = new double[Math.multiplyExact(inputs.rows(), n)];
        if (doubles != null) {
            eachChunk(rows, inputs.rows(), rowsPerPass, (c, r0) -> {
                double[][] h = doubles.forwardTangent(theta, direction, c);
                eachRun(c, (s, count, tokens) -> doubles.logitsTangent(theta, direction, h[0], h[1], c.seg().start()[s], tokens,
                        out, (r0 + s) * n));
            });
        } else {
            float[] th = Floats.round(gemm, theta);
            float[] v = Floats.round(gemm, direction);
            float[] z = new float[runBuffer(inputs.rows())];
            eachChunk(rows, inputs.rows(), rowsPerPass, (c, r0) -> {
                float[][] h = floats.forwardTangent(th, v, c);
                eachRun(c, (s, count, tokens) -> {
                    floats.logitsTangent(th, v, h[0], h[1], c.seg().start()[s], tokens, z, 0);
                    Floats.widen(gemm, z, 0, out, (r0 + s) * n, tokens * vocabSize());
                });
            });
        }
        return new Batch(inputs.rows(), n, out);
    }

    /**
     * E.g. {@code gpt2 L2 d64 h4 V97 T16}, or {@code llama L2 d64 h4 kv2 V97 T16 untied float32}
     * (the precision is named when it is not float64).
     */
    @Override
    public String describe() {
        TransformerConfig c = plan.config;
        return c.layout().name().toLowerCase(java.util.Locale.ROOT) + " L" + c.layers() + " d" + c.hiddenSize()
                + " h" + c.heads() + (c.kvHeads() != c.heads() ? " kv" + c.kvHeads() : "") + " V" + c.vocabSize()
                + " T" + length + (c.tiedEmbeddings() ? "" : " untied")
                + (precision == Precision.FLOAT64 ? "" : " " + precision);
    }

    /** Equal when configuration, T and precision are; the matrix context is not part of the identity. */
    @Override
    public boolean equals(Object o) {
        return o instanceof Transformer t && t.length == length && t.plan.config.equals(plan.config)
                && t.precision == precision;
    }

    @Override
    public int hashCode() {
        return (plan.config.hashCode() * 31 + length) * 31 + precision.hashCode();
    }

    @Override
    public String toString() {
        return describe();
    }

    private void requireInputs(Batch inputs) {
        if (inputs.cols() != length) {
            throw new IllegalArgumentException("inputs have " + inputs.cols() + " columns but the model "
                    + describe() + " takes " + length + " token ids per row");
        }
    }
}
