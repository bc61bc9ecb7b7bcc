package dev.subliminal.lm.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.subliminal.lm.io.FormatException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Malformed tokenizer files: one-line errors naming the file and the entry; no hang on hostile input. */
class MalformedTokenizerTest {

    /** A minimal valid byte-level tokenizer.json: the 256 byte tokens, one merge, one special token. */
    static String minimal(String merges, String extra) {
        StringBuilder vocab = new StringBuilder();
        for (int b = 0; b < 256; b++) {
            String c = String.valueOf(ByteLevel.charOf(b));
            vocab.append('"').append(c.equals("\"") ? "\\\"" : c.equals("\\") ? "\\\\" : c).append("\":").append(b).append(',');
        }
        vocab.append("\"ab\":256");
        return "{\"version\":\"1.0\",\"added_tokens\":[{\"id\":257,\"content\":\"<|eot|>\",\"special\":true}],"
                + "\"normalizer\":null,\"pre_tokenizer\":{\"type\":\"ByteLevel\",\"add_prefix_space\":false},"
                + "\"decoder\":{\"type\":\"ByteLevel\"},\"model\":{\"type\":\"BPE\",\"vocab\":{" + vocab + "},\"merges\":"
                + merges + extra + "}}";
    }

    @Test
    void theMinimalFileWorks() {
        Tokenizer t = Tokenizer.parseTokenizerJson(minimal("[\"a b\"]", "").getBytes(StandardCharsets.UTF_8), "t.json");
        assertThat(t.encode("abab a")).containsExactly(256, 256, ' ', 'a'); // id b is byte b here
        assertThat(t.encodeWithSpecials("ab<|eot|>")).containsExactly(256, 257);
        assertThat(t.size()).isEqualTo(258);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "merge of unknown token | [\"a q\u00e9\"] | '' | 'model.merges[0]' | not in the vocabulary",
        "merge with two spaces | [\"a  b\"] | '' | 'model.merges[0]' | not two tokens",
        "merge as number | [1] | '' | 'model.merges[0]' | must be",
        "byte fallback | [] | ,\"byte_fallback\":true | 'model.byte_fallback' | only byte-level",
        "dropout | [] | ,\"dropout\":0.1 | 'model.dropout' | random",
        "duplicate key | [] | ,\"merges\":[] | '' | Duplicate field 'merges'"})
    void modelErrors(String what, String merges, String extra, String entry, String problem) {
        assertError(minimal(merges, extra), entry, problem);
    }

    @Test
    void componentErrors() {
        String ok = minimal("[]", "");
        assertError(ok.replace("\"normalizer\":null", "\"normalizer\":{\"type\":\"Lowercase\"}"), "'normalizer'", "Lowercase");
        assertError(ok.replace("{\"type\":\"ByteLevel\",\"add_prefix_space\":false}",
                "{\"type\":\"Metaspace\",\"replacement\":\"_\"}"), "'pre_tokenizer'", "Metaspace");
        assertError(ok.replace("{\"type\":\"ByteLevel\",\"add_prefix_space\":false}", "{\"type\":\"Sequence\",\"pretokenizers\":"
                + "[{\"type\":\"Split\",\"pattern\":{\"Regex\":\"\\\\s\"},\"behavior\":\"Removed\"},{\"type\":\"ByteLevel\"}]}"),
                "'pre_tokenizer'", "Removed");
        assertError(ok.replace("{\"type\":\"ByteLevel\",\"add_prefix_space\":false}", "{\"type\":\"Sequence\",\"pretokenizers\":"
                + "[{\"type\":\"Split\",\"pattern\":{\"Regex\":\"(\"},\"behavior\":\"Isolated\"},{\"type\":\"ByteLevel\"}]}"),
                "'pre_tokenizer.pattern'", "does not compile");
        assertError(ok.replace("\"decoder\":{\"type\":\"ByteLevel\"}", "\"decoder\":{\"type\":\"WordPiece\"}"), "'decoder'", "WordPiece");
        assertError(ok.replace("\"type\":\"BPE\"", "\"type\":\"Unigram\""), "'model.type'", "Unigram");
        assertError(ok.replace("\"special\":true", "\"special\":true,\"lstrip\":true"), "'<|eot|>'", "lstrip");
        assertError(ok.replace("\"id\":257", "\"id\":65"), "'<|eot|>'", "the id of vocabulary token 'A'");
        assertError(ok.replace("\"ab\":256", "\"ab\":255"), "'model.vocab.ab'", "already the id of");
        assertError(ok.replace("\"version\":\"1.0\"", "\"version\":\"1.0\",\"extra\":1"), "'extra'", "unknown field");
        assertError(ok.replace("\"!\":33,", ""), "'model.vocab'", "no token for byte 0x21");
        assertError(ok + " trailing", "", "not valid JSON");
        String deep = "(".repeat(5000) + ")".repeat(5000);
        assertError(ok.replace("{\"type\":\"ByteLevel\",\"add_prefix_space\":false}", "{\"type\":\"Sequence\",\"pretokenizers\":"
                + "[{\"type\":\"Split\",\"pattern\":{\"Regex\":\"" + deep + "\"},\"behavior\":\"Isolated\"},{\"type\":\"ByteLevel\"}]}"),
                "'pre_tokenizer.pattern'", "");
        assertError(ok.replace("{\"type\":\"ByteLevel\",\"add_prefix_space\":false}", "{\"type\":\"Sequence\",\"pretokenizers\":"
                + "[{\"type\":\"Split\",\"pattern\":{\"Regex\":\"" + "a".repeat(20_000) + "\"},\"behavior\":\"Isolated\"},"
                + "{\"type\":\"ByteLevel\"}]}"), "'pre_tokenizer.pattern'", "longer than 10000");
    }

    private static void assertError(String json, String entry, String problem) {
        assertThatThrownBy(() -> Tokenizer.parseTokenizerJson(json.getBytes(StandardCharsets.UTF_8), "t.json"))
                .isInstanceOfSatisfying(FormatException.class, e -> assertThat(e.getMessage())
                        .startsWith("t.json: ").contains(entry).contains(problem).doesNotContain("\n"));
    }

    @Test
    void rankFileErrors() {
        String good = "IQ== 0\n";
        assertRankError("not_base64! 0\n", "'line 1'", "not valid base64");
        assertRankError(good + "Ig== x\n", "'line 2'", "not an integer");
        assertRankError(good + "IQ== 1\n", "'line 2'", "repeats token");
        assertRankError(good + "Ig== 0\n", "'line 2'", "repeats rank 0");
        assertRankError(good + "\n", "'line 2'", "base64-token rank");
        assertRankError("", "", "holds no tokens");
        assertRankError(java.util.Base64.getEncoder().encodeToString(new byte[5000]) + " 0\n", "'line 1'", "longer than 4096");
        assertRankError(good, "", "no token for byte 0x00");
    }

    private static void assertRankError(String text, String entry, String problem) {
        assertThatThrownBy(() -> Tokenizer.parseTiktoken(text.getBytes(StandardCharsets.UTF_8), "r.tiktoken",
                TiktokenEncoding.GPT2)).isInstanceOfSatisfying(FormatException.class, e -> assertThat(e.getMessage())
                        .startsWith("r.tiktoken: ").contains(entry).contains(problem).doesNotContain("\n"));
    }

    @Test
    void hugePiecesEncodeQuicklyAndExactly() {
        // a megabyte-long pre-token (no spaces) and a long whitespace run: BPE with a heap stays fast
        char[] letters = new char[1_000_000];
        Arrays.fill(letters, 'a');
        String word = new String(letters);
        long t0 = System.nanoTime();
        int[] ids = ReferenceTokenizers.GPT2_TIKTOKEN.encode(word);
        assertThat(ReferenceTokenizers.GPT2_TIKTOKEN.decode(ids)).isEqualTo(word);
        String spaces = " ".repeat(200_000) + "x";
        assertThat(ReferenceTokenizers.GPT2_HF.decode(ReferenceTokenizers.GPT2_HF.encode(spaces))).isEqualTo(spaces);
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf("1 MB word and 200 kB whitespace run encoded in %.2f s%n", seconds);
        assertThat(seconds).isLessThan(30);
    }

    @Test
    void hostilePatternsFailInsteadOfHanging() {
        for (String regex : new String[] {"((a+)+)+$", "(?:a|b)+"}) {
            String json = minimal("[]", "").replace("{\"type\":\"ByteLevel\",\"add_prefix_space\":false}",
                    "{\"type\":\"Sequence\",\"pretokenizers\":[{\"type\":\"Split\",\"pattern\":{\"Regex\":\""
                    + regex.replace("\\", "\\\\") + "\"},\"behavior\":\"Isolated\"},{\"type\":\"ByteLevel\",\"use_regex\":false}]}");
            Tokenizer t = Tokenizer.parseTokenizerJson(json.getBytes(StandardCharsets.UTF_8), "hostile.json");
            assertThat(t.decode(t.encode("aab"))).isEqualTo("aab");
            String text = "a".repeat(regex.startsWith("((a") ? 40 : 200_000) + "!";
            long t0 = System.nanoTime();
            assertThatThrownBy(() -> t.encode(text)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("pre-tokenizer pattern " + regex.replace("$", ""));
            assertThat((System.nanoTime() - t0) / 1e9).isLessThan(20);
        }
    }

    @Test
    void sparseIdsAreRefusedBeforeAnythingLargeIsAllocated() {
        assertError(minimal("[]", "").replace("\"id\":257", "\"id\":2147483000"), "'model.vocab'", "token ids are sparse");
    }

    @Test
    void unknownIdsAreErrors() {
        assertThatThrownBy(() -> ReferenceTokenizers.GPT2_HF.decode(new int[] {50257}))
                .hasMessageContaining("token id 50257 is not in the vocabulary");
        assertThatThrownBy(() -> ReferenceTokenizers.GPT2_HF.decode(new int[] {-1})).hasMessageContaining("token id -1");
    }
}
