package dev.subliminal.lm.backend;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.subliminal.lm.tokenizer.ChatTemplate.Message;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A backend whose answers are kept in a {@link RequestStore}: a chat request already answered by the
 * same backend is read from disk, a new one is sent and stored the moment its answer arrives; an
 * upload of the same bytes returns the stored file id; a fine-tuning request already made returns
 * its stored job (polled, never started twice). So a run stopped by a crash, a rate limit or the
 * user resumes where it stopped and a finished run repeats for free. Counts go to a {@link Ledger}.
 */
public final class StoredBackend implements Backend {

    /**
     * What a list of chat requests would cost.
     *
     * @param requests all requests
     * @param stored those answered already (free)
     * @param promptTokens estimated prompt tokens of the others
     * @param maxCompletionTokens the most completion tokens they may produce (n × max tokens)
     * @param maxCost the estimated cost in USD if every completion ran to max tokens
     */
    public record Plan(int requests, int stored, long promptTokens, long maxCompletionTokens, double maxCost) {
        /** One line. */
        public String summary() {
            return String.format(Locale.ROOT, "%d requests: %d already stored (free), %d to send with about %d prompt "
                    + "tokens and at most %d completion tokens; estimated cost at most $%.4f", requests, stored,
                    requests - stored, promptTokens, maxCompletionTokens, maxCost);
        }
    }

    private final Backend inner;
    private final RequestStore store;
    private final Ledger ledger;

    /** {@code inner} with its answers kept in {@code store}, counted in {@code ledger}. */
    public StoredBackend(Backend inner, RequestStore store, Ledger ledger) {
        this.inner = inner;
        this.store = store;
        this.ledger = ledger;
    }

    /** The ledger. */
    public Ledger ledger() {
        return ledger;
    }

    @Override
    public String id() {
        return inner.id();
    }

    @Override
    public List<String> models() {
        return inner.models();
    }

    private String key(ChatRequest r) {
        return RequestStore.key(inner.id(), "chat/completions", r.toJson());
    }

    /** Whether the request's answer is stored. */
    public boolean stored(ChatRequest r) {
        return store.has(key(r));
    }

    @Override
    public ChatResponse chat(ChatRequest request) {
        ChatResponse[] out = new ChatResponse[1];
        chatEach(List.of(request), (i, r) -> out[0] = r);
        return out[0];
    }

    @Override
    public void chatEach(List<ChatRequest> requests, Completion done) {
        List<ChatRequest> missing = new ArrayList<>();
        List<Integer> where = new ArrayList<>();
        for (int i = 0; i < requests.size(); i++) {
            ChatRequest r = requests.get(i);
            var stored = store.response(key(r));
            if (stored.isPresent()) {
                ChatResponse resp = ChatResponse.fromJson(stored.get());
                ledger.reused(r.model(), resp.usage());
                done.completed(i, resp);
            } else {
                missing.add(r);
                where.add(i);
            }
        }
        inner.chatEach(missing, (j, resp) -> {
            ChatRequest r = missing.get(j);
            store.put(key(r), inner.id(), "chat/completions", r.toJson(), resp.toJson(0));
            ledger.paid(r.model(), resp.usage());
            done.completed(where.get(j), resp);
        });
    }

    @Override
    public String uploadTrainingFile(String fileName, byte[] jsonLines) {
        JsonNode req = JsonNodeFactory.instance.objectNode().put("filename", fileName)
                .put("sha256", Canonical.sha256(jsonLines));
        String key = RequestStore.key(inner.id(), "files", req);
        var stored = store.response(key);
        if (stored.isPresent()) {
            return stored.get().path("id").asText();
        }
        String id = inner.uploadTrainingFile(fileName, jsonLines);
        store.put(key, inner.id(), "files", req, JsonNodeFactory.instance.objectNode().put("id", id));
        return id;
    }

    @Override
    public FineTuneJob startFineTune(FineTuneRequest request) {
        String key = RequestStore.key(inner.id(), "fine_tuning/jobs", request.toJson());
        var stored = store.response(key);
        if (stored.isPresent()) {
            return inner.fineTuneJob(stored.get().path("id").asText());
        }
        FineTuneJob job = inner.startFineTune(request);
        store.put(key, inner.id(), "fine_tuning/jobs", request.toJson(),
                JsonNodeFactory.instance.objectNode().put("id", job.id()));
        return job;
    }

    @Override
    public FineTuneJob fineTuneJob(String id) {
        return inner.fineTuneJob(id);
    }

    @Override
    public List<FineTuneCheckpoint> fineTuneCheckpoints(String id) {
        return inner.fineTuneCheckpoints(id);
    }

    /**
     * Waits for the job; the first time a job of this store is seen to succeed its training tokens
     * go into the ledger.
     */
    @Override
    public String awaitFineTunedModel(String id, java.time.Duration poll, java.time.Duration timeout) {
        String model = inner.awaitFineTunedModel(id, poll, timeout);
        FineTuneJob job = inner.fineTuneJob(id);
        JsonNode req = JsonNodeFactory.instance.objectNode().put("job", id);
        String key = RequestStore.key(inner.id(), "fine_tuning/jobs/done", req);
        if (!store.has(key)) {
            ledger.trained(job.model(), job.trainedTokens() == null ? 0 : job.trainedTokens());
            store.put(key, inner.id(), "fine_tuning/jobs/done", req,
                    JsonNodeFactory.instance.objectNode().put("fine_tuned_model", model));
        }
        return model;
    }

    /**
     * What sending these requests would cost, without sending anything: prompt tokens by the rule of
     * thumb of OpenAI's cookbook (3 per message + about 1 per 4 characters of content + 3), completion
     * tokens at their bound n × max tokens.
     */
    public Plan plan(List<ChatRequest> requests) {
        int stored = 0;
        long prompt = 0;
        long completion = 0;
        double cost = 0;
        for (ChatRequest r : requests) {
            if (stored(r)) {
                stored++;
                continue;
            }
            long p = estimatePromptTokens(r.messages());
            long c = (long) r.n() * (r.maxTokens() == null ? 0 : r.maxTokens());
            prompt += p;
            completion += c;
            cost += ledger.prices().sampling(r.model(), p, c);
        }
        return new Plan(requests.size(), stored, prompt, completion, cost);
    }

    /** OpenAI's rule of thumb for chat prompts: 3 tokens per message, about 4 bytes of text per token, 3 more. */
    public static long estimatePromptTokens(List<Message> messages) {
        long t = 3;
        for (Message m : messages) {
            t += 3 + (m.content().getBytes(StandardCharsets.UTF_8).length + 3) / 4;
        }
        return t;
    }

    @Override
    public void close() {
        inner.close();
    }
}
