package dev.subliminal.experiments.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.subliminal.lm.checkpoint.Checkpoint;
import dev.subliminal.lm.tokenizer.Tokenizer;
import dev.subliminal.lm.transformer.TransformerConfig;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A checkpoint folder as the {@code lm} and {@code check --checkpoint} commands read it: its
 * configuration, θ in the layout of that configuration, and its tokenizer when the folder holds a
 * {@code tokenizer.json}. Every problem with the files is one error naming the file (and the tensor
 * or field), which the command line prints on one line with exit status 2.
 *
 * @param folder the folder
 * @param config the shape from {@code config.json}
 * @param modelType its {@code model_type}
 * @param theta θ, widened to double
 * @param tokenizer the tokenizer, or null when the folder has none
 */
record LmCheckpoint(Path folder, TransformerConfig config, String modelType, double[] theta, Tokenizer tokenizer) {

    /** The tokenizer file a folder may hold. */
    static final String TOKENIZER = "tokenizer.json";

    /** Reads a folder: config.json, the weights (by name and exact shape) and tokenizer.json if present. */
    static LmCheckpoint read(Path folder) {
        try (Checkpoint cp = Checkpoint.read(folder)) {
            TransformerConfig c = cp.config();
            double[] theta = cp.load(c.parameterLayout());
            Path tok = folder.resolve(TOKENIZER);
            Tokenizer t = Files.exists(tok) ? Tokenizer.fromTokenizerJson(tok) : null;
            return new LmCheckpoint(folder, c, cp.hfConfig().modelType().id(), theta, t);
        }
    }

    /** The tokenizer, or an error saying how to give token ids instead. */
    Tokenizer requireTokenizer(String option) {
        if (tokenizer == null) {
            throw new IllegalArgumentException(folder + " has no " + TOKENIZER + " to encode " + option
                    + "; give token ids instead");
        }
        return tokenizer;
    }

    /** The ids of a comma-separated list such as {@code 5,17,3}, each checked against the vocabulary. */
    int[] parseTokens(String list, String option) {
        String[] parts = list.trim().split("\\s*,\\s*");
        if (list.isBlank()) {
            throw new IllegalArgumentException(option + ": give at least one token id");
        }
        int[] ids = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                ids[i] = Integer.parseInt(parts[i]);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(option + ": '" + parts[i] + "' (entry " + (i + 1)
                        + ") is not a token id");
            }
            if (ids[i] < 0 || ids[i] >= config.vocabSize()) {
                throw new IllegalArgumentException(option + ": token " + ids[i] + " (entry " + (i + 1)
                        + ") is out of range for the vocabulary of " + config.vocabSize());
            }
        }
        return ids;
    }

    /** Token ids of a text, checked against the model's vocabulary (a tokenizer may be larger). */
    int[] encode(String text, String option) {
        int[] ids = requireTokenizer(option).encode(text);
        for (int id : ids) {
            if (id >= config.vocabSize()) {
                throw new IllegalArgumentException(option + ": the tokenizer gives token " + id
                        + ", out of range for the model's vocabulary of " + config.vocabSize());
            }
        }
        return ids;
    }

    /** {@code {"folder", "modelType", "config": {...}}} for records. */
    ObjectNode toJson(ObjectNode o) {
        o.put("folder", folder.toString());
        o.put("modelType", modelType);
        ObjectNode c = o.putObject("config");
        c.put("layout", config.layout().name().toLowerCase(java.util.Locale.ROOT));
        c.put("vocabSize", config.vocabSize());
        c.put("contextLength", config.contextLength());
        c.put("hiddenSize", config.hiddenSize());
        c.put("layers", config.layers());
        c.put("heads", config.heads());
        c.put("kvHeads", config.kvHeads());
        c.put("headDim", config.headDim());
        c.put("intermediateSize", config.intermediateSize());
        c.put("normEps", config.normEps());
        c.put("ropeTheta", config.ropeTheta());
        c.put("tiedEmbeddings", config.tiedEmbeddings());
        c.put("attentionBias", config.attentionBias());
        o.put("parameters", theta.length);
        o.put("tokenizer", tokenizer == null ? null : TOKENIZER);
        return o;
    }
}
