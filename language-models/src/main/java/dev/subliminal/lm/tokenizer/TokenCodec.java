package dev.subliminal.lm.tokenizer;

import java.util.List;
import java.util.Map;

/**
 * What a chat template and a served model need from a tokenizer: plain text to ids (special tokens
 * never produced from text), ids to text, the bytes of one token, the special tokens, and the same
 * tokenizer with more special tokens. Implemented by the byte-level BPE {@link Tokenizer} and the
 * number experiment's {@link WordTokenizer}.
 */
public interface TokenCodec {

    /** The ids of plain text; special tokens are never produced, whatever the text holds. */
    int[] encode(String text);

    /** The text of some ids. */
    String decode(int[] ids);

    /** The UTF-8 bytes of one token. */
    byte[] bytesOf(int id);

    /** One more than the largest id: the number of rows an embedding table needs. */
    int size();

    /** The special tokens and their ids. */
    Map<String, Integer> specialTokens();

    /** Whether {@code id} is a special token. */
    default boolean isSpecial(int id) {
        return specialTokens().containsValue(id);
    }

    /** The id of a special token. */
    default int specialId(String token) {
        Integer id = specialTokens().get(token);
        if (id == null) {
            throw new IllegalArgumentException("'" + token + "' is not a special token of this tokenizer; it has "
                    + specialTokens().keySet());
        }
        return id;
    }

    /** This tokenizer with these special tokens too. */
    TokenCodec withSpecialTokens(List<String> tokens);

    /**
     * Reads a Hugging Face {@code tokenizer.json}: a {@code WordLevel} model as a {@link WordTokenizer},
     * anything else as a byte-level BPE {@link Tokenizer}.
     */
    static TokenCodec read(java.nio.file.Path file) {
        if (WordTokenizer.isWordLevel(file)) {
            return WordTokenizer.read(file);
        }
        return Tokenizer.fromTokenizerJson(file);
    }
}
