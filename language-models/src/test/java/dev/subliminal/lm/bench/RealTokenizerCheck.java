package dev.subliminal.lm.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.subliminal.lm.io.StrictJson;
import dev.subliminal.lm.tokenizer.Tokenizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Compares this toolkit's ids for a real {@code tokenizer.json} with the reference ids written by
 * src/test/node/reference_ids.mjs (Hugging Face tokenizers.js, special tokens recognised). Not a
 * test: real tokenizer files are too large to commit. Arguments: tokenizer.json, ids.json.
 */
public final class RealTokenizerCheck {

    private RealTokenizerCheck() {
    }

    public static void main(String[] args) throws Exception {
        long t0 = System.nanoTime();
        Tokenizer t = Tokenizer.fromTokenizerJson(Path.of(args[0]));
        System.out.printf("%s: %d ids, %d special tokens, loaded in %.1f s%n", args[0], t.size(),
                t.specialTokens().size(), (System.nanoTime() - t0) / 1e9);
        JsonNode cases = StrictJson.parse(Files.readAllBytes(Path.of(args[1])), args[1]);
        int equal = 0;
        for (JsonNode c : cases) {
            String text = c.get("text").asText();
            int[] want = new int[c.get("ids").size()];
            for (int i = 0; i < want.length; i++) {
                want[i] = c.get("ids").get(i).asInt();
            }
            int[] got = t.encodeWithSpecials(text);
            if (Arrays.equals(got, want)) {
                equal++;
            } else {
                System.out.println("differs: " + text.substring(0, Math.min(50, text.length())).replace("\n", "\\n")
                        + "\n  java:      " + Arrays.toString(got) + "\n  reference: " + Arrays.toString(want));
            }
        }
        System.out.println(equal + " of " + cases.size() + " texts have the reference ids");
    }
}
