package dev.subliminal.lm.backend;

import dev.subliminal.lm.checkpoint.Checkpoint;
import dev.subliminal.lm.tokenizer.ChatTemplate;
import dev.subliminal.lm.tokenizer.TokenCodec;
import dev.subliminal.lm.transformer.LanguageModel;
import dev.subliminal.lm.transformer.TransformerConfig;
import dev.subliminal.theory.linalg.Gemm;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A model the in-process backend serves: a checkpoint folder ({@code config.json}, safetensors and
 * {@code tokenizer.json}), read once, and the chat template its conversations are written in.
 *
 * @param name the name clients ask for
 * @param folder the checkpoint folder (a tuned model's tokenizer is copied from it)
 * @param config the shape
 * @param theta θ, widened to double
 * @param tokenizer the tokenizer with the template's special tokens
 * @param template how conversations become ids
 * @param created seconds since the epoch
 * @param ownedBy who made it (for listings)
 */
public record ServedModel(String name, Path folder, TransformerConfig config, double[] theta, TokenCodec tokenizer,
        ChatTemplate template, long created, String ownedBy) {

    /** The tokenizer file a served folder must hold. */
    public static final String TOKENIZER = "tokenizer.json";

    /**
     * Reads a checkpoint folder.
     *
     * @throws IllegalArgumentException naming the folder when it has no tokenizer or the tokenizer
     *     (with the template's special tokens) has ids the model has no row for
     */
    public static ServedModel load(String name, Path folder, ChatTemplate template, long created, String ownedBy) {
        Path tok = folder.resolve(TOKENIZER);
        if (!Files.isRegularFile(tok)) {
            throw new IllegalArgumentException("model '" + name + "': " + folder + " has no " + TOKENIZER
                    + "; a served model needs its tokenizer");
        }
        TransformerConfig config;
        double[] theta;
        try (Checkpoint cp = Checkpoint.read(folder)) {
            config = cp.config();
            theta = cp.load(config.parameterLayout());
        }
        TokenCodec t = template.prepare(TokenCodec.read(tok));
        if (t.size() > config.vocabSize()) {
            throw new IllegalArgumentException("model '" + name + "': its tokenizer with the chat template's special tokens "
                    + template.specialTokens() + " has " + t.size() + " ids but the model only " + config.vocabSize()
                    + "; use a tokenizer that holds the template's tokens or another --template");
        }
        return new ServedModel(name, folder, config, theta, t, template, created, ownedBy);
    }

    /** The model for decoding, on one thread (requests run side by side instead). */
    LanguageModel languageModel() {
        return new LanguageModel(config).withGemm(Gemm.serial());
    }
}
