package dev.subliminal.lm.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.subliminal.lm.backend.ApiException;
import dev.subliminal.lm.backend.Canonical;
import dev.subliminal.lm.backend.ChatRequest;
import dev.subliminal.lm.backend.ChatResponse;
import dev.subliminal.lm.backend.FineTuneRequest;
import dev.subliminal.lm.backend.InProcessBackend;
import dev.subliminal.lm.backend.ServedModel;
import dev.subliminal.results.Texts;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An OpenAI-compatible HTTP server over an {@link InProcessBackend}, so that unmodified OpenAI
 * clients (and {@link dev.subliminal.lm.backend.HttpBackend}) reach the toolkit's own models:
 * {@code GET /v1/models[/ID]}, {@code POST /v1/chat/completions} (n, temperature, top_p,
 * max_tokens, seed, logprobs, top_logprobs, {@code stream} as server-sent events),
 * {@code POST /v1/files} (multipart), {@code GET /v1/files/ID}, {@code POST /v1/fine_tuning/jobs},
 * {@code GET /v1/fine_tuning/jobs[/ID[/events|/checkpoints]]}. Answers have the API's shapes; every refusal is a
 * 4xx (or 5xx) with the API's error body {@code {"error": {message, type, param, code}}}: malformed
 * JSON 400, unknown model or object 404, a missing or wrong key 401, a body over the limit 413.
 *
 * <p>Requests are handled by a fixed pool of {@code threads} (the concurrency limit: more requests
 * wait in the queue); each generation runs on one thread, so answers do not depend on the load.
 */
public final class OpenAiServer implements AutoCloseable {

    /**
     * How the server listens.
     *
     * @param host the address to bind (127.0.0.1 unless the user says otherwise)
     * @param port the port (0 for any free port)
     * @param apiKey the key clients must send as {@code Authorization: Bearer KEY}, or null for none
     * @param maxBodyBytes the largest JSON request body
     * @param maxFileBytes the largest upload
     * @param threads requests handled at once
     */
    public record Settings(String host, int port, String apiKey, long maxBodyBytes, long maxFileBytes, int threads) {
        public Settings {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port " + port + " must be in [0, 65535]");
            }
            if (threads < 1 || maxBodyBytes < 1 || maxFileBytes < 1) {
                throw new IllegalArgumentException("threads and size limits must be at least 1");
            }
        }

        /** 127.0.0.1, no key, 1 MiB bodies, 64 MiB files, 4 threads. */
        public static Settings loopback(int port) {
            return new Settings("127.0.0.1", port, null, 1 << 20, 64L << 20, 4);
        }

        /** The same with a key. */
        public Settings withApiKey(String key) {
            return new Settings(host, port, key, maxBodyBytes, maxFileBytes, threads);
        }

        /** The same with another number of threads. */
        public Settings withThreads(int t) {
            return new Settings(host, port, apiKey, maxBodyBytes, maxFileBytes, t);
        }

        /** The same with another body limit. */
        public Settings withMaxBodyBytes(long b) {
            return new Settings(host, port, apiKey, b, maxFileBytes, threads);
        }
    }

    /** Bodies over the limit but under this size are read and dropped, so that clients see the 413. */
    private static final long DRAIN_LIMIT = 64L << 20;
    private static final Pattern JOB = Pattern.compile("/v1/fine_tuning/jobs/([^/]+)(/events|/checkpoints)?");
    private static final Pattern FILE = Pattern.compile("/v1/files/([^/]+)");
    private static final Pattern MODEL = Pattern.compile("/v1/models/(.+)");

    private final InProcessBackend backend;
    private final Settings settings;
    private final HttpServer server;
    private final ExecutorService pool;
    private final AtomicLong completions = new AtomicLong();

    /** Binds and starts serving. */
    public OpenAiServer(InProcessBackend backend, Settings settings) throws IOException {
        this.backend = backend;
        this.settings = settings;
        this.server = HttpServer.create(new InetSocketAddress(settings.host(), settings.port()), 256);
        this.pool = Executors.newFixedThreadPool(settings.threads(), r -> {
            Thread t = new Thread(r, "serve");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(pool);
        server.createContext("/", this::handle);
        server.start();
    }

    /** The bound port. */
    public int port() {
        return server.getAddress().getPort();
    }

    /** The base URL clients use, {@code http://HOST:PORT/v1}. */
    public String baseUrl() {
        return "http://" + settings.host() + ":" + port() + "/v1";
    }

    /** Chat completions answered so far. */
    public long completions() {
        return completions.get();
    }

    private void handle(HttpExchange x) throws IOException {
        try (x) {
            try {
                route(x);
            } catch (ApiException e) {
                send(x, e.status(), e.toJson());
            } catch (IllegalArgumentException e) {
                send(x, 400, ApiException.badRequest(null, String.valueOf(e.getMessage())).toJson());
            } catch (IOException e) {
                throw e;
            } catch (RuntimeException e) {
                send(x, 500, new ApiException(500, "server_error", null, null, "the server failed: " + e).toJson());
            }
        }
    }

    private void route(HttpExchange x) throws IOException {
        authorize(x);
        String method = x.getRequestMethod();
        String path = x.getRequestURI().getPath();
        if (path.length() > 1 && path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        Matcher m;
        if (path.equals("/v1/models")) {
            allow(method, "GET");
            ArrayNode data = JsonNodeFactory.instance.arrayNode();
            for (ServedModel s : backend.servedModels()) {
                data.add(model(s));
            }
            send(x, 200, list(data));
        } else if ((m = MODEL.matcher(path)).matches()) {
            allow(method, "GET");
            String name = java.net.URLDecoder.decode(m.group(1), StandardCharsets.UTF_8);
            ServedModel s = backend.servedModels().stream().filter(q -> q.name().equals(name)).findFirst()
                    .orElseThrow(() -> ApiException.unknownModel(name));
            send(x, 200, model(s));
        } else if (path.equals("/v1/chat/completions")) {
            allow(method, "POST");
            chat(x, jsonBody(body(x, settings.maxBodyBytes())));
        } else if (path.equals("/v1/files")) {
            allow(method, "POST");
            Upload u = upload(x.getRequestHeaders().getFirst("Content-Type"), body(x, settings.maxFileBytes()));
            send(x, 200, backend.uploadFile(u.fileName(), u.content(), u.purpose()));
        } else if ((m = FILE.matcher(path)).matches()) {
            allow(method, "GET");
            send(x, 200, backend.file(m.group(1)));
        } else if (path.equals("/v1/fine_tuning/jobs")) {
            if (method.equals("POST")) {
                send(x, 200, backend.startJob(FineTuneRequest.fromJson(jsonBody(body(x, settings.maxBodyBytes())))));
            } else {
                allow(method, "GET");
                ArrayNode data = JsonNodeFactory.instance.arrayNode();
                backend.jobList().forEach(data::add);
                send(x, 200, list(data));
            }
        } else if ((m = JOB.matcher(path)).matches()) {
            allow(method, "GET");
            send(x, 200, m.group(2) == null ? backend.job(m.group(1)) : m.group(2).equals("/events")
                    ? list(backend.events(m.group(1))) : list(backend.checkpointList(m.group(1))));
        } else {
            throw ApiException.notFound(null, "Invalid URL (" + method + " " + path + ")");
        }
    }

    private void chat(HttpExchange x, JsonNode body) throws IOException {
        ChatRequest request = ChatRequest.fromJson(body);
        boolean stream = body.path("stream").asBoolean(false);
        long created = System.currentTimeMillis() / 1000;
        if (!stream) {
            ChatResponse r = backend.chat(request);
            completions.incrementAndGet();
            send(x, 200, r.toJson(created));
            return;
        }
        boolean includeUsage = body.path("stream_options").path("include_usage").asBoolean(false);
        String id = "chatcmpl-" + Canonical.sha256(Canonical.json(body) + "#" + System.nanoTime()).substring(0, 24);
        x.getResponseHeaders().set("Content-Type", "text/event-stream");
        x.getResponseHeaders().set("Cache-Control", "no-cache");
        x.sendResponseHeaders(200, 0);
        OutputStream out = x.getResponseBody();
        boolean[] opened = new boolean[request.n()];
        IOException[] failure = new IOException[1];
        ChatResponse r;
        try {
            r = backend.chat(request, (index, text) -> {
                ObjectNode delta = JsonNodeFactory.instance.objectNode();
                if (!opened[index]) {
                    delta.put("role", "assistant");
                    opened[index] = true;
                }
                delta.put("content", text);
                event(out, chunk(id, created, request.model(), index, delta, null, null), failure);
            });
        } catch (ApiException e) {
            event(out, e.toJson(), failure);
            out.write("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
            return;
        }
        completions.incrementAndGet();
        for (ChatResponse.Choice c : r.choices()) {
            ObjectNode delta = JsonNodeFactory.instance.objectNode();
            if (!opened[c.index()]) {
                delta.put("role", "assistant").put("content", "");
            }
            ObjectNode lp = null;
            if (c.logprobs() != null) {
                lp = JsonNodeFactory.instance.objectNode();
                ChatResponse.logprobsJson(lp.putArray("content"), c.logprobs());
            }
            event(out, chunk(id, created, request.model(), c.index(), delta, lp, c.finishReason()), failure);
        }
        if (includeUsage) {
            ObjectNode u = chunkBase(id, created, request.model());
            u.putArray("choices");
            u.putObject("usage").put("prompt_tokens", r.usage().promptTokens())
                    .put("completion_tokens", r.usage().completionTokens()).put("total_tokens", r.usage().total());
            event(out, u, failure);
        }
        out.write("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
        out.flush();
        if (failure[0] != null) {
            throw failure[0];
        }
    }

    private static ObjectNode chunkBase(String id, long created, String model) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("id", id);
        o.put("object", "chat.completion.chunk");
        o.put("created", created);
        o.put("model", model);
        o.put("system_fingerprint", "subliminal");
        return o;
    }

    private static ObjectNode chunk(String id, long created, String model, int index, ObjectNode delta, ObjectNode logprobs,
            String finish) {
        ObjectNode o = chunkBase(id, created, model);
        ObjectNode c = o.putArray("choices").addObject();
        c.put("index", index);
        c.set("delta", delta);
        c.set("logprobs", logprobs == null ? JsonNodeFactory.instance.nullNode() : logprobs);
        c.put("finish_reason", finish);
        return o;
    }

    private static void event(OutputStream out, JsonNode data, IOException[] failure) {
        if (failure[0] != null) {
            return;
        }
        try {
            out.write(("data: " + Canonical.MAPPER.writeValueAsString(data) + "\n\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
        } catch (IOException e) {
            failure[0] = e;
        }
    }

    private void authorize(HttpExchange x) {
        if (settings.apiKey() == null) {
            return;
        }
        String h = x.getRequestHeaders().getFirst("Authorization");
        byte[] expected = ("Bearer " + settings.apiKey()).getBytes(StandardCharsets.UTF_8);
        if (h == null || !MessageDigest.isEqual(expected, h.strip().getBytes(StandardCharsets.UTF_8))) {
            throw new ApiException(401, "invalid_request_error", null, "invalid_api_key", h == null
                    ? "You didn't provide an API key. Send it as 'Authorization: Bearer KEY'."
                    : "Incorrect API key provided.");
        }
    }

    private static void allow(String method, String expected) {
        if (!method.equals(expected)) {
            throw new ApiException(405, "invalid_request_error", null, "method_not_allowed", "Use " + expected
                    + " for this path, not " + method + ".");
        }
    }

    /**
     * A file upload as {@code POST /v1/files} reads it: the {@code file} and {@code purpose} fields of
     * a multipart body.
     *
     * @param fileName the file name the client gave, or null
     * @param content the file's bytes
     * @param purpose the purpose, stripped
     */
    public record Upload(String fileName, byte[] content, String purpose) {
    }

    /**
     * The upload of a {@code POST /v1/files} body with its {@code Content-Type} header.
     *
     * @throws ApiException 400 naming what is malformed or missing
     */
    public static Upload upload(String contentType, byte[] body) {
        Map<String, Multipart.Part> parts = Multipart.parse(contentType, body);
        Multipart.Part file = parts.get("file");
        if (file == null) {
            throw ApiException.badRequest("file", "the upload has no 'file' field");
        }
        Multipart.Part purpose = parts.get("purpose");
        if (purpose == null) {
            throw ApiException.badRequest("purpose", "the upload has no 'purpose' field");
        }
        return new Upload(file.fileName(), file.content(), purpose.text().strip());
    }

    /**
     * The JSON of a request body ({@code POST /v1/chat/completions}, {@code POST /v1/fine_tuning/jobs}),
     * which {@link ChatRequest#fromJson} and {@link FineTuneRequest#fromJson} then read.
     *
     * @throws ApiException 400 when the body is empty or not JSON
     */
    public static JsonNode jsonBody(byte[] body) {
        try {
            JsonNode n = Canonical.MAPPER.readTree(body);
            if (n == null) {
                throw ApiException.badRequest(null, "the request body is empty; send a JSON object");
            }
            return n;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw ApiException.badRequest(null, "We could not parse the JSON body of your request: "
                    + Texts.oneLine(e.getOriginalMessage()));
        } catch (IOException e) {
            // bytes the parser takes for UTF-16 or UTF-32 (a zero byte after '{') that do not decode
            throw ApiException.badRequest(null, "We could not parse the JSON body of your request: it is not UTF-8 text ("
                    + Texts.oneLine(String.valueOf(e.getMessage())) + ")");
        }
    }

    private static byte[] body(HttpExchange x, long limit) throws IOException {
        String len = x.getRequestHeaders().getFirst("Content-Length");
        if (len != null) {
            try {
                long declared = Long.parseLong(len.strip());
                if (declared > limit) {
                    if (declared <= DRAIN_LIMIT) {
                        x.getRequestBody().transferTo(OutputStream.nullOutputStream());
                    }
                    throw tooLarge(limit);
                }
            } catch (NumberFormatException e) {
                throw ApiException.badRequest(null, "Content-Length '" + len + "' is not a number");
            }
        }
        InputStream in = x.getRequestBody();
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        byte[] buf = new byte[1 << 16];
        long total = 0;
        for (int r; (r = in.read(buf)) > 0;) {
            total += r;
            if (total > limit) {
                throw tooLarge(limit);
            }
            b.write(buf, 0, r);
        }
        return b.toByteArray();
    }

    private static ApiException tooLarge(long limit) {
        return new ApiException(413, "invalid_request_error", null, "request_too_large",
                "The request body is larger than this server's limit of " + limit + " bytes.");
    }

    private static ObjectNode model(ServedModel s) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("id", s.name());
        o.put("object", "model");
        o.put("created", s.created());
        o.put("owned_by", s.ownedBy());
        return o;
    }

    private static ObjectNode list(ArrayNode data) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("object", "list");
        o.set("data", data);
        o.put("has_more", false);
        if (!data.isEmpty()) {
            o.put("first_id", data.get(0).path("id").asText(null));
            o.put("last_id", data.get(data.size() - 1).path("id").asText(null));
        }
        return o;
    }

    private static void send(HttpExchange x, int status, JsonNode body) throws IOException {
        byte[] b = Canonical.MAPPER.writeValueAsBytes(body);
        x.getResponseHeaders().set("Content-Type", "application/json");
        x.sendResponseHeaders(status, b.length);
        x.getResponseBody().write(b);
    }

    /** Stops listening and stops the handler threads (exchanges in flight are cut off). */
    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
        try {
            pool.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Every route this server answers, for help texts. */
    public static List<String> routes() {
        return List.of("GET /v1/models", "GET /v1/models/{id}", "POST /v1/chat/completions", "POST /v1/files",
                "GET /v1/files/{id}", "POST /v1/fine_tuning/jobs", "GET /v1/fine_tuning/jobs",
                "GET /v1/fine_tuning/jobs/{id}", "GET /v1/fine_tuning/jobs/{id}/events",
                "GET /v1/fine_tuning/jobs/{id}/checkpoints");
    }
}
