package dev.subliminal.lm.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTTP backend against a local OpenAI-shaped server that injects faults by the request's seed s:
 * s = 0 answers 429 with {@code Retry-After: 1} first; s ≡ 1 (mod 6) 429 with
 * {@code retry-after-ms: 40}; s ≡ 2 a 500 then a 502; s ≡ 3 drops the connection mid-answer;
 * s ≡ 4 stays silent past the client's timeout and then drops; s ≡ 5 answers slowly but in time.
 * A request is paid when the server sends a whole answer. The run completes, every request is paid
 * exactly once, no more than the concurrency limit are in flight, and a run stopped midway (the
 * server goes down) resumes from the store and pays only for the rest.
 */
class FaultInjectionTest {

    @TempDir
    Path dir;

    private HttpServer server;
    private final Map<Long, AtomicInteger> attempts = new ConcurrentHashMap<>();
    private final Map<Long, AtomicInteger> paid = new ConcurrentHashMap<>();
    private final List<Long> seedZeroTimes = new CopyOnWriteArrayList<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();
    private volatile int downAfterPaid = Integer.MAX_VALUE;
    private final AtomicInteger totalPaid = new AtomicInteger();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        server.setExecutor(Executors.newFixedThreadPool(16));
        server.createContext("/v1/chat/completions", this::chat);
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }

    private void chat(HttpExchange x) throws IOException {
        int now = inFlight.incrementAndGet();
        maxInFlight.accumulateAndGet(now, Math::max);
        try {
            JsonNode body = Canonical.MAPPER.readTree(x.getRequestBody().readAllBytes());
            long seed = body.path("seed").asLong();
            int attempt = attempts.computeIfAbsent(seed, k -> new AtomicInteger()).incrementAndGet();
            if (seed == 0) {
                seedZeroTimes.add(System.nanoTime());
            }
            if (totalPaid.get() >= downAfterPaid) {
                error(x, 503, null);
                return;
            }
            if (attempt == 1 && seed == 0) {
                x.getResponseHeaders().set("Retry-After", "1");
                error(x, 429, null);
                return;
            }
            int kind = (int) (seed % 6);
            if (kind == 1 && attempt == 1) {
                x.getResponseHeaders().set("retry-after-ms", "40");
                error(x, 429, null);
                return;
            }
            if (kind == 2 && attempt <= 2) {
                error(x, attempt == 1 ? 500 : 502, null);
                return;
            }
            if (kind == 3 && attempt == 1) {
                drop(x);
            }
            if (kind == 4 && attempt == 1) {
                inFlight.decrementAndGet(); // the client gives up on it after its timeout and sends again
                sleep(1600);
                inFlight.incrementAndGet();
                drop(x);
            }
            if (kind == 5) {
                sleep(150);
            }
            ObjectNode o = JsonNodeFactory.instance.objectNode();
            o.put("id", "chatcmpl-" + seed);
            o.put("object", "chat.completion");
            o.put("model", body.path("model").asText());
            ObjectNode c = o.putArray("choices").addObject();
            c.put("index", 0);
            c.putObject("message").put("role", "assistant").put("content", expected(seed));
            c.put("finish_reason", "stop");
            o.putObject("usage").put("prompt_tokens", 20).put("completion_tokens", 7).put("total_tokens", 27);
            byte[] b = Canonical.MAPPER.writeValueAsBytes(o);
            // Counted before the answer leaves: once the client has it, the test may read the counts.
            paid.computeIfAbsent(seed, k -> new AtomicInteger()).incrementAndGet();
            totalPaid.incrementAndGet();
            x.sendResponseHeaders(200, b.length);
            x.getResponseBody().write(b);
            x.close();
        } finally {
            inFlight.decrementAndGet();
        }
    }

    static String expected(long seed) {
        return "412, 77" + seed + ", 9.";
    }

    private static void error(HttpExchange x, int code, String message) throws IOException {
        byte[] b = ("{\"error\":{\"message\":\"" + (message == null ? "injected " + code : message)
                + "\",\"type\":\"server_error\",\"param\":null,\"code\":null}}").getBytes(StandardCharsets.UTF_8);
        x.sendResponseHeaders(code, b.length);
        x.getResponseBody().write(b);
        x.close();
    }

    /**
     * Drops the connection without an answer: the JDK server closes the connection of a handler that
     * throws before it answers (the exchange is left open for that).
     */
    private static void drop(HttpExchange x) {
        throw new IllegalStateException("injected: connection dropped");
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private HttpBackend client(int attemptsPerRequest) {
        var s = new HttpBackend.Settings(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/v1"), null, 4,
                attemptsPerRequest, Duration.ofMillis(1500), Duration.ofMillis(20), Duration.ofMillis(200), 42);
        return new HttpBackend(s, k -> null);
    }

    static List<ChatRequest> requests(int count) {
        List<ChatRequest> out = new ArrayList<>();
        for (int s = 0; s < count; s++) {
            out.add(ChatRequest.of("teacher", "You love owls.", "Continue: 142, 857", 1, 1.0, 20, s));
        }
        return out;
    }

    @Test
    void completesThroughFaultsPayingEachRequestOnce() {
        List<ChatRequest> rs = requests(24);
        HttpBackend http = client(5);
        Ledger ledger = new Ledger(PriceTable.openAi2025());
        List<ChatResponse> out = new StoredBackend(http, new RequestStore(dir.resolve("store")), ledger)
                .chatAll(rs.stream().map(r -> r.withModel("gpt-4.1-nano")).toList());
        for (int s = 0; s < 24; s++) {
            assertThat(out.get(s).texts()).containsExactly(expected(s));
            assertThat(paid.get((long) s).get()).as("seed %d paid", s).isEqualTo(1);
        }
        assertThat(attempts.get(2L).get()).isEqualTo(3);
        assertThat(attempts.get(4L).get()).isEqualTo(2);
        assertThat(http.retries()).isEqualTo(1 + 4 + 2 * 4 + 4 + 4);
        assertThat(maxInFlight.get()).isLessThanOrEqualTo(4);
        // Retry-After: 1 was obeyed.
        assertThat(seedZeroTimes).hasSize(2);
        assertThat(seedZeroTimes.get(1) - seedZeroTimes.get(0)).isGreaterThanOrEqualTo(1_000_000_000L);
        assertThat(ledger.sent()).isEqualTo(24);
        // 24 × (20 × $0.10 + 7 × $0.40) per 10⁶ tokens.
        assertThat(ledger.cost()).isCloseTo(24 * (20 * 0.10 + 7 * 0.40) / 1e6, org.assertj.core.data.Offset.offset(1e-15));
    }

    @Test
    void aRunStoppedMidwayResumesAndPaysOnlyForTheRest() {
        List<ChatRequest> rs = requests(18);
        RequestStore store = new RequestStore(dir.resolve("store"));
        downAfterPaid = 8;
        Ledger first = new Ledger(PriceTable.free());
        assertThatThrownBy(() -> new StoredBackend(client(3), store, first).chatAll(rs))
                .isInstanceOf(ApiException.class).hasMessageContaining("rerun to continue");
        long storedAfterCrash = store.size();
        assertThat(storedAfterCrash).isEqualTo(totalPaid.get()).isEqualTo(first.sent()).isBetween(8L, 17L);
        downAfterPaid = Integer.MAX_VALUE;
        Ledger second = new Ledger(PriceTable.free());
        List<ChatResponse> out = new StoredBackend(client(5), store, second).chatAll(rs);
        for (int s = 0; s < rs.size(); s++) {
            assertThat(out.get(s).texts()).containsExactly(expected(s));
            assertThat(paid.get((long) s).get()).as("seed %d paid", s).isEqualTo(1);
        }
        assertThat(second.reused()).isEqualTo(storedAfterCrash);
        assertThat(second.sent()).isEqualTo(rs.size() - storedAfterCrash);
        // A third run is free.
        Ledger third = new Ledger(PriceTable.free());
        new StoredBackend(client(1), store, third).chatAll(rs);
        assertThat(third.sent()).isZero();
        assertThat(totalPaid.get()).isEqualTo(rs.size());
    }
}
