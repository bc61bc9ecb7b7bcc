package dev.subliminal.lm.backend;

import com.fasterxml.jackson.databind.JsonNode;
import dev.subliminal.theory.random.Seeds;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.apache.commons.rng.UniformRandomProvider;

/**
 * An OpenAI-compatible endpoint (the OpenAI API, vLLM, {@code subliminal serve}) over the JDK's HTTP
 * client. At most {@code concurrency} requests are in flight; a request that meets 429, 408, 5xx, a
 * timeout or a dropped connection is sent again after a delay: the server's {@code retry-after-ms}
 * or {@code Retry-After} when it gives one, else exponential backoff d_k = min(d_max, d_0·2^(k−1))
 * scaled by a jitter factor in [0.5, 1) drawn from the seed and the request's key (so two runs wait
 * alike), at most {@code maxAttempts} tries. 401 and 403 say which environment variable holds the
 * refused key; 404 says which settings name the URL and the model. The API key is read from the
 * environment once and sent only in the Authorization header; it is never part of a message.
 */
public final class HttpBackend implements Backend {

    /**
     * Where and how to send.
     *
     * @param baseUrl the API root, such as {@code https://api.openai.com/v1} (setting {@code base_url})
     * @param apiKeyVariable the environment variable holding the key, or null for none (setting {@code api_key_env})
     * @param concurrency most requests in flight
     * @param maxAttempts most tries per request (≥ 1)
     * @param timeout connect and response timeout per try
     * @param initialBackoff d_0
     * @param maxBackoff d_max (a server's Retry-After is obeyed up to 5 minutes)
     * @param jitterSeed the seed of the jitter draws
     */
    public record Settings(URI baseUrl, String apiKeyVariable, int concurrency, int maxAttempts, Duration timeout,
            Duration initialBackoff, Duration maxBackoff, long jitterSeed) {
        public Settings {
            if (baseUrl == null || baseUrl.getScheme() == null
                    || !(baseUrl.getScheme().equals("http") || baseUrl.getScheme().equals("https"))) {
                throw new IllegalArgumentException("base_url " + baseUrl + " must be an http:// or https:// URL");
            }
            if (concurrency < 1 || maxAttempts < 1) {
                throw new IllegalArgumentException("concurrency = " + concurrency + " and max_attempts = " + maxAttempts
                        + " must be at least 1");
            }
            String s = baseUrl.toString();
            baseUrl = URI.create(s.endsWith("/") ? s.substring(0, s.length() - 1) : s);
        }

        /** 8 in flight, 8 tries, 120 s timeout, backoff from 1 s to 60 s, jitter seed 0. */
        public static Settings of(URI baseUrl, String apiKeyVariable) {
            return new Settings(baseUrl, apiKeyVariable, 8, 8, Duration.ofSeconds(120), Duration.ofSeconds(1),
                    Duration.ofSeconds(60), 0);
        }

        /** The same with another concurrency. */
        public Settings withConcurrency(int c) {
            return new Settings(baseUrl, apiKeyVariable, c, maxAttempts, timeout, initialBackoff, maxBackoff, jitterSeed);
        }

        /** The same with other retry and timeout limits. */
        public Settings withRetries(int attempts, Duration perTry, Duration initial, Duration max) {
            return new Settings(baseUrl, apiKeyVariable, concurrency, attempts, perTry, initial, max, jitterSeed);
        }
    }

    /** The longest wait a server's Retry-After is obeyed for. */
    static final Duration MAX_RETRY_AFTER = Duration.ofMinutes(5);

    private final Settings settings;
    private final String apiKey;
    private final HttpClient client;
    private final AtomicInteger retries = new AtomicInteger();

    /**
     * A backend reading its key from {@code environment} (normally {@code System::getenv}).
     *
     * @throws IllegalArgumentException when the settings name a key variable that is unset or empty
     */
    public HttpBackend(Settings settings, Function<String, String> environment) {
        this.settings = settings;
        if (settings.apiKeyVariable() != null) {
            String k = environment.apply(settings.apiKeyVariable());
            if (k == null || k.isBlank()) {
                throw new IllegalArgumentException("the environment variable " + settings.apiKeyVariable()
                        + " (setting api_key_env) is not set; export it with the API key for " + settings.baseUrl());
            }
            this.apiKey = k.strip();
        } else {
            this.apiKey = null;
        }
        this.client = HttpClient.newBuilder().connectTimeout(settings.timeout()).version(HttpClient.Version.HTTP_1_1)
                .build();
    }

    @Override
    public String id() {
        return settings.baseUrl().toString();
    }

    /** How many tries were repeated so far (all requests). */
    public int retries() {
        return retries.get();
    }

    @Override
    public List<String> models() {
        JsonNode o = send("GET", "/models", null, null, "models");
        List<String> out = new ArrayList<>();
        for (JsonNode m : o.path("data")) {
            out.add(m.path("id").asText());
        }
        return out;
    }

    @Override
    public ChatResponse chat(ChatRequest request) {
        String body = Canonical.json(request.toJson());
        return ChatResponse.fromJson(send("POST", "/chat/completions", body.getBytes(StandardCharsets.UTF_8),
                "application/json", body));
    }

    /**
     * Sends the requests on {@code concurrency} threads. On the first failure no further request
     * starts; those in flight finish (and are handed to {@code done}, so a store keeps what was paid
     * for), then the failure is thrown.
     */
    @Override
    public void chatEach(List<ChatRequest> requests, Completion done) {
        if (requests.isEmpty()) {
            return;
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(settings.concurrency(), requests.size()), r -> {
            Thread t = new Thread(r, "chat-request");
            t.setDaemon(true);
            return t;
        });
        java.util.concurrent.atomic.AtomicBoolean failed = new java.util.concurrent.atomic.AtomicBoolean();
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < requests.size(); i++) {
                int index = i;
                futures.add(pool.submit(() -> {
                    if (failed.get()) {
                        return;
                    }
                    try {
                        done.completed(index, chat(requests.get(index)));
                    } catch (RuntimeException e) {
                        failed.set(true);
                        throw e;
                    }
                }));
            }
            RuntimeException first = null;
            for (Future<?> f : futures) {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    if (first == null) {
                        first = e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
                    }
                }
            }
            if (first != null) {
                throw first;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while sending chat requests", e);
        } finally {
            pool.shutdownNow();
        }
    }

    @Override
    public String uploadTrainingFile(String fileName, byte[] jsonLines) {
        String boundary = "----subliminal" + Canonical.sha256(jsonLines).substring(0, 24);
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        String head = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"purpose\"\r\n\r\nfine-tune\r\n--" + boundary
                + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + fileName.replace("\"", "")
                + "\"\r\nContent-Type: application/jsonl\r\n\r\n";
        b.writeBytes(head.getBytes(StandardCharsets.UTF_8));
        b.writeBytes(jsonLines);
        b.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        JsonNode o = send("POST", "/files", b.toByteArray(), "multipart/form-data; boundary=" + boundary,
                "file " + Canonical.sha256(jsonLines));
        if (!o.path("id").isTextual()) {
            throw new ApiException(502, "bad_response", null, null, "the backend's answer to a file upload has no id");
        }
        return o.get("id").asText();
    }

    @Override
    public FineTuneJob startFineTune(FineTuneRequest request) {
        String body = Canonical.json(request.toJson());
        return FineTuneJob.fromJson(send("POST", "/fine_tuning/jobs", body.getBytes(StandardCharsets.UTF_8),
                "application/json", body));
    }

    @Override
    public FineTuneJob fineTuneJob(String id) {
        return FineTuneJob.fromJson(send("GET", "/fine_tuning/jobs/" + id, null, null, "job " + id));
    }

    /** {@code GET /fine_tuning/jobs/ID/checkpoints}, in step order; none when the endpoint does not exist (404). */
    @Override
    public List<FineTuneCheckpoint> fineTuneCheckpoints(String id) {
        JsonNode o;
        try {
            o = send("GET", "/fine_tuning/jobs/" + id + "/checkpoints", null, null, "checkpoints " + id);
        } catch (ApiException e) {
            if (e.status() == 404) {
                return List.of();
            }
            throw e;
        }
        List<FineTuneCheckpoint> out = new java.util.ArrayList<>();
        for (JsonNode c : o.path("data")) {
            out.add(FineTuneCheckpoint.fromJson(c));
        }
        out.sort(java.util.Comparator.comparingInt(FineTuneCheckpoint::step));
        return out;
    }

    /** Sends one request with retries; returns the JSON body of the first 2xx answer. */
    JsonNode send(String method, String path, byte[] body, String contentType, String key) {
        URI uri = URI.create(settings.baseUrl() + path);
        UniformRandomProvider jitter = Seeds.stream(settings.jitterSeed(), "retry " + Canonical.sha256(key));
        String last = null;
        for (int attempt = 1; attempt <= settings.maxAttempts(); attempt++) {
            HttpRequest.Builder rb = HttpRequest.newBuilder(uri).timeout(settings.timeout());
            if (apiKey != null) {
                rb.header("Authorization", "Bearer " + apiKey);
            }
            if (body != null) {
                rb.header("Content-Type", contentType).method(method, HttpRequest.BodyPublishers.ofByteArray(body));
            } else {
                rb.method(method, HttpRequest.BodyPublishers.noBody());
            }
            Duration wait = null;
            try {
                HttpResponse<byte[]> r = exchange(rb.build());
                int code = r.statusCode();
                if (code >= 200 && code < 300) {
                    try {
                        return Canonical.MAPPER.readTree(r.body());
                    } catch (IOException e) {
                        last = "a " + code + " answer whose body is not JSON (" + e.getMessage() + ")";
                    }
                } else if (code == 429 || code == 408 || code >= 500) {
                    last = "HTTP " + code + serverMessage(r.body());
                    wait = retryAfter(r).orElse(null);
                } else {
                    throw refusal(method, path, code, r.body());
                }
            } catch (HttpTimeoutException e) {
                last = "no answer within " + settings.timeout();
            } catch (IOException e) {
                last = "connection failed (" + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": "
                        + e.getMessage()) + ")";
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while sending " + method + " " + path, e);
            }
            if (attempt == settings.maxAttempts()) {
                break;
            }
            double d0 = settings.initialBackoff().toNanos() * Math.pow(2, attempt - 1);
            long backoff = (long) (Math.min(settings.maxBackoff().toNanos(), d0) * (0.5 + 0.5 * jitter.nextDouble()));
            long nanos = wait == null ? backoff : Math.min(MAX_RETRY_AFTER.toNanos(), Math.max(wait.toNanos(), 0));
            retries.incrementAndGet();
            try {
                Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting to retry " + method + " " + path, e);
            }
        }
        throw new ApiException(503, "retries_exhausted", null, null, method + " " + settings.baseUrl() + path
                + " failed " + settings.maxAttempts() + " times (setting max_attempts); last: " + last
                + ". Finished requests are stored: rerun to continue");
    }

    /**
     * One try. The request's timeout covers the wait for the answer's headers only; a body that stops
     * arriving is cut off too, after twice the timeout.
     */
    private HttpResponse<byte[]> exchange(HttpRequest request) throws IOException, InterruptedException {
        java.util.concurrent.CompletableFuture<HttpResponse<byte[]>> f = client.sendAsync(request,
                HttpResponse.BodyHandlers.ofByteArray());
        try {
            return f.get(2 * settings.timeout().toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            f.cancel(true);
            throw new HttpTimeoutException("no complete answer within " + settings.timeout().multipliedBy(2));
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException(e.getCause());
        } catch (InterruptedException e) {
            f.cancel(true);
            throw e;
        }
    }

    private ApiException refusal(String method, String path, int code, byte[] body) {
        String where = method + " " + settings.baseUrl() + path + " answered HTTP " + code + serverMessage(body);
        String fix = switch (code) {
            case 401, 403 -> settings.apiKeyVariable() == null
                    ? ". The endpoint wants an API key: name the environment variable that holds it in the setting api_key_env"
                    : ". The key in the environment variable " + settings.apiKeyVariable()
                            + " (setting api_key_env) was refused: set it to a valid key for " + settings.baseUrl();
            case 404 -> ". Check the setting base_url (" + settings.baseUrl()
                    + ") and the model names in the configuration (teacher/student model, or the job id)";
            default -> "";
        };
        JsonNode err = parse(body).path("error");
        return new ApiException(code, err.path("type").asText("http_" + code), err.path("param").asText(null),
                err.path("code").asText(null), where + fix);
    }

    private static String serverMessage(byte[] body) {
        JsonNode m = parse(body).path("error").path("message");
        return m.isTextual() ? ": " + m.asText() : "";
    }

    private static JsonNode parse(byte[] body) {
        try {
            JsonNode n = Canonical.MAPPER.readTree(body);
            return n == null ? Canonical.MAPPER.createObjectNode() : n;
        } catch (IOException e) {
            return Canonical.MAPPER.createObjectNode();
        }
    }

    /** The server's wish: {@code retry-after-ms}, or {@code Retry-After} in seconds or as an HTTP date. */
    static Optional<Duration> retryAfter(HttpResponse<?> r) {
        Optional<String> ms = r.headers().firstValue("retry-after-ms");
        if (ms.isPresent()) {
            try {
                return Optional.of(Duration.ofNanos((long) (Double.parseDouble(ms.get().trim()) * 1e6)));
            } catch (NumberFormatException e) {
                // fall through to Retry-After
            }
        }
        Optional<String> s = r.headers().firstValue("retry-after");
        if (s.isEmpty()) {
            return Optional.empty();
        }
        String v = s.get().trim();
        try {
            return Optional.of(Duration.ofNanos((long) (Double.parseDouble(v) * 1e9)));
        } catch (NumberFormatException e) {
            try {
                ZonedDateTime at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME.withLocale(Locale.ROOT));
                return Optional.of(Duration.between(ZonedDateTime.now(at.getZone()), at));
            } catch (RuntimeException ignored) {
                return Optional.empty();
            }
        }
    }
}
