package dev.subliminal.lm.transformer;

import dev.subliminal.lm.transformer.DoubleLinear.Storage;
import dev.subliminal.lm.transformer.TransformerConfig.Layout;
import dev.subliminal.theory.linalg.Gemm;
import java.util.ArrayList;
import java.util.List;

/**
 * The blocks of a transformer configuration, reading θ at the offsets of its {@link ParameterPlan},
 * and the whole network's three passes over a {@link Chunk} of token sequences: embedding, decoder
 * layers and final norm give the hidden states H (N × d); the output head turns the rows of one
 * sequence into its logits Z = H Eᵀ (L × V), so a caller may handle one sequence's logits at a time.
 *
 * <ul>
 *   <li>{@link #forward}: H, keeping every layer's activations when asked (for {@link #backward});</li>
 *   <li>{@link #backward}: from dH, grad += J_θᵀ dH through the layers and the embedding;</li>
 *   <li>{@link #forwardTangent}: H and its tangent dH along v, one layer's activations alive at a time;</li>
 *   <li>{@link #logits}, {@link #logitsTangent}, {@link #logitsBackward}: the head on one sequence's rows.</li>
 * </ul>
 *
 * <p>A network may sit on a frozen base θ (LoRA): then every block reads the base, except the
 * projections the {@link Wrap} replaced, which read the adapter parameters passed as θ; the gradient
 * and the direction are the adapters'. Products and row-wise work run on the given {@link Gemm}.
 * Written in double; {@code FloatNetwork} is generated from this source.
 */
final class DoubleNetwork {

    /** Replaces a named block with parameters (a norm or a projection), e.g. to freeze it or add an adapter. */
    interface Wrap {
        /** The block to use for the tensor prefix {@code name} (e.g. {@code h.0.attn.c_attn}). */
        DoubleBlock<?> wrap(String name, DoubleBlock<?> block);
    }

    final ParameterPlan plan;
    final TransformerConfig config;
    final Gemm gemm;
    final DoubleEmbedding embedding;
    final List<DoubleDecoderLayer> layers;
    final DoubleBlock<?> finalNorm;
    final DoubleLinear head;
    /** The frozen base θ under adapters, or null when θ is the whole network's. */
    private final double[] base;

    /** The plain network: θ is the whole parameter vector. */
    DoubleNetwork(ParameterPlan plan, Gemm gemm) {
        this(plan, gemm, null, (name, block) -> block);
    }

    /**
     * @param plan the tensors
     * @param gemm the context of the products
     * @param base the frozen θ every unwrapped block reads (null: none, θ is passed to the passes)
     * @param wrap what each named norm and projection becomes
     */
    DoubleNetwork(ParameterPlan plan, Gemm gemm, double[] base, Wrap wrap) {
        this.plan = plan;
        this.config = plan.config;
        this.gemm = gemm;
        this.base = base;
        TransformerConfig c = plan.config;
        int d = c.hiddenSize();
        int hd = c.headDim();
        int inter = c.intermediateSize();
        List<DoubleDecoderLayer> list = new ArrayList<>();
        DoubleAttention attention = new DoubleAttention(gemm, c.heads(), c.kvHeads(), hd);
        if (c.layout() == Layout.GPT2) {
            embedding = new DoubleEmbedding(gemm, d, plan.offset("wte.weight"), plan.offset("wpe.weight"));
            for (int i = 0; i < c.layers(); i++) {
                String p = plan.layerPrefix(i);
                DoubleBlock<?> ln1 = wrap.wrap(p + "ln_1", layerNorm(p + "ln_1"));
                DoubleBlock<?> cAttn = wrap.wrap(p + "attn.c_attn", conv1d(p + "attn.c_attn", d, 3 * d));
                DoubleBlock<?> cProj = wrap.wrap(p + "attn.c_proj", conv1d(p + "attn.c_proj", d, d));
                DoubleBlock<?> ln2 = wrap.wrap(p + "ln_2", layerNorm(p + "ln_2"));
                DoubleBlock<?> fc = wrap.wrap(p + "mlp.c_fc", conv1d(p + "mlp.c_fc", d, inter));
                DoubleBlock<?> proj = wrap.wrap(p + "mlp.c_proj", conv1d(p + "mlp.c_proj", inter, d));
                list.add(new DoubleDecoderLayer(gemm, ln1, cAttn, null, attention, cProj,
                        new DoubleChain(List.of(ln2, fc, new DoubleGelu(gemm, inter), proj))));
            }
            finalNorm = wrap.wrap("ln_f", layerNorm("ln_f"));
        } else {
            embedding = new DoubleEmbedding(gemm, d, plan.offset("model.embed_tokens.weight"), -1);
            DoubleRope rope = new DoubleRope(gemm, c.heads(), c.kvHeads(),
                    RotaryTable.of(hd, c.ropeTheta(), c.contextLength()));
            for (int i = 0; i < c.layers(); i++) {
                String p = plan.layerPrefix(i);
                List<Part> qkv = new ArrayList<>();
                for (String name : new String[] {"q_proj", "k_proj", "v_proj"}) {
                    String t = p + "self_attn." + name;
                    qkv.add(new Part(name.equals("q_proj") ? c.heads() * hd : c.kvHeads() * hd,
                            plan.offset(t + ".weight"), plan.offsetOrNone(t + ".bias")));
                }
                DoubleBlock<?> q = wrap.wrap(p + "self_attn.qkv", new DoubleLinear(gemm, d, Storage.LINEAR, qkv));
                DoubleBlock<?> o = wrap.wrap(p + "self_attn.o_proj", linear(p + "self_attn.o_proj", c.heads() * hd, d));
                DoubleBlock<?> gateUp = wrap.wrap(p + "mlp.gate_up", new DoubleLinear(gemm, d, Storage.LINEAR,
                        List.of(new Part(inter, plan.offset(p + "mlp.gate_proj.weight"), -1),
                                new Part(inter, plan.offset(p + "mlp.up_proj.weight"), -1))));
                DoubleBlock<?> down = wrap.wrap(p + "mlp.down_proj", linear(p + "mlp.down_proj", inter, d));
                DoubleBlock<?> in = wrap.wrap(p + "input_layernorm", rmsNorm(p + "input_layernorm"));
                DoubleBlock<?> post = wrap.wrap(p + "post_attention_layernorm", rmsNorm(p + "post_attention_layernorm"));
                list.add(new DoubleDecoderLayer(gemm, in, q, rope, attention, o,
                        new DoubleChain(List.of(post, gateUp, new DoubleSwiGlu(gemm, inter), down))));
            }
            finalNorm = wrap.wrap("model.norm", rmsNorm("model.norm"));
        }
        head = DoubleLinear.single(gemm, d, c.vocabSize(), Storage.LINEAR, plan.offset(plan.headName()), -1);
        layers = List.copyOf(list);
    }

    private DoubleLinear conv1d(String name, int in, int out) {
        return DoubleLinear.single(gemm, in, out, Storage.CONV1D, plan.offset(name + ".weight"),
                plan.offset(name + ".bias"));
    }

    private DoubleLinear linear(String name, int in, int out) {
        return DoubleLinear.single(gemm, in, out, Storage.LINEAR, plan.offset(name + ".weight"), -1);
    }

    private DoubleNorm layerNorm(String name) {
        return DoubleNorm.layerNorm(gemm, config.hiddenSize(), (double) config.normEps(), plan.offset(name + ".weight"),
                plan.offset(name + ".bias"));
    }

    private DoubleNorm rmsNorm(String name) {
        return DoubleNorm.rmsNorm(gemm, config.hiddenSize(), (double) config.normEps(), plan.offset(name + ".weight"));
    }

    /** The parameters the embedding, final norm and head read: the frozen base, or θ. */
    private double[] own(double[] theta) {
        return base != null ? base : theta;
    }

    /** What the forward pass over a chunk keeps for the backward pass. */
    static final class Activations {
        final Chunk chunk;
        /** H, the final norm's output (N × d). */
        final double[] hidden;
        /** Each layer's saved state (null after {@link #backward} used it), and the final norm's. */
        final Object[] saved;
        final Object normSaved;

        Activations(Chunk chunk, double[] hidden, Object[] saved, Object normSaved) {
            this.chunk = chunk;
            this.hidden = hidden;
            this.saved = saved;
            this.normSaved = normSaved;
        }
    }

    /** H for the chunk; with {@code keep}, also what {@link #backward} needs. */
    Activations forward(double[] theta, Chunk c, boolean keep) {
        int n = c.tokens() * config.hiddenSize();
        int count = layers.size();
        Object[] saved = keep ? new Object[count] : null;
        double[] h = new double[n];
        embedding.forward(own(theta), c.ids(), c.pos(), h);
        for (int l = 0; l < count; l++) {
            double[] next = new double[n];
            Object s = layers.get(l).block.forward(theta, c.seg(), h, next);
            if (keep) {
                saved[l] = s;
            }
            h = next;
        }
        double[] hf = new double[n];
        Object normSaved = finalNorm.forward(theta, c.seg(), h, hf);
        return new Activations(c, hf, saved, keep ? normSaved : null);
    }

    /** Work on gradient run k of a chunk (see {@link Segments#gradientStarts}). */
    interface RunHook {
        void run(int k);
    }

    /**
     * grad += J_θᵀ dH from the cotangent dH of the hidden states, through the final norm, the layers
     * (last first, each layer's activations released after use) and the embedding.
     */
    void backward(double[] theta, Activations a, double[] dHidden, double[] grad) {
        backward(theta, a, dHidden, grad, k -> { });
    }

    /**
     * {@link #backward(double[], Activations, double[], double[])} over a chunk of several gradient runs,
     * with {@code beforeEmbedding} run for each run k just before the embedding's gradient of its rows:
     * a parameter both read (tied embeddings: the head's gradient) then adds up as the runs one
     * after another would.
     */
    void backward(double[] theta, Activations a, double[] dHidden, double[] grad, RunHook beforeEmbedding) {
        Chunk c = a.chunk;
        int n = c.tokens() * config.hiddenSize();
        double[] dh = new double[n];
        backward(finalNorm, theta, c.seg(), a.normSaved, dHidden, grad, dh);
        for (int l = layers.size() - 1; l >= 0; l--) {
            double[] dIn = new double[n];
            layers.get(l).block.backward(theta, c.seg(), (Object[]) a.saved[l], dh, grad, dIn);
            a.saved[l] = null;
            dh = dIn;
        }
        Segments seg = c.seg();
        for (int k = 0; k < seg.gradientRuns(); k++) {
            int from = seg.gradientFrom(k);
            int to = seg.gradientTo(k);
            if (to > from) {
                beforeEmbedding.run(k);
                if (base == null) {
                    embedding.backward(c.ids(), c.pos(), dh, grad, from, to);
                }
            }
        }
    }

    /** {H, dH}: the hidden states and their tangent along v, one block's activations alive at a time. */
    double[][] forwardTangent(double[] theta, double[] v, Chunk c) {
        int n = c.tokens() * config.hiddenSize();
        double[] h = new double[n];
        double[] dh = new double[n];
        embedding.forward(own(theta), c.ids(), c.pos(), h);
        if (base == null) {
            embedding.forward(v, c.ids(), c.pos(), dh);
        }
        for (DoubleDecoderLayer layer : layers) {
            double[] next = new double[n];
            double[] dNext = new double[n];
            layer.block.forwardTangent(theta, v, c.seg(), h, dh, next, dNext);
            h = next;
            dh = dNext;
        }
        double[] hf = new double[n];
        double[] dhf = new double[n];
        finalNorm.forwardTangent(theta, v, c.seg(), h, dh, hf, dhf);
        return new double[][] {hf, dhf};
    }

    /** Z = H_rows Eᵀ for the n rows of H from row {@code row}, written into {@code out} at {@code outOff}. */
    void logits(double[] theta, double[] hidden, int row, int n, double[] out, int outOff) {
        int d = config.hiddenSize();
        head.apply(own(theta), hidden, row * d, n, out, outOff, false);
    }

    /** dZ = dH_rows Eᵀ + H_rows dEᵀ (the second term only when the head is not frozen). */
    void logitsTangent(double[] theta, double[] v, double[] hidden, double[] dHidden, int row, int n, double[] out,
            int outOff) {
        int d = config.hiddenSize();
        head.apply(own(theta), dHidden, row * d, n, out, outOff, false);
        if (base == null) {
            head.apply(v, hidden, row * d, n, out, outOff, true);
        }
    }

    /**
     * grad E += dZᵀ H_rows (unless frozen; summed in the runs of rows that start at {@code runs}, see
     * {@link dev.subliminal.theory.linalg.Gemm#dgemmInRuns}) and dH_rows += dZ E, for dZ at {@code dzOff}.
     */
    void logitsBackward(double[] theta, double[] hidden, int row, int n, int[] runs, double[] dz, int dzOff,
            double[] grad, double[] dHidden) {
        int d = config.hiddenSize();
        head.backward(own(theta), hidden, row * d, n, runs, dz, dzOff, base == null ? grad : null, dHidden, row * d);
    }

    @SuppressWarnings("unchecked")
    private static <S> void backward(DoubleBlock<S> b, double[] theta, Segments seg, Object saved, double[] dy,
            double[] grad, double[] dx) {
        b.backward(theta, seg, (S) saved, dy, grad, dx);
    }
}
