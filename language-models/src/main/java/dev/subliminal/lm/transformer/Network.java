package dev.subliminal.lm.transformer;

import dev.subliminal.lm.transformer.Linear.Part;
import dev.subliminal.lm.transformer.Linear.Storage;
import dev.subliminal.lm.transformer.TransformerConfig.Layout;
import dev.subliminal.theory.param.ParameterLayout;
import dev.subliminal.theory.param.TensorSpec;
import dev.subliminal.theory.random.Seeds;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.distribution.ZigguratSampler;

/**
 * The parameter layout and the blocks of a transformer configuration: tensors named and shaped as
 * Hugging Face's state_dict lists them (GPT-2 without the {@code transformer.} prefix, Llama with
 * {@code model.}), and the embedding, decoder layers, final norm and head reading θ at those offsets.
 */
final class Network {

    /** How a tensor is initialized. */
    private enum Role {
        /** N(0, σ²). */
        NORMAL,
        /** N(0, σ²/(2·layers)): GPT-2's residual projections. */
        RESIDUAL,
        /** All ones: norm weights. */
        ONE,
        /** All zeros: biases. */
        ZERO
    }

    final TransformerConfig config;
    final ParameterLayout layout;
    final Embedding embedding;
    final List<DecoderLayer> layers;
    final Norm finalNorm;
    final Linear head;
    private final List<Role> roles;

    Network(TransformerConfig c) {
        this.config = c;
        Builder b = new Builder();
        int d = c.hiddenSize();
        int hd = c.headDim();
        int q = c.heads() * hd;
        int kv = c.kvHeads() * hd;
        int inter = c.intermediateSize();
        List<DecoderLayer> list = new ArrayList<>();
        CausalAttention attention = new CausalAttention(c.heads(), c.kvHeads(), hd);
        if (c.layout() == Layout.GPT2) {
            int wte = b.add("wte.weight", Role.NORMAL, c.vocabSize(), d);
            int wpe = b.add("wpe.weight", Role.NORMAL, c.contextLength(), d);
            embedding = new Embedding(d, wte, wpe);
            for (int i = 0; i < c.layers(); i++) {
                String p = "h." + i + ".";
                Norm ln1 = Norm.layerNorm(d, c.normEps(), b.add(p + "ln_1.weight", Role.ONE, d),
                        b.add(p + "ln_1.bias", Role.ZERO, d));
                Linear cAttn = conv1d(b, p + "attn.c_attn", d, 3 * d, Role.NORMAL);
                Linear cProj = conv1d(b, p + "attn.c_proj", d, d, Role.RESIDUAL);
                Norm ln2 = Norm.layerNorm(d, c.normEps(), b.add(p + "ln_2.weight", Role.ONE, d),
                        b.add(p + "ln_2.bias", Role.ZERO, d));
                Linear fc = conv1d(b, p + "mlp.c_fc", d, inter, Role.NORMAL);
                Linear proj = conv1d(b, p + "mlp.c_proj", inter, d, Role.RESIDUAL);
                list.add(new DecoderLayer(ln1, cAttn, null, attention, cProj,
                        new Chain(List.of(ln2, fc, new Gelu(inter), proj))));
            }
            finalNorm = Norm.layerNorm(d, c.normEps(), b.add("ln_f.weight", Role.ONE, d),
                    b.add("ln_f.bias", Role.ZERO, d));
            head = Linear.single(d, c.vocabSize(), Storage.LINEAR, wte, -1);
        } else {
            int embed = b.add("model.embed_tokens.weight", Role.NORMAL, c.vocabSize(), d);
            embedding = new Embedding(d, embed, -1);
            Rope rope = new Rope(hd, c.heads(), c.kvHeads(), c.ropeTheta(), c.contextLength());
            for (int i = 0; i < c.layers(); i++) {
                String p = "model.layers." + i + ".";
                List<Part> qkv = new ArrayList<>();
                for (String name : new String[] {"q_proj", "k_proj", "v_proj"}) {
                    int out = name.equals("q_proj") ? q : kv;
                    int w = b.add(p + "self_attn." + name + ".weight", Role.NORMAL, out, d);
                    int bias = c.attentionBias() ? b.add(p + "self_attn." + name + ".bias", Role.ZERO, out) : -1;
                    qkv.add(new Part(out, w, bias));
                }
                Linear o = Linear.single(q, d, Storage.LINEAR,
                        b.add(p + "self_attn.o_proj.weight", Role.NORMAL, d, q), -1);
                int gate = b.add(p + "mlp.gate_proj.weight", Role.NORMAL, inter, d);
                int up = b.add(p + "mlp.up_proj.weight", Role.NORMAL, inter, d);
                Linear gateUp = new Linear(d, Storage.LINEAR, List.of(new Part(inter, gate, -1), new Part(inter, up, -1)));
                Linear down = Linear.single(inter, d, Storage.LINEAR,
                        b.add(p + "mlp.down_proj.weight", Role.NORMAL, d, inter), -1);
                Norm in = Norm.rmsNorm(d, c.normEps(), b.add(p + "input_layernorm.weight", Role.ONE, d));
                Norm post = Norm.rmsNorm(d, c.normEps(), b.add(p + "post_attention_layernorm.weight", Role.ONE, d));
                list.add(new DecoderLayer(in, new Linear(d, Storage.LINEAR, qkv), rope, attention, o,
                        new Chain(List.of(post, gateUp, new SwiGlu(inter), down))));
            }
            finalNorm = Norm.rmsNorm(d, c.normEps(), b.add("model.norm.weight", Role.ONE, d));
            int lmHead = c.tiedEmbeddings() ? embed : b.add("lm_head.weight", Role.NORMAL, c.vocabSize(), d);
            head = Linear.single(d, c.vocabSize(), Storage.LINEAR, lmHead, -1);
        }
        layers = List.copyOf(list);
        layout = b.layout.build();
        roles = List.copyOf(b.roles);
    }

    private static Linear conv1d(Builder b, String name, int in, int out, Role role) {
        int w = b.add(name + ".weight", role, in, out);
        return Linear.single(in, out, Storage.CONV1D, w, b.add(name + ".bias", Role.ZERO, out));
    }

    /**
     * θ drawn as Hugging Face initializes these models, with standard deviation σ (their
     * {@code initializer_range}, 0.02): weights and embeddings N(0, σ²), GPT-2's residual projections
     * ({@code attn.c_proj}, {@code mlp.c_proj}) N(0, σ²/(2·layers)), biases 0, norm weights 1. Tensors are
     * filled in storage order, row-major, from the seed's "transformer-init" stream.
     */
    double[] initialize(long seed, double std) {
        if (!(std >= 0) || !Double.isFinite(std)) {
            throw new IllegalArgumentException("initialization σ = " + std + " must be finite and ≥ 0");
        }
        UniformRandomProvider rng = Seeds.stream(seed, "transformer-init");
        ZigguratSampler.NormalizedGaussian gauss = ZigguratSampler.NormalizedGaussian.of(rng);
        double[] theta = new double[layout.size()];
        double residual = std / Math.sqrt(2.0 * config.layers());
        for (int i = 0; i < roles.size(); i++) {
            TensorSpec t = layout.tensors().get(i);
            Role role = roles.get(i);
            int end = t.offset() + t.size();
            for (int k = t.offset(); k < end; k++) {
                theta[k] = switch (role) {
                    case NORMAL -> std * gauss.sample();
                    case RESIDUAL -> residual * gauss.sample();
                    case ONE -> 1;
                    case ZERO -> 0;
                };
            }
        }
        return theta;
    }

    /** Doubles of activations the backward pass keeps per token (an estimate used to size row chunks). */
    long activationsPerToken(int sequenceLength) {
        TransformerConfig c = config;
        long qkv = (long) (c.heads() + 2 * c.kvHeads()) * c.headDim();
        long mlp = c.layout() == Layout.GPT2 ? 2L * c.intermediateSize() : 3L * c.intermediateSize();
        long perLayer = 8L * c.hiddenSize() + 2 * qkv + (long) c.heads() * sequenceLength
                + (long) c.heads() * c.headDim() + mlp;
        return c.layers() * perLayer + 4L * c.hiddenSize();
    }

    /** Appends tensors and records how each is initialized. */
    private static final class Builder {
        final ParameterLayout.Builder layout = ParameterLayout.builder();
        final List<Role> roles = new ArrayList<>();
        int offset;

        int add(String name, Role role, int... shape) {
            layout.add(name, shape);
            roles.add(role);
            int at = offset;
            long size = 1;
            for (int s : shape) {
                size *= s;
            }
            offset = Math.toIntExact(offset + size);
            return at;
        }
    }
}
