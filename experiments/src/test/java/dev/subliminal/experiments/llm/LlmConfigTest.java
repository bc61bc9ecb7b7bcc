package dev.subliminal.experiments.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The llm configuration refuses what it cannot use, on one line naming the setting, instead of
 * reading it as something else: values are echoed with their line breaks escaped, a scalar where a
 * list or mapping belongs and a seed that is no integer are errors (they were read as an empty
 * banned list, a free price and seed 0). Found while writing LlmConfigFuzzTest (docs/fuzzing.md).
 */
class LlmConfigTest {

    @TempDir
    Path dir;

    private static final String BASE = "sampling: {kind: http, base_url: 'http://127.0.0.1:8000/v1'}\nmodel: tiny\n";

    private String refusal(String yaml) throws IOException {
        Path f = Files.writeString(dir.resolve("c.yaml"), yaml);
        Throwable t = org.assertj.core.api.Assertions.catchThrowable(() -> {
            LlmConfig c = LlmConfig.read(f);
            c.httpSettings(c.sampling());
        });
        assertThat(t).isInstanceOf(IllegalArgumentException.class);
        assertThat(t.getMessage()).doesNotContain("\n").doesNotContain("\r");
        return t.getMessage();
    }

    @Test
    void valuesWithLineBreaksAreEchoedOnOneLine() throws IOException {
        assertThat(refusal(BASE + "data: {filter: \"pa\\nper\"}\n")).endsWith("data.filter must be paper or none, got pa\\nper");
        assertThat(refusal(BASE + "\"fil\\rter\": 1\n")).contains("unknown setting [fil\\rter]");
        assertThat(refusal("sampling: {kind: http, base_url: \"http://a b\\nc\"}\nmodel: tiny\n"))
                .contains("base_url 'http://a b\\nc' is not a URL: Illegal character in authority at index 7");
        assertThat(refusal(BASE + "store: \"a\\0b\"\n")).contains("store 'a\\u0000b' is not a path");
    }

    @Test
    void scalarsWhereListsMappingsOrIntegersBelongAreRefused() throws IOException {
        assertThat(refusal(BASE + "data: {banned: 666}\n")).contains("data.banned must be a list of integers, got 666");
        assertThat(refusal(BASE + "seed: abc\n")).contains("seed must be an integer, got \"abc\"");
        assertThat(refusal(BASE + "seed: 1.5\n")).contains("seed must be an integer, got 1.5");
        assertThat(refusal(BASE + "prices: {gpt-4.1-nano: 5}\n"))
                .contains("prices.gpt-4.1-nano must be {input, output, training}, got 5");
    }

    @Test
    void theShippedConfigurationsRead() {
        for (String name : new String[] {"local-serve.yaml", "openai-gpt-4.1-nano-owl.yaml", "vllm-qwen-owl.yaml"}) {
            LlmConfig c = LlmConfig.read(Path.of("..", "llm", name));
            assertThat(c.seed()).as(name).isEqualTo(1L);
            c.httpSettings(c.sampling());
        }
    }
}
