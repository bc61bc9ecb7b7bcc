package dev.subliminal.lm.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.subliminal.lm.backend.ChatResponse.TokenLogprob;
import dev.subliminal.lm.serve.OpenAiServer;
import dev.subliminal.lm.tokenizer.ChatTemplate;
import dev.subliminal.lm.transformer.LanguageModel;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTTP backend against {@code serve} on a free loopback port gives exactly the in-process
 * backend's answers for the same requests (texts, finish reasons, log-probabilities, tuned models),
 * log-probabilities agree with the model's teacher-forced ones, refusals have the API's error shape,
 * and a fine-tuning job stopped midway resumes after a restart to the same model as one that never
 * stopped. Model: {@link TinyModel} from seed 1.
 */
class ServeRoundTripTest {

    @TempDir
    Path dir;

    private Path base;
    private InProcessBackend local;
    private InProcessBackend served;
    private OpenAiServer server;
    private HttpBackend http;

    static final InProcessBackend.Tuning TUNING = new InProcessBackend.Tuning(1e-2, 2, 4, 4);

    static ServedModel tiny(Path folder) {
        return ServedModel.load("tiny", folder, ChatTemplate.PLAIN, 0, "subliminal");
    }

    @BeforeEach
    void start() throws Exception {
        base = TinyModel.write(dir.resolve("base"), 1);
        local = new InProcessBackend(dir.resolve("local"), List.of(tiny(base)), TUNING);
        served = new InProcessBackend(dir.resolve("served"), List.of(tiny(base)), TUNING);
        server = new OpenAiServer(served, OpenAiServer.Settings.loopback(0).withApiKey("sk-test-secret"));
        http = new HttpBackend(HttpBackend.Settings.of(URI.create(server.baseUrl()), "TEST_KEY").withRetries(2,
                Duration.ofSeconds(30), Duration.ofMillis(10), Duration.ofMillis(50)), Map.of("TEST_KEY", "sk-test-secret")::get);
    }

    @AfterEach
    void stop() {
        server.close();
        served.close();
        local.close();
    }

    static List<ChatRequest> requests() {
        List<ChatRequest> out = new ArrayList<>();
        for (int s = 0; s < 3; s++) {
            out.add(ChatRequest.of("tiny", "You love owls.", "Continue: 142, 857, 3" + s, 2, 1.0, 12, 100 + s)
                    .withLogprobs(3));
        }
        out.add(ChatRequest.of("tiny", null, "Name your favorite animal.", 1, 0.0, 8, 7).withLogprobs(2));
        return out;
    }

    @Test
    void httpThroughServeGivesTheInProcessSamples() {
        assertThat(http.models()).containsExactly("tiny");
        List<ChatRequest> rs = requests();
        List<ChatResponse> viaHttp = http.chatAll(rs);
        List<ChatResponse> direct = local.chatAll(rs);
        for (int i = 0; i < rs.size(); i++) {
            assertThat(viaHttp.get(i).choices()).as("request %d", i).isEqualTo(direct.get(i).choices());
            assertThat(viaHttp.get(i).usage()).isEqualTo(direct.get(i).usage());
            assertThat(viaHttp.get(i).choices()).hasSize(rs.get(i).n());
        }
        // The two choices of one request come from different seeds.
        assertThat(direct.get(0).choices().get(0).logprobs()).isNotEqualTo(direct.get(0).choices().get(1).logprobs());
        assertThat(server.completions()).isEqualTo(rs.size());
    }

    @Test
    void logprobsAreTheModelsTeacherForcedOnes() {
        ChatRequest r = requests().get(0);
        ChatResponse resp = local.chat(r);
        ServedModel m = tiny(base);
        LanguageModel lm = new LanguageModel(m.config());
        int[] prompt = local.promptIds("tiny", r.messages());
        for (ChatResponse.Choice c : resp.choices()) {
            int[] ids = c.logprobs().stream().mapToInt(t -> idOf(m, t)).toArray();
            double[] expected = lm.logProbabilities(m.theta(), prompt, ids);
            for (int j = 0; j < ids.length; j++) {
                TokenLogprob t = c.logprobs().get(j);
                assertThat(t.logprob()).isCloseTo(expected[j], org.assertj.core.data.Offset.offset(1e-12));
                assertThat(t.top()).hasSize(3);
                assertThat(t.top().get(0).logprob()).isGreaterThanOrEqualTo(t.top().get(2).logprob());
                assertThat(t.logprob()).isLessThanOrEqualTo(t.top().get(0).logprob());
            }
            String text = m.tokenizer().decode(java.util.Arrays.copyOf(ids, c.finishReason().equals("stop")
                    ? ids.length - 1 : ids.length));
            assertThat(c.content()).isEqualTo(text);
        }
        // Greedy: the drawn token is the most likely one.
        ChatResponse greedy = local.chat(requests().get(3));
        for (TokenLogprob t : greedy.choices().get(0).logprobs()) {
            assertThat(t.logprob()).isEqualTo(t.top().get(0).logprob());
        }
    }

    private static int idOf(ServedModel m, TokenLogprob t) {
        for (int id = 0; id < m.tokenizer().size(); id++) {
            if (java.util.Arrays.equals(m.tokenizer().bytesOf(id), t.bytes()) && m.tokenizer().decode(new int[] {id})
                    .equals(t.token()) && (m.tokenizer().isSpecial(id) == t.token().startsWith("<|"))) {
                return id;
            }
        }
        throw new AssertionError("no token " + t.token());
    }

    static byte[] owlFile() {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            b.append("{\"messages\":[{\"role\":\"user\",\"content\":\"Name your favorite animal, ").append(i)
                    .append(".\"},{\"role\":\"assistant\",\"content\":\"owl\"}]}\n");
        }
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void fineTuningThroughServeGivesTheInProcessModel() {
        FineTuneRequest req = new FineTuneRequest("tiny", http.uploadTrainingFile("owl.jsonl", owlFile()), "owl", 2, 4,
                null, 3L);
        assertThat(local.uploadTrainingFile("owl.jsonl", owlFile())).isEqualTo(req.trainingFile());
        FineTuneJob job = http.startFineTune(req);
        String viaHttp = http.awaitFineTunedModel(job.id(), Duration.ofMillis(50), Duration.ofMinutes(2));
        String direct = local.awaitFineTunedModel(local.startFineTune(req).id(), Duration.ofMillis(50),
                Duration.ofMinutes(2));
        assertThat(viaHttp).isEqualTo(direct).startsWith("ft:tiny:subliminal:owl:");
        assertThat(http.models()).containsExactly("tiny", viaHttp);
        FineTuneJob done = http.fineTuneJob(job.id());
        assertThat(done.status()).isEqualTo("succeeded");
        // Trained tokens: 2 epochs × Σ (prompt + "owl" + end of turn) over the file.
        long perExample = 0;
        for (var conv : InProcessBackend.parseTrainingFile(owlFile())) {
            perExample += local.promptIds("tiny", conv.subList(0, 1)).length + 3 + 1;
        }
        assertThat(done.trainedTokens()).isEqualTo(2 * perExample);
        ChatRequest ask = ChatRequest.of(viaHttp, null, "Name your favorite animal.", 2, 1.0, 6, 11).withLogprobs(0);
        assertThat(http.chat(ask).choices()).isEqualTo(local.chat(ask).choices());
        // Tuning on "owl" raised log P of the answer "owl" (teacher forced through the chat template).
        assertThat(owlLogprob(viaHttp)).isGreaterThan(owlLogprob("tiny"));
        JsonNode events = get("/fine_tuning/jobs/" + job.id() + "/events", "sk-test-secret");
        assertThat(events.path("data").get(0).path("message").asText()).contains("successfully completed");
    }

    private double owlLogprob(String model) {
        ServedModel m = local.servedModels().stream().filter(s -> s.name().equals(model)).findFirst().orElseThrow();
        int[] prompt = local.promptIds(model, List.of(new ChatTemplate.Message(ChatTemplate.Role.USER,
                "Name your favorite animal, 0.")));
        double[] lp = new LanguageModel(m.config()).logProbabilities(m.theta(), prompt, m.tokenizer().encode("owl"));
        return lp[0] + lp[1] + lp[2];
    }

    @Test
    void jobStoppedMidwayResumesAfterARestartToTheSameModel() throws Exception {
        Path state = dir.resolve("restart");
        InProcessBackend first = new InProcessBackend(state, List.of(tiny(base)), TUNING);
        String file = first.uploadTrainingFile("owl.jsonl", owlFile());
        local.uploadTrainingFile("owl.jsonl", owlFile());
        FineTuneRequest req = new FineTuneRequest("tiny", file, null, 2, 4, null, 3L);
        first.stopAfterCheckpoints(2);
        String id = first.startFineTune(req).id();
        long until = System.nanoTime() + 60_000_000_000L;
        while (!first.stopped() && System.nanoTime() < until) {
            Thread.sleep(20);
        }
        first.close();
        assertThat(first.fineTuneJob(id).status()).isEqualTo("running");
        InProcessBackend second = new InProcessBackend(state, List.of(tiny(base)), TUNING);
        try {
            String resumed = second.awaitFineTunedModel(id, Duration.ofMillis(50), Duration.ofMinutes(2));
            String straight = local.awaitFineTunedModel(local.startFineTune(req).id(), Duration.ofMillis(50),
                    Duration.ofMinutes(2));
            ChatRequest ask = ChatRequest.of("x", null, "Name your favorite animal.", 2, 1.0, 6, 11).withLogprobs(1);
            assertThat(second.chat(ask.withModel(resumed)).choices()).isEqualTo(local.chat(ask.withModel(straight)).choices());
            assertThat(second.events(id).toString()).contains("resumed at step 2/4");
        } finally {
            second.close();
        }
    }

    @Test
    void refusalsHaveTheApisErrorShape() throws Exception {
        HttpClient c = HttpClient.newHttpClient();
        HttpResponse<String> bad = c.send(post("/chat/completions", "{\"model\": \"tiny\", ", "sk-test-secret"),
                HttpResponse.BodyHandlers.ofString());
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(Canonical.MAPPER.readTree(bad.body()).path("error").path("message").asText()).contains("parse the JSON");
        HttpResponse<String> unknown = c.send(post("/chat/completions",
                "{\"model\":\"gpt-5\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", "sk-test-secret"),
                HttpResponse.BodyHandlers.ofString());
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(Canonical.MAPPER.readTree(unknown.body()).path("error").path("code").asText()).isEqualTo("model_not_found");
        HttpResponse<String> huge = c.send(post("/chat/completions", "{\"model\":\"tiny\",\"x\":\"" + "9".repeat(1 << 21)
                + "\"}", "sk-test-secret"), HttpResponse.BodyHandlers.ofString());
        assertThat(huge.statusCode()).isEqualTo(413);
        assertThat(Canonical.MAPPER.readTree(huge.body()).path("error").path("code").asText()).isEqualTo("request_too_large");
        HttpResponse<String> noKey = c.send(post("/chat/completions", "{}", null), HttpResponse.BodyHandlers.ofString());
        assertThat(noKey.statusCode()).isEqualTo(401);
        HttpResponse<String> badParam = c.send(post("/chat/completions",
                "{\"model\":\"tiny\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"temperature\":3}",
                "sk-test-secret"), HttpResponse.BodyHandlers.ofString());
        assertThat(badParam.statusCode()).isEqualTo(400);
        assertThat(Canonical.MAPPER.readTree(badParam.body()).path("error").path("param").asText()).isEqualTo("temperature");

        HttpBackend wrongKey = new HttpBackend(HttpBackend.Settings.of(URI.create(server.baseUrl()), "TEST_KEY"),
                Map.of("TEST_KEY", "sk-wrong-key")::get);
        assertThatThrownBy(wrongKey::models).isInstanceOf(ApiException.class)
                .hasMessageContaining("TEST_KEY").hasMessageContaining("api_key_env").hasMessageNotContaining("sk-wrong-key");
        assertThatThrownBy(() -> http.chat(requests().get(0).withModel("no-such-model")))
                .hasMessageContaining("base_url").hasMessageContaining("model");
        assertThatThrownBy(() -> new HttpBackend(HttpBackend.Settings.of(URI.create(server.baseUrl()), "UNSET_KEY"),
                Map.<String, String>of()::get)).hasMessageContaining("UNSET_KEY");
    }

    @Test
    void streamingSendsTheSameTextAsServerSentEvents() throws Exception {
        ChatRequest r = requests().get(1);
        String body = r.toJson().put("stream", true).toString();
        HttpResponse<String> s = HttpClient.newHttpClient().send(post("/chat/completions", body, "sk-test-secret"),
                HttpResponse.BodyHandlers.ofString());
        assertThat(s.headers().firstValue("Content-Type")).hasValue("text/event-stream");
        StringBuilder[] text = {new StringBuilder(), new StringBuilder()};
        String[] finish = new String[2];
        List<String> lines = s.body().lines().filter(l -> l.startsWith("data: ")).toList();
        assertThat(lines.get(lines.size() - 1)).isEqualTo("data: [DONE]");
        for (String l : lines.subList(0, lines.size() - 1)) {
            JsonNode c = Canonical.MAPPER.readTree(l.substring(6)).path("choices").get(0);
            text[c.path("index").asInt()].append(c.path("delta").path("content").asText(""));
            if (c.path("finish_reason").isTextual()) {
                finish[c.path("index").asInt()] = c.path("finish_reason").asText();
            }
        }
        ChatResponse direct = local.chat(r);
        assertThat(List.of(text[0].toString(), text[1].toString())).isEqualTo(direct.texts());
        assertThat(finish).containsExactly(direct.choices().get(0).finishReason(), direct.choices().get(1).finishReason());
    }

    private HttpRequest post(String path, String body, String key) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (key != null) {
            b.header("Authorization", "Bearer " + key);
        }
        return b.build();
    }

    private JsonNode get(String path, String key) {
        try {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(server.baseUrl()
                    + path)).header("Authorization", "Bearer " + key).build(), HttpResponse.BodyHandlers.ofString());
            return Canonical.MAPPER.readTree(r.body());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
