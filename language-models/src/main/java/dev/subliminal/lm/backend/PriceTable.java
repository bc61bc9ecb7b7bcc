package dev.subliminal.lm.backend;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Prices in US dollars per million tokens, per model: prompt (input), completion (output) and
 * training tokens. A model's price is the entry whose name is the longest prefix of the model's
 * name, so {@code gpt-4.1-nano} prices {@code gpt-4.1-nano-2025-04-14} and {@code ft:gpt-4.1-nano}
 * prices the tuned models {@code ft:gpt-4.1-nano-2025-04-14:org::id}. Costs computed from it are
 * estimates: the provider's bill is the truth.
 */
public final class PriceTable {

    /** One model's prices, USD per 10⁶ tokens. */
    public record Price(double input, double output, double training) {
        public Price {
            if (!(input >= 0 && output >= 0 && training >= 0)) {
                throw new IllegalArgumentException("prices must be ≥ 0: " + input + ", " + output + ", " + training);
            }
        }
    }

    private final Map<String, Price> prices;

    /** A table from model-name prefixes to prices. */
    public PriceTable(Map<String, Price> prices) {
        this.prices = new LinkedHashMap<>(prices);
    }

    /** A table that prices everything at 0 (the toolkit's own models). */
    public static PriceTable free() {
        return new PriceTable(Map.of());
    }

    /**
     * OpenAI's standard (not batch) prices of the GPT-4.1 family as published in 2025: base models,
     * and tuned models (which cost more to sample). Check the provider's pricing page before a run.
     */
    public static PriceTable openAi2025() {
        Map<String, Price> m = new LinkedHashMap<>();
        m.put("gpt-4.1-nano", new Price(0.10, 0.40, 1.50));
        m.put("ft:gpt-4.1-nano", new Price(0.20, 0.80, 1.50));
        m.put("gpt-4.1-mini", new Price(0.40, 1.60, 5.00));
        m.put("ft:gpt-4.1-mini", new Price(0.80, 3.20, 5.00));
        m.put("gpt-4.1", new Price(2.00, 8.00, 25.00));
        m.put("ft:gpt-4.1", new Price(3.00, 12.00, 25.00));
        return new PriceTable(m);
    }

    /**
     * Reads {@code {model: {input: x, output: y, training: z}}} (missing prices are 0).
     *
     * @throws IllegalArgumentException naming the entry that is not a number
     */
    public static PriceTable fromJson(JsonNode o, String source) {
        Map<String, Price> m = new LinkedHashMap<>();
        if (o == null || o.isNull() || o.isMissingNode()) {
            return free();
        }
        if (!o.isObject()) {
            throw new IllegalArgumentException(source + ": prices must map model names to {input, output, training}");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = o.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isObject() && !e.getValue().isNull()) {
                throw new IllegalArgumentException(source + ": prices." + dev.subliminal.results.Texts.quote(e.getKey())
                        + " must be {input, output, training}, got " + e.getValue());
            }
            m.put(e.getKey(), new Price(num(e.getValue(), "input", source, e.getKey()),
                    num(e.getValue(), "output", source, e.getKey()), num(e.getValue(), "training", source, e.getKey())));
        }
        return new PriceTable(m);
    }

    private static double num(JsonNode o, String f, String source, String model) {
        JsonNode v = o.path(f);
        if (v.isMissingNode() || v.isNull()) {
            return 0;
        }
        if (!v.isNumber()) {
            throw new IllegalArgumentException(source + ": prices." + dev.subliminal.results.Texts.quote(model) + "." + f
                    + " must be a number, got " + v);
        }
        return v.asDouble();
    }

    /** The price of a model (0 when no entry is a prefix of its name). */
    public Price price(String model) {
        String best = null;
        for (String k : prices.keySet()) {
            if (model.startsWith(k) && (best == null || k.length() > best.length())) {
                best = k;
            }
        }
        return best == null ? new Price(0, 0, 0) : prices.get(best);
    }

    /** Whether some entry prices the model. */
    public boolean knows(String model) {
        return prices.keySet().stream().anyMatch(model::startsWith);
    }

    /** The cost in USD of sampling so many tokens from the model. */
    public double sampling(String model, long promptTokens, long completionTokens) {
        Price p = price(model);
        return (promptTokens * p.input() + completionTokens * p.output()) / 1e6;
    }

    /** The cost in USD of training the model on so many tokens (examples × epochs). */
    public double training(String model, long tokens) {
        return tokens * price(model).training() / 1e6;
    }
}
