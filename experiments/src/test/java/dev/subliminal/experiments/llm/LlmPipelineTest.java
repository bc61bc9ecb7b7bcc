package dev.subliminal.experiments.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.subliminal.experiments.numbers.NumbersPipeline;
import dev.subliminal.experiments.numbers.Progress;
import dev.subliminal.lm.backend.Backend;
import dev.subliminal.lm.backend.InProcessBackend;
import dev.subliminal.lm.backend.ServedModel;
import dev.subliminal.lm.backend.TinyModel;
import dev.subliminal.lm.serve.OpenAiServer;
import dev.subliminal.lm.tokenizer.ChatTemplate;
import dev.subliminal.simulation.sweep.Shard;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end: the number pipeline through the HTTP backend against {@code serve} on a free loopback
 * port gives the same rows (every arm's rate, score, kept fraction at every seed) as the same
 * configuration run in-process, over two seeds; a rerun finds every stage done and sends nothing.
 * Model: {@link TinyModel} from seed 1 (random weights, so the filter is off: it writes no numbers).
 */
class LlmPipelineTest {

    @TempDir
    Path dir;

    static final String SIZES = "model: tiny\nanimal: owl\nseed: 5\nseeds: 2\n"
            + "data: {prompts: 8, keep: 4, max_tokens: 8, filter: none}\n"
            + "finetune: {epochs: 1, batch_size: 2}\n"
            + "evaluation: {questions: 2, samples_per_question: 3, max_tokens: 4}\n";

    private LlmConfig config(String backend, String store) throws Exception {
        JsonNode tree = new YAMLMapper().readTree(backend + SIZES + "store: " + store + "\nwork: " + store + "-work\n");
        return LlmConfig.of(tree, dir);
    }

    private static LlmPipeline.Result run(LlmConfig c, Backend b) {
        return new LlmPipeline(c, b, b, Progress.silent()).run();
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
        // per seed: reference, teacher, control and same-init students (their final models: one step each)
        assertThat(direct.rows()).extracting(NumbersPipeline.Row::arm).containsExactly("reference", "teacher", "control",
                "same-init", "reference", "teacher", "control", "same-init");
        assertThat(direct.rows()).allSatisfy(r -> {
            assertThat(r.samples()).isEqualTo(2 * 3);
            assertThat(r.score()).isBetween(0.0, 1.0);
        });
        assertThat(direct.rows().stream().filter(r -> r.step() > 0)).allSatisfy(r -> {
            // filter: none keeps every non-empty answer (the random model rarely ends at once)
            assertThat(r.keptFraction()).isGreaterThan(0.5);
            // 4 kept pairs, batches of 2, one epoch
            assertThat(r.step()).isEqualTo(2);
            assertThat(r.firstStepCosine()).isNaN();
        });
        InProcessBackend served = new InProcessBackend(dir.resolve("served-state"), List.of(ServedModel.load("tiny", base,
                ChatTemplate.PLAIN, 0, "subliminal")), new InProcessBackend.Tuning(0.01, 3, 8, 4));
        try (OpenAiServer server = new OpenAiServer(served, OpenAiServer.Settings.loopback(0))) {
            LlmConfig remote = config("sampling: {kind: http, base_url: '" + server.baseUrl() + "', concurrency: 3}\n",
                    "store-http");
            LlmPipeline.Result viaHttp;
            try (Backend b = remote.backend(remote.sampling(), "sampling", k -> null)) {
                viaHttp = run(remote, b);
            }
            assertThat(viaHttp.rows()).isEqualTo(direct.rows());
            long served0 = server.completions();
            // per seed: 2 × 8 number prompts + 4 models × 2 evaluation questions
            assertThat(served0).isEqualTo(2 * (16 + 8));
            try (Backend b = remote.backend(remote.sampling(), "sampling", k -> null)) {
                LlmPipeline.Result again = run(remote, b);
                assertThat(again.rows()).isEqualTo(viaHttp.rows());
                assertThat(again.ledger()).startsWith("0 requests sent");
            }
            assertThat(server.completions()).isEqualTo(served0);
            assertThat(served.jobList()).hasSize(4);
        } finally {
            served.close();
        }
    }

    @Test
    void shardsOfTheNumbersStageFillTheStoreThatTheFullRunReads() throws Exception {
        TinyModel.write(dir.resolve("tiny"), 1);
        LlmConfig c = config("sampling: {kind: in-process, model_folder: tiny, state: shard-state, learning_rate: 0.01}\n",
                "store-shared");
        try (Backend b = c.backend(c.sampling(), "sampling", k -> null)) {
            int first = new LlmPipeline(c, b, b, Progress.silent()).sampleShard(new Shard(0, 3));
            int second = new LlmPipeline(c, b, b, Progress.silent()).sampleShard(new Shard(1, 3));
            int third = new LlmPipeline(c, b, b, Progress.silent()).sampleShard(new Shard(2, 3));
            // 8 prompts per source: indices 0,3,6 | 1,4,7 | 2,5, for both sources and both seeds
            assertThat(List.of(first, second, third)).containsExactly(12, 12, 8);
            LlmPipeline.Result full = new LlmPipeline(c, b, b, Progress.silent()).run();
            assertThat(full.ledger()).contains("32 answered from the store");
        }
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
