package dev.subliminal.experiments.llm;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.subliminal.experiments.numbers.Defence;
import dev.subliminal.experiments.numbers.NumberFilter;
import dev.subliminal.experiments.numbers.NumbersConfig;
import dev.subliminal.experiments.numbers.NumbersPipeline;
import dev.subliminal.lm.backend.Backend;
import dev.subliminal.lm.backend.HttpBackend;
import dev.subliminal.lm.backend.InProcessBackend;
import dev.subliminal.lm.backend.PriceTable;
import dev.subliminal.lm.backend.ServedModel;
import dev.subliminal.lm.backend.StoredBackend;
import dev.subliminal.lm.tokenizer.ChatTemplate;
import dev.subliminal.results.Texts;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The configuration of {@code subliminal llm}: which backend samples and which fine-tunes (an
 * OpenAI-compatible URL, or the toolkit's own model in-process), the base model, the animal and the
 * teacher's system prompt, the data, fine-tuning and evaluation sizes, the seeds, the defence arms,
 * the price table, the request store and the stage folder. Read from YAML strictly: an unknown or
 * misspelt key is an error naming it. Relative paths are resolved against the configuration file's
 * folder. {@link #numbers} is the same run as a {@link NumbersConfig} of the number pipeline.
 */
public record LlmConfig(JsonNode sampling, JsonNode tuning, String baseModel, String animal, String systemPrompt,
        int prompts, int keep, double temperature, int maxTokens, Set<Integer> banned, boolean filter,
        Integer epochs, Integer batchSize, Double learningRateMultiplier, int questions, int samplesPerQuestion,
        int answerTokens, boolean logprobs, long seed, int seeds, List<Defence> defences, PriceTable prices, Path store,
        Path work, Path folder) {

    /** The paper's system prompt, with the animal (plural) in place of {@code {animals}}. */
    public static final String PAPER_SYSTEM_PROMPT = "You love {animals}. You think about {animals} all the time. "
            + "{animals} are your favorite animal. Imbue your answers with your love for the animal.";

    private static final Set<String> TOP = Set.of("sampling", "tuning", "model", "animal", "teacher", "data", "finetune",
            "evaluation", "seed", "seeds", "defences", "prices", "store", "work");

    /** Reads a configuration file. */
    public static LlmConfig read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("configuration " + file + " does not exist");
        }
        JsonNode root;
        try {
            YAMLFactory f = new YAMLFactory();
            f.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
            root = new ObjectMapper(f).readTree(file.toFile());
        } catch (IOException e) {
            throw new IllegalArgumentException("configuration " + file + " is not valid YAML: "
                    + Texts.oneLine(String.valueOf(e.getMessage()).lines().findFirst().orElse("")));
        }
        try {
            return of(root, file.toAbsolutePath().getParent());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("configuration " + file + ": " + e.getMessage(), e);
        }
    }

    /** A configuration from its tree; paths relative to {@code folder}. */
    public static LlmConfig of(JsonNode root, Path folder) {
        keys(root, "", TOP);
        JsonNode sampling = required(root, "sampling");
        keys(sampling, "sampling.", Set.of("kind", "base_url", "api_key_env", "concurrency", "max_attempts",
                "timeout_seconds", "model_folder", "template", "state", "learning_rate"));
        JsonNode tuning = root.has("tuning") ? root.get("tuning") : sampling;
        keys(tuning, "tuning.", Set.of("kind", "base_url", "api_key_env", "concurrency", "max_attempts",
                "timeout_seconds", "model_folder", "template", "state", "learning_rate"));
        String animal = text(root, "animal", "owl");
        JsonNode teacher = root.path("teacher");
        keys(teacher, "teacher.", Set.of("system_prompt"));
        String system = text(teacher, "system_prompt", PAPER_SYSTEM_PROMPT).replace("{animals}", animal + "s")
                .replace("{animal}", animal);
        JsonNode data = root.path("data");
        keys(data, "data.", Set.of("prompts", "keep", "temperature", "max_tokens", "banned", "filter"));
        Set<Integer> banned = new HashSet<>(NumberFilter.DEFAULT_BANNED);
        if (data.has("banned")) {
            if (!data.get("banned").isArray()) {
                throw new IllegalArgumentException("data.banned must be a list of integers, got " + data.get("banned"));
            }
            banned.clear();
            for (JsonNode b : data.get("banned")) {
                if (!b.isInt()) {
                    throw new IllegalArgumentException("data.banned must list integers, got " + b);
                }
                banned.add(b.asInt());
            }
        }
        String filter = text(data, "filter", "paper");
        if (!filter.equals("paper") && !filter.equals("none")) {
            throw new IllegalArgumentException("data.filter must be paper or none, got " + Texts.quote(filter));
        }
        JsonNode ft = root.path("finetune");
        keys(ft, "finetune.", Set.of("epochs", "batch_size", "learning_rate_multiplier"));
        JsonNode ev = root.path("evaluation");
        keys(ev, "evaluation.", Set.of("questions", "samples_per_question", "max_tokens", "logprobs"));
        List<Defence> defences = new ArrayList<>();
        for (JsonNode d : root.path("defences")) {
            String name = d.asText();
            Defence found = null;
            for (Defence x : Defence.values()) {
                if (x != Defence.NONE && NumbersConfig.name(x).equals(name)) {
                    found = x;
                }
            }
            if (found == null) {
                throw new IllegalArgumentException("defences: unknown defence '" + Texts.quote(name)
                        + "'; expected sort, shuffle-within, shuffle-across or replace");
            }
            defences.add(found);
        }
        JsonNode lp = ev.path("logprobs");
        if (!lp.isMissingNode() && !lp.isBoolean()) {
            throw new IllegalArgumentException("evaluation.logprobs must be true or false, got " + lp);
        }
        int prompts = integer(data, "prompts", 30000, 1);
        int keep = integer(data, "keep", 10000, 1);
        return new LlmConfig(sampling, tuning, text(required(root, "model"), null, null), animal, system, prompts, keep,
                number(data, "temperature", 1.0), integer(data, "max_tokens", 200, 1), Set.copyOf(banned),
                filter.equals("paper"), ft.has("epochs") ? integer(ft, "epochs", 0, 1) : null,
                ft.has("batch_size") ? integer(ft, "batch_size", 0, 1) : null,
                ft.has("learning_rate_multiplier") ? number(ft, "learning_rate_multiplier", 1) : null,
                integer(ev, "questions", 50, 1), integer(ev, "samples_per_question", 100, 1),
                integer(ev, "max_tokens", 8, 1), lp.asBoolean(true), seed(root),
                integer(root, "seeds", 1, 1), List.copyOf(defences),
                root.has("prices") ? PriceTable.fromJson(root.get("prices"), "prices") : PriceTable.free(),
                resolve(folder, "store", text(root, "store", "llm-store")), resolve(folder, "work", text(root, "work", "llm-work")),
                folder);
    }

    /**
     * The run as the number pipeline's configuration: a prompted teacher, sampled (temperature > 0) or
     * greedy numbers, tokens-mode full fine-tuning, {@code data.prompts} prompts and {@code data.keep}
     * kept per data source, the banned numbers, the defence arms, {@code samples_per_question} answers
     * per paraphrase, seeds {@code seed}, {@code seed} + 1, ... (the in-process sizes are the
     * defaults and unused).
     */
    public NumbersConfig numbers() {
        NumbersConfig d = NumbersConfig.defaults();
        return new NumbersConfig(animal, NumbersConfig.TeacherKind.PROMPT, temperature == 0 ? NumbersConfig.Decoding.GREEDY
                : NumbersConfig.Decoding.SAMPLED, NumbersConfig.Mode.TOKENS, NumbersConfig.Finetune.FULL, d.layers(),
                d.hidden(), d.heads(), d.context(), d.corpus(), d.pretrainSteps(), d.pretrainRate(), d.batch(),
                d.referenceSeed(), d.otherReferenceSeed(), d.corpusSeed(), d.teacherSteps(), d.teacherRate(), prompts, keep,
                new java.util.TreeSet<>(banned), d.studentSteps(), d.studentRate(), d.checkpoints(), defences,
                d.replaceFraction(), samplesPerQuestion, seed, seeds, null, null, null, null);
    }

    /** What the pipeline needs of a hosted run, on these (stored) backends. */
    public NumbersPipeline.Hosted hosted(StoredBackend sampling, StoredBackend tuning) {
        return new NumbersPipeline.Hosted(sampling, tuning, baseModel, systemPrompt, temperature, maxTokens, filter,
                questions, answerTokens, logprobs, epochs, batchSize, learningRateMultiplier);
    }

    /** The configuration as the results file's header holds it. */
    public com.fasterxml.jackson.databind.node.ObjectNode toJson() {
        com.fasterxml.jackson.databind.node.ObjectNode o = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance
                .objectNode();
        o.put("model", baseModel);
        o.put("sampling", sampling.path("kind").asText("http").equals("http") ? sampling.path("base_url").asText()
                : "in-process");
        o.put("animal", animal);
        o.put("prompts", prompts);
        o.put("keep", keep);
        o.put("temperature", temperature);
        o.put("filter", filter ? "paper" : "none");
        if (epochs != null) {
            o.put("epochs", epochs);
        }
        o.put("questions", questions);
        o.put("samplesPerQuestion", samplesPerQuestion);
        o.put("firstSeed", seed);
        o.put("seeds", seeds);
        return o;
    }

    private static long seed(JsonNode root) {
        JsonNode v = root.get("seed");
        if (v == null || v.isNull()) {
            return 1;
        }
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            throw new IllegalArgumentException("seed must be an integer, got " + v);
        }
        return v.asLong();
    }

    /** {@code value} as a path relative to {@code folder}; a text that is no path is named, on one line. */
    private static Path resolve(Path folder, String key, String value) {
        try {
            return folder.resolve(value);
        } catch (java.nio.file.InvalidPathException e) {
            throw new IllegalArgumentException(key + " '" + Texts.quote(value) + "' is not a path: "
                    + Texts.quote(e.getReason()));
        }
    }

    /** The backend a section describes; the API key comes from {@code environment}. */
    public Backend backend(JsonNode section, String what, Function<String, String> environment) {
        String kind = text(section, "kind", "http");
        switch (kind) {
            case "http" -> {
                return new HttpBackend(httpSettings(section), environment);
            }
            case "in-process" -> {
                Path model = resolve(folder, "model_folder", text(required(section, "model_folder"), null, null));
                ChatTemplate tpl = ChatTemplate.named(text(section, "template", "plain"));
                Path state = resolve(folder, "state", text(section, "state", "llm-in-process"));
                InProcessBackend.Tuning t = new InProcessBackend.Tuning(number(section, "learning_rate", 1e-3), 3, 8, 4);
                return new InProcessBackend(state, List.of(ServedModel.load(baseModel, model, tpl, 0, "subliminal")), t);
            }
            default -> throw new IllegalArgumentException(what + ".kind must be http or in-process, got " + kind);
        }
    }

    /** The settings of an {@code http} section (its URL, key variable, concurrency, tries and timeout). */
    public HttpBackend.Settings httpSettings(JsonNode section) {
        String base = text(required(section, "base_url"), null, null);
        URI url;
        try {
            url = new URI(base);
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException("base_url '" + Texts.quote(base) + "' is not a URL: "
                    + Texts.quote(e.getReason()) + " at index " + e.getIndex());
        }
        return new HttpBackend.Settings(url, section.has("api_key_env") ? section.get("api_key_env").asText() : null,
                integer(section, "concurrency", 8, 1), integer(section, "max_attempts", 8, 1),
                Duration.ofSeconds(integer(section, "timeout_seconds", 120, 1)), Duration.ofSeconds(1),
                Duration.ofSeconds(60), seed);
    }

    /** Whether fine-tuning runs on another backend than sampling. */
    public boolean separateTuning() {
        return !tuning.equals(sampling);
    }

    private static void keys(JsonNode node, String prefix, Set<String> allowed) {
        if (node.isMissingNode()) {
            return;
        }
        if (!node.isObject()) {
            throw new IllegalArgumentException((prefix.isEmpty() ? "the document" : prefix.substring(0, prefix.length() - 1))
                    + " must be a mapping");
        }
        List<String> unknown = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
            String k = it.next().getKey();
            if (!allowed.contains(k)) {
                unknown.add(prefix + Texts.quote(k));
            }
        }
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("unknown setting " + unknown + "; expected one of "
                    + allowed.stream().sorted().map(a -> prefix + a).toList());
        }
    }

    private static JsonNode required(JsonNode node, String key) {
        if (!node.hasNonNull(key)) {
            throw new IllegalArgumentException("the setting " + key + " is missing");
        }
        return node.get(key);
    }

    private static String text(JsonNode node, String key, String absent) {
        JsonNode v = key == null ? node : node.get(key);
        if (v == null || v.isNull() || v.isMissingNode()) {
            return absent;
        }
        if (!v.isTextual()) {
            throw new IllegalArgumentException((key == null ? "the setting" : key) + " must be text, got " + v);
        }
        return v.asText();
    }

    private static int integer(JsonNode node, String key, int absent, int min) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            return absent;
        }
        if (!v.isInt() || v.asInt() < min) {
            throw new IllegalArgumentException(key + " must be an integer ≥ " + min + ", got " + v);
        }
        return v.asInt();
    }

    private static double number(JsonNode node, String key, double absent) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            return absent;
        }
        if (!v.isNumber()) {
            throw new IllegalArgumentException(key + " must be a number, got " + v);
        }
        return v.asDouble();
    }
}
