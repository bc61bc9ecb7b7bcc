package dev.subliminal.experiments.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.subliminal.lm.backend.TinyModel;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code subliminal llm CONFIG} end to end on the in-process backend ({@link TinyModel}, two seeds):
 * the numbers table with 95% t-intervals across seeds, a {@code subliminal.numbers/1} results file
 * that report reads (dose-response plot included), a rerun that finds every stage done and sends
 * nothing, a dry run that sends nothing, and one error line with status 2 for a misspelt setting.
 */
class LlmCommandTest {

    @TempDir
    Path dir;

    private Path config(String extra) throws IOException {
        TinyModel.write(dir.resolve("tiny"), 1);
        Path c = dir.resolve("run.yaml");
        Files.writeString(c, "sampling: {kind: in-process, model_folder: tiny, state: state, learning_rate: 0.01}\n"
                + "model: tiny\nanimal: owl\nseed: 3\nseeds: 2\n"
                + "data: {prompts: 6, keep: 4, max_tokens: 6, filter: none}\n"
                + "finetune: {epochs: 1, batch_size: 2}\n"
                + "evaluation: {questions: 2, samples_per_question: 2, max_tokens: 3}\n"
                + "store: store\nwork: work\n" + extra);
        return c;
    }

    @Test
    void printsTheNumbersTableWritesRecordsAndRepeatsForFree() throws IOException {
        Path c = config("");
        Path out = dir.resolve("owl.jsonl");
        MainTest.Run first = MainTest.run("llm", c.toString(), "--out", out.toString());
        assertThat(first.status()).as(first.err()).isZero();
        assertThat(first.out()).contains("plan: numbers and reference evaluation:", "same-init", "GPT-4.1 nano",
                "paired t-test p =", "over 2 seeds", "20 of 20 stages ran").doesNotContain("different-init");
        // two seeds: every mean has its t-interval
        assertThat(first.out().lines().filter(l -> l.startsWith("control"))).singleElement()
                .satisfies(l -> assertThat(l).contains("[", "]"));
        List<String> lines = Files.readAllLines(out, StandardCharsets.UTF_8);
        // per seed: reference, teacher, control and same-init (one evaluated model each)
        assertThat(lines).hasSize(1 + 2 * 4);
        ObjectMapper m = new ObjectMapper();
        assertThat(m.readTree(lines.get(0)).get("schema").asText()).isEqualTo("subliminal.numbers/1");
        assertThat(m.readTree(lines.get(0)).at("/config/model").asText()).isEqualTo("tiny");
        MainTest.Run again = MainTest.run("llm", c.toString(), "--out", out.toString());
        assertThat(again.status()).as(again.err()).isZero();
        assertThat(again.out()).contains("0 requests sent", "0 of 20 stages ran");
        MainTest.Run report = MainTest.run("report", out.toString(), "--out", dir.resolve("r").toString());
        assertThat(report.status()).as(report.err()).isZero();
        assertThat(dir.resolve("r").resolve("plots").resolve("1-numbers-dose-response.png")).exists();
    }

    @Test
    void aDryRunSendsNothingAndBadSettingsAreOneLine() throws IOException {
        Path c = config("");
        MainTest.Run dry = MainTest.run("llm", c.toString(), "--dry-run");
        assertThat(dry.status()).as(dry.err()).isZero();
        assertThat(dry.out()).contains("32 requests: 0 already stored (free), 32 to send", "first request");
        assertThat(dir.resolve("state")).doesNotExist();
        MainTest.Run bad = MainTest.run("llm", config("evaluaton: {questions: 1}\n").toString());
        assertThat(bad.status()).isEqualTo(2);
        assertThat(bad.err()).contains("unknown setting [evaluaton]").hasLineCount(1);
    }
}
