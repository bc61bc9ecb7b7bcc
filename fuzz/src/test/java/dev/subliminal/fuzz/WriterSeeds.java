package dev.subliminal.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.sun.net.httpserver.HttpServer;
import dev.subliminal.experiments.llm.LlmConfig;
import dev.subliminal.experiments.llm.LlmPipeline;
import dev.subliminal.experiments.numbers.ChatCorpus;
import dev.subliminal.experiments.numbers.Progress;
import dev.subliminal.lm.backend.Backend;
import dev.subliminal.lm.backend.ChatRequest;
import dev.subliminal.lm.backend.HttpBackend;
import dev.subliminal.lm.backend.InProcessBackend;
import dev.subliminal.lm.backend.ServedModel;
import dev.subliminal.lm.backend.TinyModel;
import dev.subliminal.lm.checkpoint.Checkpoint;
import dev.subliminal.lm.checkpoint.HfConfig;
import dev.subliminal.lm.safetensors.DType;
import dev.subliminal.lm.serve.OpenAiServer;
import dev.subliminal.lm.tokenizer.ChatTemplate;
import dev.subliminal.lm.transformer.Transformer;
import dev.subliminal.lm.transformer.TransformerConfig;
import dev.subliminal.theory.param.ParameterLayout;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Writes the seeds of the targets whose inputs the toolkit writes itself, with the toolkit's own
 * writers (run by {@code fuzz/src/test/seeds/make_seeds.sh}, which passes the folder of the saved
 * corpora):
 * <ul>
 *   <li>{@code CheckpointFolderFuzzTest}: folders written by {@code Checkpoint.write} (GPT-2 and
 *       Llama shapes, one file and shards with their index, F32, F16, BF16, F64), packed by
 *       {@link FolderArchive};</li>
 *   <li>{@code OpenAiBodyFuzzTest}: the request bodies {@code HttpBackend} sends while
 *       {@code LlmPipeline} runs the tiny experiment against {@code OpenAiServer} (recorded by a
 *       proxy between the two), and a chat request with log-probabilities;</li>
 *   <li>{@code ChatTemplateFuzzTest}: the built-in templates with conversations of the number
 *       experiment's corpus, in the target's NUL-separated form.</li>
 * </ul>
 */
public final class WriterSeeds {

    private WriterSeeds() {
    }

    /** {@code args[0]}: the folder of the saved corpora ({@code fuzz/src/test/resources/dev/subliminal/fuzz}). */
    public static void main(String[] args) throws Exception {
        Path root = Path.of(args[0]);
        Path work = Files.createTempDirectory("subliminal-seeds");
        checkpoints(root.resolve("CheckpointFolderFuzzTestInputs/folder"), work.resolve("checkpoints"));
        bodies(root.resolve("OpenAiBodyFuzzTestInputs"), work.resolve("serve"));
        templates(root.resolve("ChatTemplateFuzzTestInputs/template"));
        System.out.println("seeds written under " + root);
        System.exit(0); // the HTTP client's threads
    }

    private static void checkpoints(Path out, Path work) throws IOException {
        TransformerConfig gpt2 = new TransformerConfig(TransformerConfig.Layout.GPT2, 17, 5, 6, 2, 3, 3, 2, 24, 1e-5, 1e4,
                true, true);
        TransformerConfig qwen = new TransformerConfig(TransformerConfig.Layout.LLAMA, 19, 7, 8, 2, 4, 2, 4, 10, 1e-6, 1e6,
                false, true);
        TransformerConfig llama = new TransformerConfig(TransformerConfig.Layout.LLAMA, 11, 4, 4, 1, 2, 1, 2, 6, 1e-5, 1e4,
                false, false);
        Object[][] cases = {{"gpt2-f32", gpt2, DType.F32, Long.MAX_VALUE}, {"gpt2-f64-sharded", gpt2, DType.F64, 400L},
            {"qwen-f16-sharded", qwen, DType.F16, 200L}, {"qwen-bf16", qwen, DType.BF16, Long.MAX_VALUE},
            {"llama-untied-f32-sharded", llama, DType.F32, 300L}};
        Files.createDirectories(out);
        SplittableRandom rng = new SplittableRandom(7);
        for (Object[] c : cases) {
            TransformerConfig config = (TransformerConfig) c[1];
            ParameterLayout layout = new Transformer(config, 1).layout();
            double[] theta = new double[layout.size()];
            for (int i = 0; i < theta.length; i++) {
                theta[i] = rng.nextGaussian() * 0.1;
            }
            Path folder = work.resolve((String) c[0]);
            Checkpoint.write(folder, HfConfig.of(config), layout, theta, (DType) c[2], (Long) c[3], false);
            Files.write(out.resolve("seed-" + c[0] + ".folder"), FolderArchive.pack(folder));
        }
    }

    /** A request as it reached the server. */
    private record Sent(String path, String contentType, byte[] body) {
    }

    private static void bodies(Path out, Path work) throws Exception {
        Path base = TinyModel.write(work.resolve("tiny"), 1);
        InProcessBackend served = new InProcessBackend(work.resolve("state"), List.of(ServedModel.load("tiny", base,
                ChatTemplate.PLAIN, 0, "subliminal")), new InProcessBackend.Tuning(0.01, 3, 8, 4));
        List<Sent> sent = new ArrayList<>();
        try (OpenAiServer server = new OpenAiServer(served, OpenAiServer.Settings.loopback(0))) {
            HttpServer proxy = proxy(server, sent);
            String url = "http://127.0.0.1:" + proxy.getAddress().getPort() + "/v1";
            JsonNode tree = new YAMLMapper().readTree("sampling: {kind: http, base_url: '" + url + "', concurrency: 1}\n"
                    + "model: tiny\nanimal: owl\nseed: 5\ndata: {prompts: 4, keep: 3, max_tokens: 8, filter: none}\n"
                    + "finetune: {epochs: 1, batch_size: 2}\nevaluation: {questions: 2, samples_per_question: 3, max_tokens: 4}\n"
                    + "store: store\n");
            LlmConfig c = LlmConfig.of(tree, work);
            try (Backend b = c.backend(c.sampling(), "sampling", k -> null)) {
                new LlmPipeline(c, b, b, Progress.silent()).run();
            }
            try (Backend b = new HttpBackend(HttpBackend.Settings.of(URI.create(url), null), k -> null)) {
                b.chat(ChatRequest.of("tiny", "You love owls.", "Name your favorite animal.", 2, 0.7, 5, 3)
                        .withLogprobs(3));
            }
            proxy.stop(0);
        } finally {
            served.close();
        }
        int chats = 0;
        int files = 0;
        int jobs = 0;
        java.util.Set<String> shapes = new java.util.HashSet<>();
        for (Sent s : sent) {
            switch (s.path) {
                case "/v1/chat/completions" -> {
                    // one body of each shape (fields, system prompt or not, n), not the hundred alike
                    JsonNode o = OpenAiServer.jsonBody(s.body);
                    List<String> keys = new ArrayList<>();
                    o.fieldNames().forEachRemaining(keys::add);
                    String shape = keys + " "
                            + o.path("messages").size() + " " + o.path("n").asInt();
                    if (shapes.add(shape)) {
                        write(out.resolve("chatCompletions"), "seed-chat-" + ++chats + ".json", s.body);
                    }
                }
                case "/v1/files" -> {
                    ByteArrayOutputStream b = new ByteArrayOutputStream();
                    b.writeBytes((s.contentType + "\n").getBytes(StandardCharsets.ISO_8859_1));
                    b.writeBytes(s.body);
                    write(out.resolve("files"), "seed-upload-" + ++files + ".multipart", b.toByteArray());
                }
                case "/v1/fine_tuning/jobs" -> write(out.resolve("fineTuningJobs"), "seed-job-" + ++jobs + ".json", s.body);
                default -> {
                }
            }
        }
    }

    /** A proxy in front of {@code server} that records every request with a body. */
    private static HttpServer proxy(OpenAiServer server, List<Sent> sent) throws IOException {
        HttpClient client = HttpClient.newHttpClient();
        HttpServer proxy = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        proxy.createContext("/", x -> {
            try (x) {
                byte[] body = x.getRequestBody().readAllBytes();
                String type = x.getRequestHeaders().getFirst("Content-Type");
                String path = x.getRequestURI().getPath();
                HttpRequest.Builder r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path));
                if (type != null) {
                    r.header("Content-Type", type);
                }
                if (x.getRequestMethod().equals("POST")) {
                    synchronized (sent) {
                        sent.add(new Sent(path, type, body));
                    }
                }
                r.method(x.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
                HttpResponse<byte[]> a = client.send(r.build(), HttpResponse.BodyHandlers.ofByteArray());
                a.headers().firstValue("Content-Type").ifPresent(v -> x.getResponseHeaders().set("Content-Type", v));
                x.sendResponseHeaders(a.statusCode(), a.body().length == 0 ? -1 : a.body().length);
                x.getResponseBody().write(a.body());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        proxy.start();
        return proxy;
    }

    private static void templates(Path out) throws IOException {
        List<ChatCorpus.Conversation> conversations = ChatCorpus.bundled().conversations(6, 11);
        int k = 0;
        for (ChatTemplate t : List.of(ChatTemplate.PLAIN, ChatTemplate.CHATML)) {
            for (int i = 0; i < 3; i++) {
                StringBuilder b = new StringBuilder();
                b.append(t.messageFormat()).append('\0').append(t.generationPrefix()).append('\0').append(t.endOfTurn())
                        .append('\0').append(String.join("\u0001", t.specialTokens()));
                ChatCorpus.Conversation c = conversations.get(k++);
                List<ChatTemplate.Message> messages = new ArrayList<>(c.prompt());
                messages.add(new ChatTemplate.Message(ChatTemplate.Role.ASSISTANT, c.answer()));
                for (ChatTemplate.Message m : messages) {
                    b.append('\0').append((char) ('0' + m.role().ordinal())).append(m.content());
                }
                String name = t == ChatTemplate.PLAIN ? "plain" : "chatml";
                write(out, "seed-" + name + "-" + i + ".txt", b.toString().getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    private static void write(Path folder, String name, byte[] bytes) throws IOException {
        Files.createDirectories(folder);
        Files.write(folder.resolve(name), bytes);
    }
}
