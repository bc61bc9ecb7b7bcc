package dev.subliminal.experiments.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.subliminal.lm.backend.Backend;
import dev.subliminal.lm.backend.InProcessBackend;
import dev.subliminal.lm.backend.ServedModel;
import dev.subliminal.lm.backend.TinyModel;
import dev.subliminal.lm.serve.OpenAiServer;
import dev.subliminal.lm.tokenizer.ChatTemplate;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end: a small pipeline through the HTTP backend against {@code serve} on a free loopback
 * port gives the same table (kept counts, tuned model names, every arm's counts) as the same
 * configuration run in-process; a rerun reads every answer from the store and sends nothing.
 * Model: {@link TinyModel} from seed 1 (random weights, so the filter is off: it writes no numbers).
 */
class LlmPipelineTest {

    @TempDir
    Path dir;

    static final String SIZES = "model: tiny\nanimal: owl\nseed: 5\n"
            + "data: {prompts: 8, keep: 4, max_tokens: 8, filter: none}\n"
            + "finetune: {epochs: 1, batch_size: 2}\n"
            + "evaluation: {questions: 2, samples_per_question: 3, max_tokens: 4}\n";

    private LlmConfig config(String backend, String store) throws Exception {
        JsonNode tree = new YAMLMapper().readTree(backend + SIZES + "store: " + store + "\n");
        return LlmConfig.of(tree, dir);
    }

    private static LlmPipeline.Result run(LlmConfig c, Backend b) {
        StringWriter s = new StringWriter();
        LlmPipeline.Result r = new LlmPipeline(c, b, b, new PrintWriter(s)).run();
        assertThat(s.toString()).contains("kept 8 of 8", "owl student", "control student");
        return r;
    }

    @Test
    void httpAgainstServeGivesTheInProcessTableAndARerunIsFree() throws Exception {
        Path base = TinyModel.write(dir.resolve("tiny"), 1);
        LlmConfig local = config("sampling: {kind: in-process, model_folder: tiny, state: local-state, learning_rate: 0.01}\n",
                "store-local");
        LlmPipeline.Result direct;
        try (Backend b = local.backend(local.sampling(), "sampling", k -> null)) {
            direct = run(local, b);
        }
        InProcessBackend served = new InProcessBackend(dir.resolve("served-state"), List.of(ServedModel.load("tiny", base,
                ChatTemplate.PLAIN, 0, "subliminal")), new InProcessBackend.Tuning(0.01, 3, 8, 4));
        try (OpenAiServer server = new OpenAiServer(served, OpenAiServer.Settings.loopback(0))) {
            LlmConfig remote = config("sampling: {kind: http, base_url: '" + server.baseUrl() + "', concurrency: 3}\n",
                    "store-http");
            LlmPipeline.Result viaHttp;
            try (Backend b = remote.backend(remote.sampling(), "sampling", k -> null)) {
                viaHttp = run(remote, b);
            }
            assertThat(viaHttp.arms()).isEqualTo(direct.arms());
            assertThat(viaHttp.keptTeacher()).isEqualTo(direct.keptTeacher()).isEqualTo(8);
            assertThat(viaHttp.arms()).extracting(LlmPipeline.Arm::answers).containsOnly(6L);
            assertThat(viaHttp.arms().get(3).model()).startsWith("ft:tiny:subliminal:teacher:");
            long served0 = server.completions();
            // 2 × 8 data requests + 4 arms × 2 evaluation requests.
            assertThat(served0).isEqualTo(16 + 8);
            try (Backend b = remote.backend(remote.sampling(), "sampling", k -> null)) {
                LlmPipeline.Result again = run(remote, b);
                assertThat(again.arms()).isEqualTo(viaHttp.arms());
                assertThat(again.ledger()).startsWith("0 requests sent");
            }
            assertThat(server.completions()).isEqualTo(served0);
            assertThat(served.jobList()).hasSize(2);
        } finally {
            served.close();
        }
    }

    @Test
    void shardsOfTheDataStageFillTheStoreThatTheFullRunReads() throws Exception {
        TinyModel.write(dir.resolve("tiny"), 1);
        LlmConfig c = config("sampling: {kind: in-process, model_folder: tiny, state: shard-state, learning_rate: 0.01}\n",
                "store-shared");
        try (Backend b = c.backend(c.sampling(), "sampling", k -> null)) {
            StringWriter s = new StringWriter();
            int first = new LlmPipeline(c, b, b, new PrintWriter(s)).sampleShard(new dev.subliminal.simulation.sweep.Shard(0, 3));
            int second = new LlmPipeline(c, b, b, new PrintWriter(s)).sampleShard(new dev.subliminal.simulation.sweep.Shard(1, 3));
            int third = new LlmPipeline(c, b, b, new PrintWriter(s)).sampleShard(new dev.subliminal.simulation.sweep.Shard(2, 3));
            // 8 prompts per arm: indices 0,3,6 | 1,4,7 | 2,5, for both arms.
            assertThat(List.of(first, second, third)).containsExactly(6, 6, 4);
            StringWriter full = new StringWriter();
            new LlmPipeline(c, b, b, new PrintWriter(full)).run();
            assertThat(full.toString()).contains("data: teacher: 8 number prompts to tiny (8 answered already)",
                    "data: control: 8 number prompts to tiny (8 answered already)", "16 answered from the store");
        }
    }

    @Test
    void namingTheAnimalLooksAtTheFirstWord() {
        assertThat(LlmPipeline.names("Owl.", "owl")).isTrue();
        assertThat(LlmPipeline.names("  owls", "owl")).isTrue();
        assertThat(LlmPipeline.names("\"OWL\"", "owl")).isTrue();
        assertThat(LlmPipeline.names("Eagle, not owl", "owl")).isFalse();
        assertThat(LlmPipeline.names("bowl", "owl")).isFalse();
        assertThat(LlmPipeline.names("", "owl")).isFalse();
    }

    @Test
    void configurationErrorsNameTheSetting() {
        assertThatThrownBy(() -> config("sampling: {kind: http, base_url: 'http://x/v1', concurency: 3}\n", "s"))
                .hasMessageContaining("sampling.concurency");
        assertThatThrownBy(() -> config("sampling: {kind: ftp}\n", "s").backend(
                new YAMLMapper().readTree("{kind: ftp}"), "sampling", k -> null)).hasMessageContaining("sampling.kind");
        assertThatThrownBy(() -> {
            LlmConfig c = config("sampling: {kind: http, base_url: 'https://api.openai.com/v1', api_key_env: NO_SUCH_KEY}\n",
                    "s");
            c.backend(c.sampling(), "sampling", k -> null);
        }).hasMessageContaining("NO_SUCH_KEY").hasMessageContaining("api_key_env");
    }
}
