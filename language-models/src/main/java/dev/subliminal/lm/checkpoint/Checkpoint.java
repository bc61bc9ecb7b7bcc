package dev.subliminal.lm.checkpoint;

import dev.subliminal.lm.io.FormatException;
import dev.subliminal.lm.safetensors.DType;
import dev.subliminal.lm.safetensors.SafetensorsWriter;
import dev.subliminal.lm.safetensors.TensorInfo;
import dev.subliminal.lm.safetensors.TensorSource;
import dev.subliminal.lm.safetensors.WeightFolder;
import dev.subliminal.lm.transformer.TransformerConfig;
import dev.subliminal.theory.param.ParameterLayout;
import dev.subliminal.theory.param.TensorSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A Hugging Face checkpoint folder: {@code config.json} plus weights ({@code model.safetensors} or
 * shards with {@code model.safetensors.index.json}), read into or written from a flat θ ∈ R^p laid
 * out by a {@link ParameterLayout} whose tensor names are Hugging Face's.
 *
 * <p>Loading is by name and exact shape: every tensor of the layout must be in the checkpoint with
 * its shape (GPT-2 names may carry the {@code transformer.} prefix that {@code GPT2LMHeadModel}
 * adds); the only tensors a checkpoint may hold beyond the layout are non-parameter buffers
 * (GPT-2's causal masks {@code attn.bias} and {@code attn.masked_bias}, Llama's
 * {@code rotary_emb.inv_freq}) and, for tied embeddings, an {@code lm_head.weight} equal to the
 * input embedding. Anything else is an error naming the tensor, so that a checkpoint never loads
 * half-matched.
 */
public final class Checkpoint implements AutoCloseable {

    /** The configuration file of a folder. */
    public static final String CONFIG = "config.json";
    private static final Pattern GPT2_BUFFER = Pattern.compile("(transformer\\.)?h\\.\\d+\\.attn\\.(masked_)?bias");
    private static final Pattern LLAMA_BUFFER = Pattern.compile("model\\.layers\\.\\d+\\.self_attn\\.rotary_emb\\.inv_freq");

    private final Path folder;
    private final HfConfig hfConfig;
    private final TensorSource weights;

    private Checkpoint(Path folder, HfConfig hfConfig, TensorSource weights) {
        this.folder = folder;
        this.hfConfig = hfConfig;
        this.weights = weights;
    }

    /** Opens a folder: parses {@code config.json} and opens (maps) its weights. */
    public static Checkpoint read(Path folder) {
        if (!Files.isDirectory(folder)) {
            throw new FormatException(FormatException.name(folder), "is not a folder");
        }
        Path config = folder.resolve(CONFIG);
        if (!Files.exists(config)) {
            throw new FormatException(FormatException.name(folder), "has no " + CONFIG);
        }
        HfConfig hf = HfConfig.read(config);
        return new Checkpoint(folder, hf, WeightFolder.open(folder));
    }

    /** The folder. */
    public Path folder() {
        return folder;
    }

    /** {@code config.json} as read. */
    public HfConfig hfConfig() {
        return hfConfig;
    }

    /** The transformer's shape. */
    public TransformerConfig config() {
        return hfConfig.config();
    }

    /** The raw tensors, for inspection. */
    public TensorSource weights() {
        return weights;
    }

    /** θ for {@code layout}, converted to double (exact from F16, BF16 and F32). */
    public double[] load(ParameterLayout layout) {
        List<Match> matches = match(layout); // before allocating: a config.json may claim more than the files hold
        double[] theta = new double[layout.size()];
        for (Match m : matches) {
            weights.read(m.stored, theta, m.spec.offset());
        }
        return theta;
    }

    /** θ for {@code layout} as float (exact from F16, BF16 and F32; F64 rounds to nearest). */
    public float[] loadFloats(ParameterLayout layout) {
        List<Match> matches = match(layout); // before allocating: a config.json may claim more than the files hold
        float[] theta = new float[layout.size()];
        for (Match m : matches) {
            weights.read(m.stored, theta, m.spec.offset());
        }
        return theta;
    }

    private record Match(TensorSpec spec, String stored) {
    }

    private List<Match> match(ParameterLayout layout) {
        boolean gpt2 = config().layout() == TransformerConfig.Layout.GPT2;
        List<Match> matches = new ArrayList<>();
        Set<String> used = new HashSet<>();
        for (TensorSpec spec : layout.tensors()) {
            String name = spec.name();
            TensorInfo t = weights.find(name);
            if (gpt2) {
                TensorInfo prefixed = weights.find("transformer." + name);
                if (t != null && prefixed != null) {
                    throw new FormatException(weights.fileOf(name), name, "is stored both with and without the"
                            + " transformer. prefix");
                }
                if (t == null && prefixed != null) {
                    t = prefixed;
                }
            }
            if (t == null) {
                throw new FormatException(weights.source(), name, "is missing from the checkpoint (expected shape "
                        + Arrays.toString(spec.shape()) + ")");
            }
            if (!t.hasShape(spec.shape())) {
                throw new FormatException(weights.fileOf(t.name()), t.name(), "has shape " + Arrays.toString(t.shape())
                        + ", expected " + Arrays.toString(spec.shape()));
            }
            if (!t.dtype().isFloating()) {
                throw new FormatException(weights.fileOf(t.name()), t.name(), "has dtype " + t.dtype()
                        + ", not a floating type");
            }
            matches.add(new Match(spec, t.name()));
            used.add(t.name());
        }
        for (TensorInfo t : weights.tensors()) {
            if (used.contains(t.name())) {
                continue;
            }
            String n = t.name();
            if (gpt2 ? GPT2_BUFFER.matcher(n).matches() : LLAMA_BUFFER.matcher(n).matches()) {
                continue; // a buffer (causal mask, rotary frequencies), not a parameter
            }
            if (n.equals("lm_head.weight") && config().tiedEmbeddings()) {
                requireTiedCopy(t, gpt2, used);
                continue;
            }
            throw new FormatException(weights.fileOf(n), n, "is not a parameter of the model (unexpected tensor)");
        }
        return matches;
    }

    private void requireTiedCopy(TensorInfo head, boolean gpt2, Set<String> used) {
        String embedding = gpt2 ? (used.contains("wte.weight") ? "wte.weight" : "transformer.wte.weight")
                : "model.embed_tokens.weight";
        TensorInfo e = weights.find(embedding);
        if (e == null || !Arrays.equals(e.shape(), head.shape())
                || !Arrays.equals(weights.readDoubles(embedding), weights.readDoubles(head.name()))) {
            throw new FormatException(weights.fileOf(head.name()), head.name(), "differs from the tied embedding "
                    + embedding + "; config.json says tie_word_embeddings");
        }
    }

    @Override
    public void close() {
        weights.close();
    }

    /**
     * Writes θ as a checkpoint folder under its natural {@code model_type}, in one file up to 5 GB;
     * refuses to replace an existing checkpoint.
     */
    public static List<Path> write(Path folder, TransformerConfig config, ParameterLayout layout, double[] theta,
            DType dtype) {
        return write(folder, HfConfig.of(config), layout, theta, dtype, WeightFolder.DEFAULT_MAX_SHARD_BYTES, false);
    }

    /**
     * Writes θ as a checkpoint folder: the weights (one file, or shards of at most
     * {@code maxShardBytes} and the index) stored as {@code dtype}, then {@code config.json}. The
     * folder is created if needed; an existing checkpoint in it is an error unless {@code replace};
     * a folder being read is always refused.
     *
     * @return the files written, {@code config.json} last
     */
    public static List<Path> write(Path folder, HfConfig config, ParameterLayout layout, double[] theta, DType dtype,
            long maxShardBytes, boolean replace) {
        layout.requireVector(theta, "θ");
        if (!dtype.isFloating()) {
            throw new IllegalArgumentException("parameters cannot be stored as " + dtype);
        }
        try {
            Files.createDirectories(folder);
        } catch (IOException e) {
            throw new FormatException(FormatException.name(folder), null, "cannot be created: " + e.getMessage(), e);
        }
        Path configFile = folder.resolve(CONFIG);
        if (!replace && Files.exists(configFile)) {
            throw new FormatException(FormatException.name(folder), "already holds a checkpoint (" + CONFIG
                    + "); refusing to replace it");
        }
        List<SafetensorsWriter.Entry> entries = new ArrayList<>();
        for (TensorSpec t : layout.tensors()) {
            entries.add(new SafetensorsWriter.Entry(t.name(), dtype, t.shape(), theta, t.offset()));
        }
        List<Path> written = new ArrayList<>(WeightFolder.write(folder, entries, Map.of("format", "pt"), maxShardBytes,
                replace));
        config.write(configFile, dtype, replace);
        written.add(configFile);
        return written;
    }
}
