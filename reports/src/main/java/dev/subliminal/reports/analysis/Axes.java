package dev.subliminal.reports.analysis;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;
import java.util.Map;

/**
 * How figures and tables name a sweep axis to a reader: in words with the paper's symbol
 * ({@code epsilon} is "teacher step size ε", {@code studentSteps} "student steps K_S"), and how they
 * print one of its values. The axes themselves are the check's settings, declared once in
 * {@code spec}; this is only their presentation (reports depend on results alone).
 */
final class Axes {

    /**
     * An axis in words.
     *
     * @param words what it is
     * @param symbol its symbol in the paper's notation ({@code _} marks a subscript); empty if none
     * @param suffix a word after a categorical value ({@code same} → {@code same init}); empty if none
     */
    record Name(String words, String symbol, String suffix) {

        /** {@code teacher step size ε}. */
        String label() {
            return symbol.isEmpty() ? words : words + " " + symbol;
        }

        /** A setting in a few characters: {@code ε = 0.01}, {@code same init}, {@code tanh}. */
        String setting(JsonNode value) {
            if (value == null || value.isNull()) {
                return words + " n/a";
            }
            if (value.isNumber()) {
                return (symbol.isEmpty() ? words : symbol) + " = " + number(value.doubleValue());
            }
            String v = value.isTextual() ? value.textValue() : value.toString();
            return suffix.isEmpty() ? v : v + " " + suffix;
        }
    }

    private static final Map<String, Name> NAMES = Map.ofEntries(
            Map.entry("model", new Name("model", "", "")),
            Map.entry("widths", new Name("layer sizes", "", "")),
            Map.entry("activation", new Name("activation", "", "")),
            Map.entry("studentModel", new Name("student model", "", "student")),
            Map.entry("studentWidths", new Name("student layer sizes", "", "student")),
            Map.entry("studentActivation", new Name("student activation", "", "student")),
            Map.entry("weights", new Name("weight initialization", "", "weights")),
            Map.entry("init", new Name("student initialization", "", "init")),
            Map.entry("perturbation", new Name("init perturbation", "σ", "")),
            Map.entry("loss", new Name("imitation loss", "", "imitation")),
            Map.entry("temperature", new Name("temperature", "T", "")),
            Map.entry("distill", new Name("distilled outputs", "K", "")),
            Map.entry("trait", new Name("trait loss", "", "trait")),
            Map.entry("traitSamples", new Name("trait inputs", "m", "")),
            Map.entry("inputs", new Name("student input distribution", "", "inputs")),
            Map.entry("samples", new Name("student inputs", "N", "")),
            Map.entry("epsilon", new Name("teacher step size", "ε", "")),
            Map.entry("alpha", new Name("student step size", "α", "")),
            Map.entry("teacherSteps", new Name("teacher steps", "K_T", "")),
            Map.entry("studentSteps", new Name("student steps", "K_S", "")),
            Map.entry("optimizer", new Name("student optimizer", "", "")),
            Map.entry("weightDecay", new Name("weight decay", "λ", "")),
            Map.entry("labels", new Name("student targets", "", "labels")));

    private Axes() {
    }

    /** The name of {@code key}; an unknown key is split into words ({@code fooBar} → {@code foo bar}). */
    static Name of(String key) {
        Name n = NAMES.get(key);
        return n != null ? n : new Name(key.replaceAll("([a-z])([A-Z])", "$1 $2").toLowerCase(Locale.ROOT), "", "");
    }

    /** A number in at most 3 significant digits without trailing zeros: 0.01, 1e-4, 20, 0.333. */
    static String number(double v) {
        return dev.subliminal.results.Texts.compact(v);
    }
}
