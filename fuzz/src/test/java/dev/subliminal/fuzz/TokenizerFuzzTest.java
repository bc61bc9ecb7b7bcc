package dev.subliminal.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.subliminal.lm.tokenizer.TiktokenEncoding;
import dev.subliminal.lm.tokenizer.Tokenizer;
import java.text.Normalizer;

/**
 * Tokenizer files through their byte entry points (docs/tokenizers.md): a Hugging Face
 * {@code tokenizer.json} and a tiktoken rank file. A tokenizer that loads must then encode a mixed
 * text (its patterns run on it) and decode it back.
 */
class TokenizerFuzzTest {

    private static final int MAX_INPUT = 1 << 16;

    /** Letters, digits, spaces of several kinds, accents, CJK, an emoji and a special-token look-alike. */
    private static final String TEXT = "Hello, world! 12345 owls\n\t  naïve café Ωμέγα 東京 🦉 <|endoftext|> 1e-4";

    @FuzzTest(maxDuration = "10m")
    void tokenizerJson(byte[] data) throws Exception {
        if (data.length > MAX_INPUT) {
            return;
        }
        BadInput.allowed(() -> roundTrip(Tokenizer.parseTokenizerJson(data, "tokenizer.json")));
    }

    /** The encoding (its pattern and special tokens) is chosen by the input's length. */
    @FuzzTest(maxDuration = "10m")
    void tiktoken(byte[] data) throws Exception {
        if (data.length > MAX_INPUT) {
            return;
        }
        TiktokenEncoding[] encodings = TiktokenEncoding.values();
        TiktokenEncoding encoding = encodings[data.length % encodings.length];
        BadInput.allowed(() -> roundTrip(Tokenizer.parseTiktoken(data, "ranks.tiktoken", encoding)));
    }

    /**
     * A byte-level BPE loses nothing but what the file asks for: NFC when it normalizes, and a space
     * before each piece with {@code add_prefix_space} (as Hugging Face's tokenizers do); so the text
     * comes back up to NFC and spaces.
     */
    private static void roundTrip(Tokenizer t) {
        String back = t.decode(t.encode(TEXT));
        String nfc = Normalizer.normalize(TEXT, Normalizer.Form.NFC);
        if (!withoutSpaces(back).equals(withoutSpaces(TEXT)) && !withoutSpaces(back).equals(withoutSpaces(nfc))) {
            throw new AssertionError("decode(encode(text)) is '" + back + "'");
        }
    }

    private static String withoutSpaces(String s) {
        return s.replace(" ", "");
    }
}
