package dev.subliminal.lm.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WordTokenizerTest {

    static final List<String> SPECIALS = List.of("<|user|>", "<|end|>");

    @Test
    void numbersAreSingleTokensAndDecodingInvertsEncoding(@TempDir Path dir) {
        WordTokenizer t = WordTokenizer.of(SPECIALS, List.of("Say only the numbers.", "owl", " owl"));
        String text = "<|user|>\nSay only the numbers.<|end|>\n[12, 345;  999] owl.";
        int[] ids = t.encode(text);
        assertThat(t.decode(ids)).isEqualTo(text);
        assertThat(t.encode(" 345")).containsExactly(t.id(" 345"));
        assertThat(t.encode("007")).containsExactly(t.id("0"), t.id("0"), t.id("7"));
        assertThat(t.id("<|user|>")).isZero();
        // three spaces are not a token: they go as three single spaces
        assertThat(t.encode("1   2")).containsExactly(t.id("1"), t.id(" "), t.id(" "), t.id(" "), t.id("2"));
        assertThat(t.decode(t.encode("1   2"))).isEqualTo("1   2");
        assertThatThrownBy(() -> t.encode("Say cat")).hasMessageContaining("' cat' is not in the vocabulary");
        assertThatThrownBy(() -> t.encode("ü")).hasMessageContaining("'ü' is not in the vocabulary");
        Path file = dir.resolve("tokenizer.json");
        t.write(file);
        assertThat(WordTokenizer.read(file)).isEqualTo(t);
        assertThat(WordTokenizer.read(file).encode(text)).containsExactly(ids);
    }
}
