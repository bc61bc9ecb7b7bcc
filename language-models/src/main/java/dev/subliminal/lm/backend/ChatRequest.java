package dev.subliminal.lm.backend;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.subliminal.lm.tokenizer.ChatTemplate.Message;
import dev.subliminal.lm.tokenizer.ChatTemplate.Role;
import dev.subliminal.results.Texts;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One chat-completion request as the OpenAI API takes it: n completions of a conversation, drawn at
 * temperature τ with nucleus top-p, at most {@code maxTokens} new tokens each, from a seed, with the
 * log-probability of each drawn token (and the {@code topLogprobs} most likely alternatives) when
 * asked. {@link #toJson} is the request body; the canonical text of that body is the request's key
 * in a {@link RequestStore}.
 *
 * @param model the model's name at the backend
 * @param messages the conversation (at least one message)
 * @param n the number of completions, 1 to 128
 * @param temperature τ in [0, 2]
 * @param topP p in (0, 1]
 * @param maxTokens most new tokens per completion, or null for the backend's limit
 * @param seed the seed of the draws, or null (a backend then picks its own; results may not repeat)
 * @param logprobs whether to return log P of each completion token
 * @param topLogprobs how many most-likely alternatives to return per token, 0 to 20 (needs logprobs)
 */
public record ChatRequest(String model, List<Message> messages, int n, double temperature, double topP,
        Integer maxTokens, Long seed, boolean logprobs, int topLogprobs) {

    public ChatRequest {
        if (model == null || model.isBlank()) {
            throw ApiException.badRequest("model", "a chat request needs a model name");
        }
        if (messages == null || messages.isEmpty()) {
            throw ApiException.badRequest("messages", "a chat request needs at least one message");
        }
        messages = List.copyOf(messages);
        if (n < 1 || n > 128) {
            throw ApiException.badRequest("n", "n = " + n + " must be in [1, 128]");
        }
        if (!(temperature >= 0 && temperature <= 2)) {
            throw ApiException.badRequest("temperature", "temperature = " + temperature + " must be in [0, 2]");
        }
        if (!(topP > 0 && topP <= 1)) {
            throw ApiException.badRequest("top_p", "top_p = " + topP + " must be in (0, 1]");
        }
        if (maxTokens != null && maxTokens < 1) {
            throw ApiException.badRequest("max_tokens", "max_tokens = " + maxTokens + " must be at least 1");
        }
        if (topLogprobs < 0 || topLogprobs > 20) {
            throw ApiException.badRequest("top_logprobs", "top_logprobs = " + topLogprobs + " must be in [0, 20]");
        }
        if (topLogprobs > 0 && !logprobs) {
            throw ApiException.badRequest("top_logprobs", "top_logprobs needs logprobs = true");
        }
    }

    /** n completions of a system prompt and a user message, without log-probabilities. */
    public static ChatRequest of(String model, String system, String user, int n, double temperature, int maxTokens,
            long seed) {
        List<Message> m = new ArrayList<>();
        if (system != null) {
            m.add(new Message(Role.SYSTEM, system));
        }
        m.add(new Message(Role.USER, user));
        return new ChatRequest(model, m, n, temperature, 1, maxTokens, seed, false, 0);
    }

    /** The same request for another model. */
    public ChatRequest withModel(String name) {
        return new ChatRequest(name, messages, n, temperature, topP, maxTokens, seed, logprobs, topLogprobs);
    }

    /** The same request asking for log-probabilities and the top k alternatives. */
    public ChatRequest withLogprobs(int top) {
        return new ChatRequest(model, messages, n, temperature, topP, maxTokens, seed, true, top);
    }

    /** The OpenAI request body (fields left at their defaults are still written, so keys are stable). */
    public ObjectNode toJson() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("model", model);
        ArrayNode ms = o.putArray("messages");
        for (Message m : messages) {
            ms.addObject().put("role", m.role().text()).put("content", m.content());
        }
        o.put("n", n);
        o.put("temperature", temperature);
        o.put("top_p", topP);
        if (maxTokens != null) {
            o.put("max_tokens", maxTokens);
        }
        if (seed != null) {
            o.put("seed", seed);
        }
        if (logprobs) {
            o.put("logprobs", true);
            if (topLogprobs > 0) {
                o.put("top_logprobs", topLogprobs);
            }
        }
        return o;
    }

    /**
     * Reads a request body as OpenAI clients write it (unknown fields are ignored; {@code content} may
     * be a string or a list of text parts; {@code max_completion_tokens} is read as max_tokens).
     *
     * @throws ApiException 400 naming the parameter that is missing or malformed
     */
    public static ChatRequest fromJson(JsonNode o) {
        if (o == null || !o.isObject()) {
            throw ApiException.badRequest(null, "the request body must be a JSON object");
        }
        String model = text(o, "model", true);
        JsonNode ms = o.get("messages");
        if (ms == null || !ms.isArray()) {
            throw ApiException.badRequest("messages", "messages must be an array of {role, content}");
        }
        List<Message> messages = new ArrayList<>();
        for (int i = 0; i < ms.size(); i++) {
            JsonNode m = ms.get(i);
            String where = "messages[" + i + "]";
            if (!m.isObject() || !m.path("role").isTextual()) {
                throw ApiException.badRequest(where, where + " needs a role");
            }
            Role role = switch (m.get("role").asText().toLowerCase(Locale.ROOT)) {
                case "system", "developer" -> Role.SYSTEM;
                case "user" -> Role.USER;
                case "assistant" -> Role.ASSISTANT;
                default -> throw ApiException.badRequest(where + ".role", "role '" + Texts.quote(m.get("role").asText())
                        + "' is not system, developer, user or assistant");
            };
            messages.add(new Message(role, content(m.get("content"), where + ".content")));
        }
        int n = integer(o, "n", 1);
        double temperature = number(o, "temperature", 1);
        double topP = number(o, "top_p", 1);
        Integer maxTokens = o.hasNonNull("max_tokens") ? Integer.valueOf(integer(o, "max_tokens", 0))
                : o.hasNonNull("max_completion_tokens") ? Integer.valueOf(integer(o, "max_completion_tokens", 0)) : null;
        Long seed = null;
        if (o.hasNonNull("seed")) {
            if (!o.get("seed").canConvertToLong() || !o.get("seed").isIntegralNumber()) {
                throw ApiException.badRequest("seed", "seed must be an integer");
            }
            seed = o.get("seed").asLong();
        }
        boolean logprobs = false;
        if (o.hasNonNull("logprobs")) {
            if (!o.get("logprobs").isBoolean()) {
                throw ApiException.badRequest("logprobs", "logprobs must be true or false");
            }
            logprobs = o.get("logprobs").asBoolean();
        }
        int top = integer(o, "top_logprobs", 0);
        return new ChatRequest(model, messages, n, temperature, topP, maxTokens, seed, logprobs, top);
    }

    private static String content(JsonNode c, String where) {
        if (c != null && c.isTextual()) {
            return c.asText();
        }
        if (c != null && c.isArray()) {
            StringBuilder b = new StringBuilder();
            for (JsonNode part : c) {
                if (!"text".equals(part.path("type").asText()) || !part.path("text").isTextual()) {
                    throw ApiException.badRequest(where, where + ": only text parts are supported");
                }
                b.append(part.get("text").asText());
            }
            return b.toString();
        }
        throw ApiException.badRequest(where, where + " must be a string or a list of text parts");
    }

    private static String text(JsonNode o, String field, boolean required) {
        JsonNode v = o.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                throw ApiException.badRequest(field, "you must provide a " + field + " parameter");
            }
            return null;
        }
        if (!v.isTextual()) {
            throw ApiException.badRequest(field, field + " must be a string");
        }
        return v.asText();
    }

    private static int integer(JsonNode o, String field, int absent) {
        JsonNode v = o.get(field);
        if (v == null || v.isNull()) {
            return absent;
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            throw ApiException.badRequest(field, field + " must be an integer, got " + v);
        }
        return v.asInt();
    }

    private static double number(JsonNode o, String field, double absent) {
        JsonNode v = o.get(field);
        if (v == null || v.isNull()) {
            return absent;
        }
        if (!v.isNumber()) {
            throw ApiException.badRequest(field, field + " must be a number, got " + v);
        }
        return v.asDouble();
    }
}
