package dev.subliminal.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.subliminal.experiments.llm.LlmConfig;
import java.nio.file.Path;

/**
 * The configuration of {@code subliminal llm CONFIG} (YAML, docs/llm.md) through
 * {@link LlmConfig#read(Path)}, and the settings of each {@code http} section (sampling, tuning) as
 * the command builds its client from them ({@link LlmConfig#httpSettings}).
 */
class LlmConfigFuzzTest {

    private static final int MAX_INPUT = 1 << 16;

    static {
        Warm.up(() -> LlmConfig.read(Scratch.file("llm.yaml", "model: m\n".getBytes(java.nio.charset.StandardCharsets.UTF_8))));
    }

    @FuzzTest(maxDuration = "10m")
    void config(byte[] data) throws Exception {
        if (data.length > MAX_INPUT) {
            return;
        }
        Path file = Scratch.file("llm.yaml", data);
        BadInput.allowed(() -> {
            LlmConfig c = LlmConfig.read(file);
            for (var section : new com.fasterxml.jackson.databind.JsonNode[] {c.sampling(), c.tuning()}) {
                if (section.path("kind").asText("http").equals("http")) {
                    c.httpSettings(section);
                }
            }
        });
    }
}
