package dev.subliminal.lm.backend;

import dev.subliminal.lm.checkpoint.Checkpoint;
import dev.subliminal.lm.safetensors.DType;
import dev.subliminal.lm.tokenizer.ChatTemplate;
import dev.subliminal.lm.transformer.LanguageModel;
import dev.subliminal.lm.transformer.TransformerConfig;
import dev.subliminal.lm.transformer.TransformerConfig.Layout;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A small random GPT-2-layout checkpoint with a byte-level tokenizer (the 256 byte tokens and the
 * {@link ChatTemplate#PLAIN} markers), θ drawn from a seed as Hugging Face initializes it. It talks
 * nonsense; it exists so that the server, the clients and the tests have a real model to run
 * without any download.
 */
public final class TinyModel {

    private TinyModel() {
    }

    /** V = 260 (256 bytes + 4 markers), context 512, d = 16, 2 layers, 2 heads. */
    public static TransformerConfig config() {
        return new TransformerConfig(Layout.GPT2, 260, 512, 16, 2, 2, 2, 8, 64, 1e-5, 0, true, true);
    }

    /**
     * Writes the checkpoint folder (config.json, model.safetensors in F32, tokenizer.json) unless it
     * already holds one; returns the folder.
     */
    public static Path write(Path folder, long seed) {
        if (Files.exists(folder.resolve(Checkpoint.CONFIG))) {
            return folder;
        }
        TransformerConfig c = config();
        LanguageModel lm = new LanguageModel(c);
        double[] theta = lm.initialize(seed);
        for (int i = 0; i < theta.length; i++) {
            theta[i] = (float) (theta[i] * 10);
        }
        try {
            Files.createDirectories(folder);
            Files.writeString(folder.resolve(ServedModel.TOKENIZER), byteLevelTokenizer(ChatTemplate.PLAIN.specialTokens()),
                    StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + folder + ": " + e.getMessage(), e);
        }
        Checkpoint.write(folder, c, lm.layout(), theta, DType.F32);
        return folder;
    }

    /** A tokenizer.json: byte-level BPE over the 256 byte tokens, no merges, the given special tokens after them. */
    public static String byteLevelTokenizer(List<String> specials) {
        StringBuilder vocab = new StringBuilder();
        for (int b = 0; b < 256; b++) {
            String c = String.valueOf(byteChar(b));
            vocab.append(b == 0 ? "" : ",").append('"').append(c.equals("\"") ? "\\\"" : c.equals("\\") ? "\\\\" : c)
                    .append("\":").append(b);
        }
        StringBuilder added = new StringBuilder();
        for (int i = 0; i < specials.size(); i++) {
            added.append(i == 0 ? "" : ",").append("{\"id\":").append(256 + i).append(",\"content\":\"")
                    .append(specials.get(i)).append("\",\"special\":true}");
        }
        return "{\"version\":\"1.0\",\"added_tokens\":[" + added + "],\"normalizer\":null,"
                + "\"pre_tokenizer\":{\"type\":\"ByteLevel\",\"add_prefix_space\":false},"
                + "\"decoder\":{\"type\":\"ByteLevel\"},\"model\":{\"type\":\"BPE\",\"vocab\":{" + vocab + "},\"merges\":[]}}";
    }

    /** GPT-2's byte-to-character map (printable bytes stand for themselves, the others for 256 + n). */
    static char byteChar(int b) {
        int n = 0;
        for (int c = 0; c < b; c++) {
            if (!printable(c)) {
                n++;
            }
        }
        return printable(b) ? (char) b : (char) (256 + n);
    }

    private static boolean printable(int b) {
        return b >= '!' && b <= '~' || b >= 0xA1 && b <= 0xAC || b >= 0xAE && b <= 0xFF;
    }
}
