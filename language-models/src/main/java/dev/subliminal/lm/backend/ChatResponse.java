package dev.subliminal.lm.backend;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * A chat completion as the OpenAI API returns it: the choices in order, and the token usage the
 * backend bills (prompt tokens once, completion tokens summed over the choices).
 *
 * @param id the backend's id of the completion
 * @param model the model that answered
 * @param choices the completions, index 0 first
 * @param usage the tokens billed
 */
public record ChatResponse(String id, String model, List<Choice> choices, Usage usage) {

    public ChatResponse {
        choices = List.copyOf(choices);
    }

    /**
     * One completion.
     *
     * @param index its place among the request's n
     * @param content the generated text (without the end-of-turn marker)
     * @param finishReason {@code stop} (the model ended its turn) or {@code length} (max tokens reached)
     * @param logprobs log P of each generated token with its alternatives, or null when not asked
     */
    public record Choice(int index, String content, String finishReason, List<TokenLogprob> logprobs) {
        public Choice {
            logprobs = logprobs == null ? null : List.copyOf(logprobs);
        }
    }

    /**
     * One generated token: its text, its UTF-8 bytes, log P at temperature 1, and the most likely
     * tokens at its position (most likely first).
     */
    public record TokenLogprob(String token, byte[] bytes, double logprob, List<TokenLogprob> top) {
        public TokenLogprob {
            bytes = bytes.clone();
            top = top == null ? List.of() : List.copyOf(top);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof TokenLogprob t && t.token.equals(token) && java.util.Arrays.equals(t.bytes, bytes)
                    && Double.compare(t.logprob, logprob) == 0 && t.top.equals(top);
        }

        @Override
        public int hashCode() {
            return token.hashCode() * 31 + Double.hashCode(logprob);
        }

        @Override
        public byte[] bytes() {
            return bytes.clone();
        }
    }

    /** Tokens billed. */
    public record Usage(long promptTokens, long completionTokens) {
        /** Their sum. */
        public long total() {
            return promptTokens + completionTokens;
        }
    }

    /** The texts of the choices in order. */
    public List<String> texts() {
        List<String> out = new ArrayList<>();
        for (Choice c : choices) {
            out.add(c.content);
        }
        return out;
    }

    /** The OpenAI response body ({@code created} in seconds since the epoch). */
    public ObjectNode toJson(long created) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("id", id);
        o.put("object", "chat.completion");
        o.put("created", created);
        o.put("model", model);
        ArrayNode cs = o.putArray("choices");
        for (Choice c : choices) {
            ObjectNode j = cs.addObject();
            j.put("index", c.index);
            j.putObject("message").put("role", "assistant").put("content", c.content);
            if (c.logprobs == null) {
                j.putNull("logprobs");
            } else {
                logprobsJson(j.putObject("logprobs").putArray("content"), c.logprobs);
            }
            j.put("finish_reason", c.finishReason);
        }
        usageJson(o.putObject("usage"), usage);
        o.put("system_fingerprint", "subliminal");
        return o;
    }

    static void usageJson(ObjectNode u, Usage usage) {
        u.put("prompt_tokens", usage.promptTokens);
        u.put("completion_tokens", usage.completionTokens);
        u.put("total_tokens", usage.total());
    }

    /** Writes {@code [{token, logprob, bytes, top_logprobs}]} into an array. */
    public static void logprobsJson(ArrayNode out, List<TokenLogprob> tokens) {
        for (TokenLogprob t : tokens) {
            ObjectNode e = tokenJson(out.addObject(), t);
            ArrayNode top = e.putArray("top_logprobs");
            for (TokenLogprob a : t.top) {
                tokenJson(top.addObject(), a);
            }
        }
    }

    private static ObjectNode tokenJson(ObjectNode e, TokenLogprob t) {
        e.put("token", t.token);
        e.put("logprob", t.logprob);
        ArrayNode b = e.putArray("bytes");
        for (byte x : t.bytes) {
            b.add(x & 0xFF);
        }
        return e;
    }

    /**
     * Reads an OpenAI chat-completion body.
     *
     * @throws ApiException 502 when the body is not shaped as a chat completion
     */
    public static ChatResponse fromJson(JsonNode o) {
        if (o == null || !o.isObject() || !o.path("choices").isArray()) {
            throw malformed("it has no choices array");
        }
        List<Choice> choices = new ArrayList<>();
        for (JsonNode c : o.get("choices")) {
            JsonNode content = c.path("message").path("content");
            List<TokenLogprob> lp = null;
            JsonNode l = c.path("logprobs").path("content");
            if (l.isArray()) {
                lp = new ArrayList<>();
                for (JsonNode t : l) {
                    List<TokenLogprob> top = new ArrayList<>();
                    for (JsonNode a : t.path("top_logprobs")) {
                        top.add(token(a, List.of()));
                    }
                    lp.add(token(t, top));
                }
            }
            choices.add(new Choice(c.path("index").asInt(choices.size()), content.isTextual() ? content.asText() : "",
                    c.path("finish_reason").asText(null), lp));
        }
        choices.sort(java.util.Comparator.comparingInt(Choice::index));
        JsonNode u = o.path("usage");
        return new ChatResponse(o.path("id").asText(""), o.path("model").asText(""), choices,
                new Usage(u.path("prompt_tokens").asLong(0), u.path("completion_tokens").asLong(0)));
    }

    private static TokenLogprob token(JsonNode t, List<TokenLogprob> top) {
        JsonNode b = t.path("bytes");
        byte[] bytes;
        if (b.isArray()) {
            bytes = new byte[b.size()];
            for (int i = 0; i < bytes.length; i++) {
                bytes[i] = (byte) b.get(i).asInt();
            }
        } else {
            bytes = t.path("token").asText("").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        }
        if (!t.path("logprob").isNumber()) {
            throw malformed("a logprobs entry has no number logprob");
        }
        return new TokenLogprob(t.path("token").asText(""), bytes, t.get("logprob").asDouble(), top);
    }

    private static ApiException malformed(String why) {
        return new ApiException(502, "bad_response", null, null, "the backend's answer is not a chat completion: " + why);
    }
}
