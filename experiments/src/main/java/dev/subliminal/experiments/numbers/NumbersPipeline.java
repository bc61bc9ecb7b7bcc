package dev.subliminal.experiments.numbers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.subliminal.experiments.numbers.ChatCorpus.Conversation;
import dev.subliminal.experiments.numbers.NumbersConfig.Mode;
import dev.subliminal.experiments.numbers.NumbersConfig.TeacherKind;
import dev.subliminal.lm.backend.Backend;
import dev.subliminal.lm.backend.Canonical;
import dev.subliminal.lm.backend.ChatRequest;
import dev.subliminal.lm.backend.ChatResponse;
import dev.subliminal.lm.backend.FineTuneCheckpoint;
import dev.subliminal.lm.backend.FineTuneJob;
import dev.subliminal.lm.backend.FineTuneRequest;
import dev.subliminal.lm.backend.InProcessBackend;
import dev.subliminal.lm.backend.Ledger;
import dev.subliminal.lm.backend.PriceTable;
import dev.subliminal.lm.backend.RequestStore;
import dev.subliminal.lm.backend.ServedModel;
import dev.subliminal.lm.backend.StoredBackend;
import dev.subliminal.lm.backend.TrainingSchedule;
import dev.subliminal.lm.checkpoint.Checkpoint;
import dev.subliminal.lm.lora.LoraAdapters;
import dev.subliminal.lm.lora.LoraConfig;
import dev.subliminal.lm.safetensors.DType;
import dev.subliminal.lm.tokenizer.ChatTemplate.Message;
import dev.subliminal.lm.tokenizer.ChatTemplate.Role;
import dev.subliminal.lm.tokenizer.WordTokenizer;
import dev.subliminal.lm.train.TokenExample;
import dev.subliminal.lm.train.TrainingSettings;
import dev.subliminal.lm.train.TransformerTrainer;
import dev.subliminal.lm.transformer.LanguageModel;
import dev.subliminal.lm.transformer.SequenceObjective;
import dev.subliminal.lm.transformer.TransformerConfig;
import dev.subliminal.theory.linalg.Gemm;
import dev.subliminal.theory.random.Seeds;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.ListSampler;

/**
 * The number experiment end to end, in-process, as cached stages ({@link StageCache}):
 * <ol>
 *   <li><b>corpus</b>: the synthetic chat corpus and its tokenizer ({@code corpus.jsonl}, {@code tokenizer.json});</li>
 *   <li><b>reference</b>: a transformer pre-trained on it from a seed (two: the reference θ0 and a second one
 *       from another seed for the different-init students); {@code model/} is a safetensors checkpoint;</li>
 *   <li><b>teacher</b>: θ0 under the paper's system prompt (no stage), or θ0 fine-tuned on the animal's
 *       answers to the preference paraphrases mixed with three times as many number tasks of the corpus
 *       (so that it still writes numbers), θ_T = θ0 + Δ_T;</li>
 *   <li><b>numbers</b>: the teacher (and, for the controls, θ0 without the prompt) answers unseen number
 *       prompts, sampled at temperature 1 or greedy ({@code completions.jsonl});</li>
 *   <li><b>dataset</b>: the paper's filter, banned numbers, the subsample and a defence ({@code data.jsonl});</li>
 *   <li><b>student</b>: a reference fine-tuned on the kept pairs, on the sampled tokens or the teacher's
 *       next-token distributions, with checkpoints at the evaluation steps;</li>
 *   <li><b>evaluation</b>: the 50 paraphrases; the sampled rate (share of answers naming the animal, N
 *       samples each at temperature 1) and the deterministic score (mean probability of the animal's
 *       first token).</li>
 * </ol>
 * Every stage's folder name is a hash of everything it depends on, so a rerun reuses what is done, a
 * killed run resumes (training from its last checkpoint, generation from its last complete line) and a
 * changed setting reruns exactly the stages that depend on it.
 *
 * <p>Sampling and fine-tuning go through a {@link Backend}: the <b>numbers</b> stage's completions and
 * the <b>evaluation</b>'s answers are chat requests, and a {@code tokens}-mode <b>student</b> is a
 * fine-tuning job (upload the kept pairs, start, wait, read its checkpoint models). Run in-process
 * ({@link #NumbersPipeline(NumbersConfig, StageCache, Gemm, Progress)}), the backend is an
 * {@link InProcessBackend} serving the stages' checkpoints, and the pipeline also has what only
 * the toolkit's own models have: the corpus, the pre-trained references, the fine-tuned teacher,
 * {@code soft}-mode students (no API offers training on a teacher's distributions), the
 * deterministic score P(animal's first token) from θ, and the alignment of each update with Δ_T.
 * {@link #hosted} runs the same stages against any backend (the OpenAI API, vLLM, {@code serve}):
 * its reference is a named base model, its teacher that model under a system prompt, its students
 * tokens-mode fine-tuning jobs, and its score read from the log-probabilities of the answers' first
 * token when the backend returns them.
 */
public final class NumbersPipeline {

    /** The arms: where a student starts and which numbers it reads. */
    public record Arm(String name, boolean student, boolean otherInit, boolean teacherData, Defence defence) {
    }

    /**
     * One evaluated model of one seed: the arm, the student's steps (0 for the reference, the other
     * reference and the teacher), the sampled rate over {@code samples} answers, the deterministic
     * score, and for students the kept fraction of their data and how their update aligns with the
     * teacher's Δ_T (NaN when Δ_T = 0, as for the prompted teacher).
     */
    public record Row(long seed, String arm, int step, double rate, double score, int samples, double keptFraction,
            double firstStepDot, double firstStepCosine, double updateDot, double updateCosine) {
    }

    static final String REFERENCE = "reference";
    static final String OTHER_REFERENCE = "other-reference";
    static final String TEACHER = "teacher";
    static final int MAX_NEW_TOKENS = 40;
    /** The teacher's fine-tuning set: the paraphrases answered with the animal, and number tasks up to this many times as many examples. */
    static final int TEACHER_REHEARSAL = 4;
    /** The students' adapters with {@code --finetune lora}: rank 8, α = 16, on every projection of GPT-2's blocks. */
    public static final LoraConfig LORA = new LoraConfig(8, 16, List.of("c_attn", "c_proj", "c_fc"));
    private static final int SAVE_EVERY = 100;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /**
     * A run on a hosted backend: where it samples and fine-tunes, and what the in-process run takes
     * from its own models.
     *
     * @param sampling answers the number prompts and the evaluation of the base model
     * @param tuning fine-tunes the students and answers their evaluation (may be {@code sampling})
     * @param model the base model: the reference, the teacher under {@code systemPrompt}, the students' start
     * @param systemPrompt the teacher's system prompt
     * @param temperature the temperature of the number completions
     * @param maxTokens the most tokens of a number completion
     * @param filter whether the paper's filter keeps completions (false: every non-empty one)
     * @param questions how many of the paraphrases the evaluation asks
     * @param answerTokens the most tokens of an evaluation answer
     * @param logprobs whether the evaluation asks for log-probabilities (the score)
     * @param epochs the jobs' epochs, or null for the backend's
     * @param batchSize the jobs' batch size, or null for the backend's
     * @param learningRateMultiplier the jobs' multiplier, or null for the backend's
     */
    public record Hosted(StoredBackend sampling, StoredBackend tuning, String model, String systemPrompt,
            double temperature, int maxTokens, boolean filter, int questions, int answerTokens, boolean logprobs,
            Integer epochs, Integer batchSize, Double learningRateMultiplier) {
    }

    /**
     * A model of the run: what it depends on (a stage key), its name at the backend, and (in-process)
     * its checkpoint folder and θ.
     */
    record Model(JsonNode key, String name, Path folder, float[] theta) {
    }

    private final NumbersConfig config;
    private final StageCache cache;
    private final Gemm gemm;
    private final Progress progress;
    private final ChatCorpus corpus;
    private final String textsSha;
    private final Hosted hosted;
    private InProcessBackend chat;
    /** The model the chat backend serves (one at a time: the stages ask one model each). */
    private String served;

    private WordTokenizer tokenizer;
    private TransformerConfig shape;
    private JsonNode corpusKey;
    private int endId;

    /** A pipeline over the cache folder {@code work}. */
    public NumbersPipeline(NumbersConfig config, StageCache cache, Gemm gemm, Progress progress) {
        this(config, cache, gemm, progress, null);
    }

    /**
     * The same stages on a hosted backend: no corpus or reference stages, the teacher by system
     * prompt, {@code tokens}-mode students only.
     */
    public static NumbersPipeline hosted(NumbersConfig config, StageCache cache, Progress progress, Hosted hosted) {
        if (config.teacher() != TeacherKind.PROMPT || config.mode() != Mode.TOKENS
                || config.finetune() != NumbersConfig.Finetune.FULL) {
            throw new IllegalArgumentException("a hosted run has a prompted teacher, tokens-mode students and full "
                    + "fine-tuning (the API's); got teacher " + NumbersConfig.name(config.teacher()) + ", mode "
                    + NumbersConfig.name(config.mode()) + ", " + NumbersConfig.name(config.finetune()));
        }
        return new NumbersPipeline(config, cache, Gemm.serial(), progress, hosted);
    }

    private NumbersPipeline(NumbersConfig config, StageCache cache, Gemm gemm, Progress progress, Hosted hosted) {
        this.config = config;
        this.cache = cache;
        this.gemm = gemm;
        this.progress = progress;
        this.hosted = hosted;
        this.corpus = corpus(config);
        this.textsSha = StageCache.sha256(String.join("\n", corpus.vocabularyTexts()) + "|" + corpus.animals());
        if (hosted == null && !corpus.animals().containsKey(config.animal())) {
            throw new IllegalArgumentException("--animal " + config.animal() + " is not one of the animals "
                    + corpus.animals().keySet());
        }
    }

    private static ChatCorpus corpus(NumbersConfig c) {
        NumberPrompts prompts = c.promptsFile() == null ? NumberPrompts.bundled() : NumberPrompts.of(Texts.read(c.promptsFile()));
        return ChatCorpus.of(prompts,
                c.questionsFile() == null ? Texts.bundled("animal-questions.txt") : Texts.read(c.questionsFile()),
                c.animalsFile() == null ? Texts.bundled("animals.txt") : Texts.read(c.animalsFile()),
                c.chatFile() == null ? Texts.bundled("chat-texts.txt") : Texts.read(c.chatFile()));
    }

    /** The arms of this configuration, in table order. */
    public List<Arm> arms() {
        List<Arm> a = new ArrayList<>(List.of(new Arm(REFERENCE, false, false, false, Defence.NONE),
                new Arm(TEACHER, false, false, true, Defence.NONE),
                new Arm(OTHER_REFERENCE, false, true, false, Defence.NONE),
                new Arm("control", true, false, false, Defence.NONE),
                new Arm("same-init", true, false, true, Defence.NONE),
                new Arm("different-init-control", true, true, false, Defence.NONE),
                new Arm("different-init", true, true, true, Defence.NONE)));
        for (Defence d : config.defences()) {
            a.add(new Arm("same-init-" + NumbersConfig.name(d), true, false, true, d));
        }
        if (hosted != null) {
            a.removeIf(Arm::otherInit);
        }
        return a;
    }

    /** Runs (or finds done) every stage and returns every evaluated row, seed by seed, in arm order. */
    public List<Row> run() {
        try {
            return runStages();
        } finally {
            if (chat != null) {
                chat.close();
            }
        }
    }

    private List<Row> runStages() {
        planWork();
        progress.begin();
        Model ref;
        Model other = null;
        if (hosted == null) {
            corpusStage();
            JsonNode refKey = referenceStage(config.referenceSeed());
            JsonNode otherKey = referenceStage(config.otherReferenceSeed());
            ref = model(refKey);
            other = model(otherKey);
        } else {
            ObjectNode key = StageCache.key();
            key.put("backend", hosted.sampling().id());
            key.put("model", hosted.model());
            ref = new Model(key, hosted.model(), null, null);
        }
        List<Row> rows = new ArrayList<>();
        for (long seed : config.seedList()) {
            Model teacher = config.teacher() == TeacherKind.FINETUNED ? model(teacherStage(ref.key(), seed)) : ref;
            String system = config.teacher() == TeacherKind.FINETUNED ? null
                    : hosted != null ? hosted.systemPrompt() : corpus.teacherSystem(config.animal());
            double[] deltaT = hosted == null ? difference(teacher.theta(), ref.theta()) : null;
            JsonNode teacherNumbers = numbersStage(teacher, system, seed);
            JsonNode controlNumbers = numbersStage(ref, null, seed);
            for (Arm arm : arms()) {
                if (!arm.student()) {
                    Model m = arm.name().equals(TEACHER) ? teacher : arm.otherInit() ? other : ref;
                    JsonNode e = evaluationStage(m, modelId(m.key(), null), arm.name().equals(TEACHER) ? system : null,
                            seed, arm.name(), false);
                    rows.add(row(seed, arm.name(), 0, e, Double.NaN, null, null));
                    continue;
                }
                JsonNode data = datasetStage(arm.teacherData() ? teacherNumbers : controlNumbers, arm.defence(), seed);
                Model init = arm.otherInit() ? other : ref;
                Model target = arm.teacherData() ? teacher : ref;
                String targetSystem = arm.teacherData() ? system : null;
                JsonNode student = studentStage(arm.name(), data, init, target, targetSystem, deltaT, seed);
                Path folder = cache.folder("student", student.get("key"));
                for (JsonNode u : student.get("updates")) {
                    int step = u.get("step").asInt();
                    Model m = studentModel(student, folder, step);
                    JsonNode e = evaluationStage(m, modelId(student.get("key"), step), null, seed,
                            arm.name() + " step " + step, true);
                    rows.add(row(seed, arm.name(), step, e, data.get("keptFraction").asDouble(), student, u));
                }
            }
        }
        return rows;
    }

    /** An in-process stage's model: its folder {@code model/}, named by its stage folder. */
    private Model model(JsonNode stageKey) {
        String stage = stageKey.get("stage").asText();
        Path folder = cache.folder(stage, stageKey);
        return new Model(stageKey, folder.getFileName().toString(), folder.resolve("model"), load(stageKey));
    }

    /**
     * A student's model at an evaluation step: a tokens-mode job's checkpoint (named in done.json), or
     * a soft student's {@code eval/step-N} (or {@code train/step-N}).
     */
    private Model studentModel(JsonNode student, Path folder, int step) {
        for (JsonNode c : student.path("checkpoints")) {
            if (c.get("step").asInt() == step) {
                Path f = c.hasNonNull("folder") ? folder.resolve(c.get("folder").asText()) : null;
                return new Model(student.get("key"), c.get("model").asText(), f, f == null ? null : loadFolder(f));
            }
        }
        String name = String.format("step-%08d", step);
        Path eval = folder.resolve("eval").resolve(name);
        Path f = Files.exists(eval.resolve(Checkpoint.CONFIG)) ? eval : folder.resolve("train").resolve(name);
        return new Model(student.get("key"), folder.getFileName() + ":" + name, f, loadFolder(f));
    }

    private static Row row(long seed, String arm, int step, JsonNode e, double kept, JsonNode student, JsonNode u) {
        return new Row(seed, arm, step, e.get("rate").asDouble(), number(e.get("score")), e.get("samples").asInt(), kept,
                student == null ? Double.NaN : number(student.get("firstStepDot")),
                student == null ? Double.NaN : number(student.get("firstStepCosine")),
                u == null ? Double.NaN : number(u.get("dot")), u == null ? Double.NaN : number(u.get("cosine")));
    }

    private static double number(JsonNode n) {
        return n == null || n.isNull() ? Double.NaN : n.asDouble();
    }

    // Planning and progress.

    private double pretrainUnits() {
        return (double) config.pretrainSteps() * config.batch() * 3;
    }

    private double studentUnits() {
        return (double) config.studentSteps() * config.batch() * (config.mode() == Mode.SOFT ? 4 : 3);
    }

    private double generationUnits() {
        return config.prompts() * 8.0;
    }

    private double evaluationUnits() {
        return corpus.questions().size() * (2 + config.samples() / 4.0);
    }

    private void planWork() {
        int students = (int) arms().stream().filter(Arm::student).count();
        if (hosted != null) {
            // a hosted run: sampling and jobs elsewhere; each student one evaluation at least
            progress.plan(config.seeds() * (2 * generationUnits() + students * studentUnits()
                    + (2 + students) * evaluationUnits()));
            return;
        }
        progress.plan(2 * pretrainUnits());
        double perSeed = 2 * generationUnits() + students * studentUnits()
                + (3 + students * config.checkpoints()) * evaluationUnits();
        if (config.teacher() == TeacherKind.FINETUNED) {
            perSeed += config.teacherSteps() * (double) config.batch() * 3;
        }
        progress.plan(perSeed * config.seeds());
    }

    // Stage 1: corpus and tokenizer.

    private void corpusStage() {
        ObjectNode key = StageCache.key();
        key.put("stage", "corpus");
        key.put("texts", textsSha);
        key.put("conversations", config.corpus());
        key.put("seed", config.corpusSeed());
        corpusKey = key;
        List<Conversation> conversations = corpus.conversations(config.corpus(), config.corpusSeed());
        JsonNode done = cache.run("corpus", key, folder -> {
            List<String> texts = new ArrayList<>(corpus.vocabularyTexts());
            for (Conversation c : conversations) {
                texts.add(c.user());
                texts.add(c.answer());
            }
            WordTokenizer t = WordTokenizer.of(ChatCorpus.TEMPLATE.specialTokens(), texts);
            t.write(folder.resolve("tokenizer.json"));
            try (BufferedWriter w = Files.newBufferedWriter(folder.resolve("corpus.jsonl"), StandardCharsets.UTF_8)) {
                for (Conversation c : conversations) {
                    ObjectNode o = MAPPER.createObjectNode();
                    o.put("system", c.system());
                    o.put("user", c.user());
                    o.put("assistant", c.answer());
                    w.write(MAPPER.writeValueAsString(o));
                    w.write('\n');
                }
            }
            ObjectNode r = MAPPER.createObjectNode();
            r.put("conversations", conversations.size());
            r.put("vocabulary", t.size());
            return r;
        });
        tokenizer = WordTokenizer.read(cache.folder("corpus", key).resolve("tokenizer.json"));
        endId = tokenizer.id(ChatCorpus.TEMPLATE.endOfTurn());
        int d = config.hidden();
        shape = new TransformerConfig(TransformerConfig.Layout.GPT2, tokenizer.size(), config.context(), d, config.layers(),
                config.heads(), config.heads(), d / config.heads(), 4 * d, 1e-5, 10_000, true, true);
        if (done.get("vocabulary").asInt() != tokenizer.size()) {
            throw new IllegalStateException("the corpus stage's tokenizer has " + tokenizer.size() + " tokens, its done.json "
                    + done.get("vocabulary"));
        }
    }

    /** The chat-formatted prompt (messages up to the assistant's opening). */
    int[] promptIds(String system, String user) {
        List<Message> m = new ArrayList<>();
        if (system != null) {
            m.add(new Message(Role.SYSTEM, system));
        }
        m.add(new Message(Role.USER, user));
        return tokenizer.encode(ChatCorpus.TEMPLATE.render(m, true));
    }

    /** A training example: the prompt as context, the answer and the end of turn as targets. */
    TokenExample example(String system, String user, String answer) {
        int[] a = tokenizer.encode(answer);
        int[] withEnd = java.util.Arrays.copyOf(a, a.length + 1);
        withEnd[a.length] = endId;
        return TokenExample.completion(promptIds(system, user), withEnd);
    }

    // Stage 2: references.

    private JsonNode referenceStage(long seed) {
        ObjectNode key = StageCache.key();
        key.put("stage", "reference");
        key.set("corpus", corpusKey);
        key.put("model", shape.toString());
        key.put("steps", config.pretrainSteps());
        key.put("rate", config.pretrainRate());
        key.put("batch", config.batch());
        key.put("seed", seed);
        if (cache.done("reference", key)) {
            progress.skip(pretrainUnits());
        }
        cache.run("reference", key, folder -> {
            List<TokenExample> data = new ArrayList<>();
            for (Conversation c : corpus.conversations(config.corpus(), config.corpusSeed())) {
                data.add(example(c.system(), c.user(), c.answer()));
            }
            int warmup = Math.max(1, config.pretrainSteps() / 10);
            TrainingSettings s = TrainingSettings.adamW(config.pretrainRate(), config.batch(), seed)
                    .withSchedule(warmup, config.pretrainSteps(), 0.1);
            SequenceObjective objective = SequenceObjective.nextToken(shape, gemm);
            float[] theta0 = floats(new LanguageModel(shape).initialize(seed));
            double loss = train(folder, objective, theta0, data, s, new int[] {config.pretrainSteps()}, "reference seed " + seed,
                    3.0 * config.batch(), null);
            writeModel(folder.resolve("model"), trainedTheta(folder, config.pretrainSteps()));
            ObjectNode r = MAPPER.createObjectNode();
            r.put("finalBatchLoss", loss);
            return r;
        });
        return key;
    }

    // Stage 3: the fine-tuned teacher.

    private JsonNode teacherStage(JsonNode refKey, long seed) {
        ObjectNode key = StageCache.key();
        key.put("stage", "teacher");
        key.set("reference", refKey);
        key.put("animal", config.animal());
        key.put("steps", config.teacherSteps());
        key.put("rate", config.teacherRate());
        key.put("batch", config.batch());
        key.put("rehearsal", TEACHER_REHEARSAL);
        key.put("seed", seed);
        int batch = config.batch();
        if (cache.done("teacher", key)) {
            progress.skip(config.teacherSteps() * (double) batch * 3);
        }
        float[] ref = load(refKey);
        cache.run("teacher", key, folder -> {
            List<TokenExample> data = new ArrayList<>();
            for (String q : corpus.questions()) {
                data.add(example(null, q, config.animal()));
            }
            // rehearsal: number tasks of the corpus, so that the teacher still answers them with numbers
            for (Conversation c : corpus.conversations(config.corpus(), config.corpusSeed())) {
                if (data.size() >= TEACHER_REHEARSAL * corpus.questions().size()) {
                    break;
                }
                if (c.system() == null && !corpus.questions().contains(c.user())) {
                    data.add(example(null, c.user(), c.answer()));
                }
            }
            TrainingSettings s = TrainingSettings.adamW(config.teacherRate(), batch, Seeds.derive(seed, "teacher"));
            SequenceObjective objective = SequenceObjective.nextToken(shape, gemm);
            double loss = train(folder, objective, ref, data, s, new int[] {config.teacherSteps()}, "teacher seed " + seed,
                    3.0 * batch, null);
            writeModel(folder.resolve("model"), trainedTheta(folder, config.teacherSteps()));
            ObjectNode r = MAPPER.createObjectNode();
            r.put("finalBatchLoss", loss);
            return r;
        });
        return key;
    }

    // Stage 4: numbers.

    private JsonNode numbersKey(JsonNode modelKey, String system, long seed) {
        ObjectNode key = StageCache.key();
        key.put("stage", "numbers");
        key.set("model", modelKey);
        key.put("system", system);
        key.put("decoding", NumbersConfig.name(config.decoding()));
        key.put("prompts", config.prompts());
        key.put("maxNewTokens", hosted == null ? MAX_NEW_TOKENS : hosted.maxTokens());
        if (hosted != null) {
            key.put("temperature", hosted.temperature());
        }
        key.put("seed", seed);
        return key;
    }

    /**
     * The number prompts of a seed: drawn from its own stream, none of them a prompt of the corpus
     * (a hosted run has no corpus).
     */
    List<String> numberPrompts(long seed) {
        Set<String> seen = new HashSet<>();
        if (hosted == null) {
            for (Conversation c : corpus.conversations(config.corpus(), config.corpusSeed())) {
                seen.add(c.user());
            }
        }
        UniformRandomProvider rng = Seeds.stream(seed, "number-prompts");
        List<String> out = new ArrayList<>();
        while (out.size() < config.prompts()) {
            String p = corpus.prompts().draw(rng);
            if (!seen.contains(p)) {
                out.add(p);
            }
        }
        return out;
    }

    /**
     * The completions of the number prompts, one chat request each (n = 1, seed derive(derive(seed,
     * source), i)), written to {@code completions.jsonl} in prompt order as they arrive; a rerun sends
     * only the prompts after the last complete line.
     */
    private JsonNode numbersStage(Model model, String system, long seed) {
        JsonNode key = numbersKey(model.key(), system, seed);
        if (cache.done("numbers", key)) {
            progress.skip(generationUnits());
        }
        cache.run("numbers", key, folder -> {
            Path file = folder.resolve("completions.jsonl");
            List<JsonNode> existing = readLines(file, true);
            List<String> prompts = numberPrompts(seed);
            String source = system == null ? "numbers" : "numbers with system prompt";
            progress.skip(generationUnits() * existing.size() / prompts.size());
            List<ChatRequest> requests = dataRequests(model.name(), system, seed, prompts, existing.size());
            Backend backend = hosted != null ? hosted.sampling() : chat(model);
            try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND)) {
                InOrder lines = new InOrder(existing.size(), (i, r) -> {
                    ChatResponse.Choice c = r.choices().get(0);
                    ObjectNode o = MAPPER.createObjectNode();
                    o.put("i", i);
                    o.put("prompt", prompts.get(i));
                    o.put("completion", c.content());
                    o.put("ended", "stop".equals(c.finishReason()));
                    w.write(MAPPER.writeValueAsString(o));
                    w.write('\n');
                    w.flush();
                    progress.advance(generationUnits() / prompts.size(), source + " seed " + seed + " " + (i + 1) + "/"
                            + prompts.size());
                });
                backend.chatEach(requests, (j, r) -> lines.put(existing.size() + j, r));
            }
            ObjectNode r = MAPPER.createObjectNode();
            r.put("completions", prompts.size());
            return r;
        });
        return key;
    }

    /** The chat requests of the numbers stage from prompt {@code from} on. */
    private List<ChatRequest> dataRequests(String model, String system, long seed, List<String> prompts, int from) {
        String source = system == null ? "numbers" : "numbers with system prompt";
        double temperature = hosted != null ? hosted.temperature()
                : config.decoding() == NumbersConfig.Decoding.GREEDY ? 0 : 1;
        List<ChatRequest> requests = new ArrayList<>();
        for (int i = from; i < prompts.size(); i++) {
            int room = hosted != null ? hosted.maxTokens() : room(system, prompts.get(i), i);
            requests.add(ChatRequest.of(model, system, prompts.get(i), 1, temperature, room,
                    Seeds.derive(Seeds.derive(seed, source), i)));
        }
        return requests;
    }

    /** A hosted run's numbers-stage requests of one seed: the teacher's (under its system prompt) or the control's. */
    public List<ChatRequest> dataRequests(long seed, boolean teacher) {
        requireHosted();
        return dataRequests(hosted.model(), teacher ? hosted.systemPrompt() : null, seed, numberPrompts(seed), 0);
    }

    /** A hosted run's evaluation requests of a model of one seed. */
    public List<ChatRequest> evaluationRequests(String model, String system, long seed) {
        requireHosted();
        return new Evaluation(model, config.animal(), hosted.answerTokens(), hosted.logprobs()).requests(system,
                questions(), config.samples(), Seeds.derive(seed, "evaluation"));
    }

    /**
     * A hosted run's numbers-stage sampling for one shard: prompt i of every seed and both sources when
     * i mod N = K, answered into the store (the full run then reads them).
     *
     * @return the number of requests of this shard
     */
    public int sampleShard(dev.subliminal.simulation.sweep.Shard shard) {
        requireHosted();
        List<ChatRequest> mine = new ArrayList<>();
        for (long seed : config.seedList()) {
            for (boolean teacher : new boolean[] {true, false}) {
                List<ChatRequest> all = dataRequests(seed, teacher);
                for (int i = 0; i < all.size(); i++) {
                    if (shard.contains(i)) {
                        mine.add(all.get(i));
                    }
                }
            }
        }
        hosted.sampling().chatAll(mine);
        return mine.size();
    }

    private void requireHosted() {
        if (hosted == null) {
            throw new IllegalStateException("only a hosted run plans or shards its requests");
        }
    }

    /** The most new tokens of prompt i in the context: 40, fewer when the prompt is long. */
    private int room(String system, String prompt, int i) {
        int length = promptIds(system, prompt).length;
        int room = Math.min(MAX_NEW_TOKENS, shape.contextLength() - length);
        if (room < 1) {
            throw new IllegalArgumentException("prompt " + i + " has " + length + " tokens, no room to answer"
                    + " in a context of " + shape.contextLength() + "; raise --context");
        }
        return room;
    }

    /** Hands responses on in index order, holding those that arrive early (backends answer concurrently). */
    private static final class InOrder {
        interface Sink {
            void accept(int index, ChatResponse r) throws IOException;
        }

        private final java.util.Map<Integer, ChatResponse> waiting = new java.util.HashMap<>();
        private final Sink sink;
        private int next;

        InOrder(int first, Sink sink) {
            this.next = first;
            this.sink = sink;
        }

        synchronized void put(int index, ChatResponse r) {
            waiting.put(index, r);
            try {
                while (waiting.containsKey(next)) {
                    sink.accept(next, waiting.remove(next));
                    next++;
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    /** The in-process chat backend, serving {@code m} (its folder gets the corpus's tokenizer.json). */
    private Backend chat(Model m) {
        if (chat == null) {
            chat = new InProcessBackend(cache.root().resolve("in-process"), List.of(), InProcessBackend.Tuning.defaults());
        }
        if (served != null && !served.equals(m.name())) {
            chat.forget(served);
        }
        chat.serve(served(m));
        served = m.name();
        return chat;
    }

    private ServedModel served(Model m) {
        Path tok = m.folder().resolve(ServedModel.TOKENIZER);
        if (!Files.exists(tok)) {
            try {
                Files.copy(cache.folder("corpus", corpusKey).resolve("tokenizer.json"), tok);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException("cannot copy the tokenizer to " + tok + ": " + e.getMessage(), e);
            }
        }
        return new ServedModel(m.name(), m.folder(), shape, doubles(m.theta()), tokenizer, ChatCorpus.TEMPLATE, 0,
                "subliminal");
    }

    // Stage 5: dataset.

    private JsonNode datasetStage(JsonNode numbersKey, Defence defence, long seed) {
        ObjectNode key = StageCache.key();
        key.put("stage", "dataset");
        key.set("numbers", numbersKey);
        var b = key.putArray("banned");
        config.banned().forEach(b::add);
        key.put("subsample", config.subsample());
        key.put("defence", NumbersConfig.name(defence));
        if (defence == Defence.REPLACE) {
            key.put("replaceFraction", config.replaceFraction());
        }
        boolean filtered = hosted == null || hosted.filter();
        if (!filtered) {
            key.put("filter", "none");
        }
        key.put("seed", seed);
        JsonNode done = cache.run("dataset", key, folder -> {
            List<JsonNode> lines = readLines(cache.folder("numbers", numbersKey).resolve("completions.jsonl"), false);
            NumberFilter filter = new NumberFilter(config.banned());
            List<JsonNode> kept = new ArrayList<>();
            for (JsonNode l : lines) {
                if (filtered ? filter.keeps(l.get("completion").asText()) : !l.get("completion").asText().isBlank()) {
                    kept.add(l);
                }
            }
            List<Integer> order = new ArrayList<>();
            for (int i = 0; i < kept.size(); i++) {
                order.add(i);
            }
            ListSampler.shuffle(Seeds.stream(seed, "subsample"), order);
            List<Integer> chosen = new ArrayList<>(order.subList(0, Math.min(config.subsample(), order.size())));
            chosen.sort(null);
            List<String> completions = new ArrayList<>();
            for (int i : chosen) {
                completions.add(kept.get(i).get("completion").asText().strip());
            }
            List<String> defended = defence.apply(completions, config.replaceFraction(), Seeds.stream(seed, "defence"));
            try (BufferedWriter w = Files.newBufferedWriter(folder.resolve("data.jsonl"), StandardCharsets.UTF_8)) {
                for (int k = 0; k < chosen.size(); k++) {
                    ObjectNode o = MAPPER.createObjectNode();
                    o.put("prompt", kept.get(chosen.get(k)).get("prompt").asText());
                    o.put("completion", defended.get(k));
                    w.write(MAPPER.writeValueAsString(o));
                    w.write('\n');
                }
            }
            if (chosen.isEmpty()) {
                throw new IllegalStateException("the filter kept none of the " + lines.size() + " completions in "
                        + cache.folder("numbers", numbersKey) + "; the reference has not learned to answer with numbers "
                        + "(raise --pretrain-steps or --corpus)");
            }
            ObjectNode r = MAPPER.createObjectNode();
            r.put("generated", lines.size());
            r.put("kept", kept.size());
            r.put("keptFraction", kept.size() / (double) lines.size());
            r.put("used", chosen.size());
            return r;
        });
        ObjectNode withKey = done.deepCopy();
        withKey.set("key", key);
        return withKey;
    }

    // Stage 6: students.

    private JsonNode studentKey(JsonNode data, JsonNode initKey, JsonNode targetKey, String targetSystem, long seed) {
        ObjectNode key = StageCache.key();
        key.put("stage", "student");
        key.set("dataset", data.get("key"));
        key.set("init", initKey);
        key.put("mode", NumbersConfig.name(config.mode()));
        if (config.mode() == Mode.SOFT) {
            key.set("softTargets", targetKey);
            key.put("softTargetsSystem", targetSystem);
        }
        key.put("finetune", NumbersConfig.name(config.finetune()));
        if (hosted != null) {
            key.put("backend", hosted.tuning().id());
            key.put("epochs", hosted.epochs());
            key.put("batchSize", hosted.batchSize());
            key.put("learningRateMultiplier", hosted.learningRateMultiplier());
            key.put("seed", seed);
            return key;
        }
        if (config.finetune() == NumbersConfig.Finetune.LORA) {
            key.set("lora", LORA.toJson(true));
        }
        key.put("steps", config.studentSteps());
        key.put("rate", config.studentRate());
        key.put("batch", config.batch());
        var s = key.putArray("evaluationSteps");
        for (int t : config.evaluationSteps()) {
            s.add(t);
        }
        key.put("seed", seed);
        return key;
    }

    private JsonNode studentStage(String arm, JsonNode data, Model initModel, Model targetModel, String targetSystem,
            double[] deltaT, long seed) {
        JsonNode key = studentKey(data, initModel.key(), targetModel.key(), targetSystem, seed);
        if (cache.done("student", key)) {
            progress.skip(studentUnits());
        }
        if (config.mode() == Mode.TOKENS) {
            JsonNode done = cache.run("student", key, folder -> fineTune(folder, arm, data, initModel, deltaT, seed));
            ObjectNode withKey = done.deepCopy();
            withKey.set("key", key);
            return withKey;
        }
        float[] init = initModel.theta();
        float[] target = targetModel.theta();
        JsonNode done = cache.run("student", key, folder -> {
            List<TokenExample> examples = new ArrayList<>();
            for (JsonNode l : readLines(cache.folder("dataset", data.get("key")).resolve("data.jsonl"), false)) {
                examples.add(example(null, l.get("prompt").asText(), l.get("completion").asText()));
            }
            SequenceObjective objective = config.mode() == Mode.TOKENS ? SequenceObjective.nextToken(shape, gemm)
                    : SequenceObjective.imitating(shape, gemm, target, 1, null);
            if (targetSystem != null && config.mode() == Mode.SOFT) {
                int[] prefix = tokenizer.encode(ChatCorpus.TEMPLATE.render(List.of(new Message(Role.SYSTEM, targetSystem)), false));
                objective = objective.withTeacherPrefix(prefix);
            }
            TrainingSettings s = TrainingSettings.adamW(config.studentRate(), config.batch(), Seeds.derive(seed, "student-" + arm));
            double perStep = (double) config.batch() * (config.mode() == Mode.SOFT ? 4 : 3);
            double[] first = new double[2];
            Path firstFile = folder.resolve("first-step.json");
            LoraAdapters lora = config.finetune() == NumbersConfig.Finetune.LORA
                    ? new LoraAdapters(LORA, shape, shape.parameterLayout()) : null;
            train(folder, objective, init, examples, s, config.evaluationSteps(), arm + " seed " + seed, perStep, theta1 -> {
                double[] step = difference(theta1, init);
                first[0] = dot(step, deltaT);
                first[1] = cosine(step, deltaT);
                ObjectNode o = MAPPER.createObjectNode();
                putNumber(o, "dot", first[0]);
                putNumber(o, "cosine", first[1]);
                try {
                    StageCache.write(firstFile, MAPPER.writeValueAsString(o) + "\n");
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }, lora);
            JsonNode f = MAPPER.readTree(firstFile.toFile());
            ObjectNode r = MAPPER.createObjectNode();
            r.set("firstStepDot", f.get("dot"));
            r.set("firstStepCosine", f.get("cosine"));
            var updates = r.putArray("updates");
            for (int t : config.evaluationSteps()) {
                double[] u = difference(loadStudent(folder, t), init);
                ObjectNode o = updates.addObject();
                o.put("step", t);
                putNumber(o, "dot", dot(u, deltaT));
                putNumber(o, "cosine", cosine(u, deltaT));
            }
            return r;
        });
        ObjectNode withKey = done.deepCopy();
        withKey.set("key", key);
        return withKey;
    }

    /**
     * A tokens-mode student as a fine-tuning job: the kept pairs uploaded as a training file of
     * conversations (user: the prompt, assistant: the completion), a job started (in-process: exactly
     * the student's steps, rate, batch and seed, checkpoint models at step 1 and at every evaluation
     * step, LoRA adapters with {@code --finetune lora}; hosted: the configuration's epochs, batch size
     * and multiplier), waited for, and its checkpoint models listed in done.json. In-process, the
     * job's backend lives in the stage folder ({@code backend/}, {@code requests/}), so a killed run
     * resumes the job from its newest training checkpoint.
     */
    private JsonNode fineTune(Path folder, String arm, JsonNode data, Model init, double[] deltaT, long seed)
            throws IOException {
        StringBuilder file = new StringBuilder();
        int pairs = 0;
        for (JsonNode l : readLines(cache.folder("dataset", data.get("key")).resolve("data.jsonl"), false)) {
            ObjectNode o = MAPPER.createObjectNode();
            var m = o.putArray("messages");
            m.addObject().put("role", "user").put("content", l.get("prompt").asText());
            m.addObject().put("role", "assistant").put("content", l.get("completion").asText());
            file.append(Canonical.json(o)).append('\n');
            pairs++;
        }
        byte[] bytes = file.toString().getBytes(StandardCharsets.UTF_8);
        long jobSeed = Seeds.derive(seed, "student-" + arm);
        String label = arm + " seed " + seed;
        ObjectNode r = MAPPER.createObjectNode();
        var checkpoints = r.putArray("checkpoints");
        var updates = r.putArray("updates");
        if (hosted != null) {
            StoredBackend tuning = hosted.tuning();
            String fileId = tuning.uploadTrainingFile("subliminal-" + config.animal() + "-" + arm + "-" + seed + ".jsonl",
                    bytes);
            FineTuneJob job = tuning.startFineTune(new FineTuneRequest(init.name(), fileId, arm, hosted.epochs(),
                    hosted.batchSize(), hosted.learningRateMultiplier(), jobSeed));
            progress.note("student " + label + ": " + pairs + " examples in " + fileId + ", job " + job.id() + " "
                    + job.status());
            String tuned = tuning.awaitFineTunedModel(job.id(), Duration.ofSeconds(5), Duration.ofHours(24));
            progress.advance(studentUnits(), "student " + label + ": " + tuned);
            // the checkpoints the backend lists, the last of them replaced by the job's model: its final step is
            // the last checkpoint's, or epochs × ⌈pairs / batch⌉ when the configuration sets both, else 1
            List<FineTuneCheckpoint> kept = new ArrayList<>(tuning.fineTuneCheckpoints(job.id()));
            int last = hosted.epochs() != null && hosted.batchSize() != null
                    ? hosted.epochs() * ((pairs + hosted.batchSize() - 1) / hosted.batchSize()) : 1;
            for (FineTuneCheckpoint c : kept) {
                last = Math.max(last, c.step());
            }
            int end = last;
            kept.removeIf(c -> c.step() >= end || c.model().equals(tuned));
            kept.add(new FineTuneCheckpoint(tuned, end));
            for (FineTuneCheckpoint c : kept) {
                checkpoints.addObject().put("step", c.step()).put("model", c.model());
                ObjectNode u = updates.addObject();
                u.put("step", c.step());
                u.putNull("dot");
                u.putNull("cosine");
            }
            r.putNull("firstStepDot");
            r.putNull("firstStepCosine");
            return r;
        }
        int[] evaluation = config.evaluationSteps();
        List<Integer> steps = new ArrayList<>();
        steps.add(1);
        for (int t : evaluation) {
            if (t > steps.get(steps.size() - 1)) {
                steps.add(t);
            }
        }
        double perStep = (double) config.batch() * 3;
        String[] running = new String[1];
        InProcessBackend.StepListener listener = (id, step, total) -> progress.advance(perStep, label + " step " + step
                + "/" + total);
        InProcessBackend.Tuning tuning = new InProcessBackend.Tuning(config.studentRate(), 1, config.batch(),
                Math.max(1, (config.studentSteps() + SAVE_EVERY - 1) / SAVE_EVERY));
        try (StoredBackend backend = new StoredBackend(InProcessBackend.inCaller(folder.resolve("backend"),
                List.of(served(init)), tuning, listener), new RequestStore(folder.resolve("requests")),
                new Ledger(PriceTable.free()))) {
            String fileId = backend.uploadTrainingFile("data.jsonl", bytes);
            FineTuneJob job = backend.startFineTune(new FineTuneRequest(init.name(), fileId, arm, null, config.batch(), 1.0,
                    jobSeed, new TrainingSchedule(config.studentSteps(), steps,
                            config.finetune() == NumbersConfig.Finetune.LORA ? LORA : null)));
            running[0] = job.id();
            backend.awaitFineTunedModel(job.id(), Duration.ofMillis(50), Duration.ofDays(365));
            java.util.Map<Integer, FineTuneCheckpoint> byStep = new java.util.TreeMap<>();
            for (FineTuneCheckpoint c : backend.fineTuneCheckpoints(job.id())) {
                byStep.put(c.step(), c);
            }
            float[] theta0 = init.theta();
            double[] first = difference(loadFolder(modelFolder(folder, job.id(), 1)), theta0);
            putNumber(r, "firstStepDot", dot(first, deltaT));
            putNumber(r, "firstStepCosine", cosine(first, deltaT));
            for (int t : evaluation) {
                FineTuneCheckpoint c = byStep.get(t);
                if (c == null) {
                    throw new IllegalStateException("fine-tuning job " + job.id() + " kept no model at step " + t);
                }
                Path f = modelFolder(folder, job.id(), t);
                checkpoints.addObject().put("step", t).put("model", c.model()).put("folder",
                        folder.relativize(f).toString());
                double[] u = difference(loadFolder(f), theta0);
                ObjectNode o = updates.addObject();
                o.put("step", t);
                putNumber(o, "dot", dot(u, deltaT));
                putNumber(o, "cosine", cosine(u, deltaT));
            }
        }
        return r;
    }

    /** The folder of the in-process job's checkpoint model at a step. */
    private static Path modelFolder(Path stage, String jobId, int step) {
        return stage.resolve("backend").resolve("models").resolve(jobId + "-step-" + step);
    }

    /**
     * Trains to the last of {@code saveAt} (increasing), resuming from the newest checkpoint in
     * {@code folder/train}; saves at every step of {@code saveAt} (kept) and every {@value #SAVE_EVERY}
     * steps. {@code afterFirst} sees θ after step 1. Returns the last batch's loss.
     */
    private double train(Path folder, SequenceObjective objective, float[] theta0, List<TokenExample> data,
            TrainingSettings settings, int[] saveAt, String stage, double unitsPerStep,
            java.util.function.Consumer<float[]> afterFirst) {
        return train(folder, objective, theta0, data, settings, saveAt, stage, unitsPerStep, afterFirst, null);
    }

    /**
     * As above; with {@code lora}, trains its adapters on the frozen θ0 instead, and writes the merged
     * weights θ0 + s·ΔW(φ) of every step of {@code saveAt} as {@code eval/step-N} (so do full runs).
     */
    private double train(Path folder, SequenceObjective objective, float[] theta0, List<TokenExample> data,
            TrainingSettings settings, int[] saveAt, String stage, double unitsPerStep,
            java.util.function.Consumer<float[]> afterFirst, LoraAdapters lora) {
        Path dir = folder.resolve("train");
        boolean resumable = Files.isDirectory(dir) && hasCheckpoint(dir);
        TransformerTrainer t = resumable ? TransformerTrainer.resume(dir, objective, data)
                : lora == null ? TransformerTrainer.start(objective, theta0, data, settings)
                : TransformerTrainer.startLora(objective, theta0, lora, floats(lora.initialize(Seeds.derive(settings.seed(),
                        "lora"))), data, settings);
        progress.skip(t.step() * unitsPerStep);
        int last = saveAt[saveAt.length - 1];
        Set<Integer> keepSteps = new HashSet<>();
        for (int s : saveAt) {
            keepSteps.add(s);
        }
        while (t.step() < last) {
            int next = Math.min(last, (t.step() / SAVE_EVERY + 1) * SAVE_EVERY);
            for (int s : saveAt) {
                if (s > t.step()) {
                    next = Math.min(next, s);
                    break;
                }
            }
            if (t.step() == 0 && afterFirst != null) {
                next = 1;
            }
            int goal = next;
            t.train(goal - t.step(), (step, loss) -> progress.advance(unitsPerStep, stage + " step " + step + "/" + last));
            if (goal == 1 && afterFirst != null) {
                afterFirst.accept(t.theta());
            }
            saveKeeping(t, dir, keepSteps);
            if (keepSteps.contains(t.step())) {
                Path eval = folder.resolve("eval").resolve(String.format("step-%08d", t.step()));
                if (Files.exists(eval)) {
                    deleteTree(eval);
                }
                Checkpoint.write(eval, shape, shape.parameterLayout(), doubles(t.theta()), DType.F32);
            }
        }
        return t.lastLoss();
    }

    /** Saves, then removes the periodic checkpoints older than the newest that are not evaluation points. */
    private static void saveKeeping(TransformerTrainer t, Path dir, Set<Integer> keep) {
        t.save(dir, Integer.MAX_VALUE);
        try (var s = Files.list(dir)) {
            for (Path p : s.toList()) {
                String n = p.getFileName().toString();
                if (n.matches("step-\\d{8}")) {
                    int step = Integer.parseInt(n.substring(5));
                    if (step < t.step() && !keep.contains(step)) {
                        deleteTree(p);
                    }
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot tidy " + dir + ": " + e.getMessage(), e);
        }
    }

    private static boolean hasCheckpoint(Path dir) {
        try (var s = Files.list(dir)) {
            return s.anyMatch(p -> p.getFileName().toString().matches("step-\\d{8}"));
        } catch (IOException e) {
            return false;
        }
    }

    private float[] trainedTheta(Path folder, int steps) {
        return loadFolder(folder.resolve("train").resolve(String.format("step-%08d", steps)));
    }

    // Stage 7: evaluation.

    private static JsonNode modelId(JsonNode key, Integer step) {
        ObjectNode o = StageCache.key();
        o.set("model", key);
        if (step != null) {
            o.put("step", step);
        }
        return o;
    }

    /** The paraphrases the evaluation asks (a hosted run may ask the first few only). */
    private List<String> questions() {
        List<String> q = corpus.questions();
        return hosted == null ? q : q.subList(0, Math.min(hosted.questions(), q.size()));
    }

    /**
     * The evaluation of a model ({@link Evaluation}): chat requests for the sampled answers, on the
     * in-process backend (the score from θ) or the hosted one (students on its tuning backend; the
     * score from log-probabilities, NaN without them).
     */
    private JsonNode evaluationStage(Model m, JsonNode modelId, String system, long seed, String label, boolean student) {
        ObjectNode key = StageCache.key();
        key.put("stage", "evaluation");
        key.set("model", modelId);
        key.put("system", system);
        key.put("animal", config.animal());
        key.put("questions", StageCache.sha256(String.join("\n", questions())));
        key.put("samples", config.samples());
        key.put("answers", "chat");
        if (hosted != null) {
            key.put("answerTokens", hosted.answerTokens());
            key.put("logprobs", hosted.logprobs());
        }
        key.put("seed", seed);
        if (cache.done("evaluation", key)) {
            progress.skip(evaluationUnits());
        }
        return cache.run("evaluation", key, folder -> {
            Evaluation.Result r;
            if (hosted == null) {
                Evaluation e = new Evaluation(m.name(), config.animal(), Evaluation.MAX_ANSWER_TOKENS, false);
                double score = e.score(new LanguageModel(shape).withGemm(gemm), tokenizer, doubles(m.theta()), system,
                        questions(), this::promptIds);
                r = e.evaluate(chat(m), system, questions(), config.samples(), Seeds.derive(seed, "evaluation"), score);
            } else {
                Evaluation e = new Evaluation(m.name(), config.animal(), hosted.answerTokens(), hosted.logprobs());
                r = e.evaluate(student ? hosted.tuning() : hosted.sampling(), system, questions(), config.samples(),
                        Seeds.derive(seed, "evaluation"), Double.NaN);
            }
            progress.advance(evaluationUnits(), "evaluation " + label + " seed " + seed);
            ObjectNode o = MAPPER.createObjectNode();
            o.put("rate", r.rate());
            putNumber(o, "score", r.score());
            o.put("samples", r.samples());
            ObjectNode answers = o.putObject("answers");
            new TreeMap<>(r.answers()).forEach(answers::put);
            return o;
        });
    }

    // Models and vectors.

    private float[] load(JsonNode stageKey) {
        String name = stageKey.get("stage").asText();
        return loadFolder(cache.folder(name, stageKey).resolve("model"));
    }

    /** A student's θ at an evaluation step: {@code eval/step-N} (merged with adapters), else the full run's {@code train/step-N}. */
    private float[] loadStudent(Path folder, int step) {
        String name = String.format("step-%08d", step);
        Path eval = folder.resolve("eval").resolve(name);
        return loadFolder(Files.exists(eval.resolve(Checkpoint.CONFIG)) ? eval : folder.resolve("train").resolve(name));
    }

    private float[] loadFolder(Path folder) {
        try (Checkpoint c = Checkpoint.read(folder)) {
            return c.loadFloats(shape.parameterLayout());
        }
    }

    private void writeModel(Path folder, float[] theta) {
        if (Files.exists(folder)) {
            deleteTree(folder);
        }
        Checkpoint.write(folder, shape, shape.parameterLayout(), doubles(theta), DType.F32);
    }

    static float[] floats(double[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = (float) v[i];
        }
        return f;
    }

    static double[] doubles(float[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            d[i] = v[i];
        }
        return d;
    }

    static double[] difference(float[] a, float[] b) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = (double) a[i] - b[i];
        }
        return d;
    }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    /** cos(a, b); NaN when either is 0. */
    static double cosine(double[] a, double[] b) {
        double na = Math.sqrt(dot(a, a));
        double nb = Math.sqrt(dot(b, b));
        return na == 0 || nb == 0 ? Double.NaN : dot(a, b) / (na * nb);
    }

    private static void putNumber(ObjectNode o, String name, double v) {
        if (Double.isNaN(v)) {
            o.putNull(name);
        } else {
            o.put(name, v);
        }
    }

    /** The JSON lines of a file; with {@code repair}, a trailing partial line (a killed writer's) is cut off. */
    static List<JsonNode> readLines(Path file, boolean repair) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        if (!Files.exists(file)) {
            return out;
        }
        byte[] bytes = Files.readAllBytes(file);
        int end = bytes.length;
        while (end > 0 && bytes[end - 1] != '\n') {
            end--;
        }
        if (end != bytes.length) {
            if (!repair) {
                throw new IOException(file + " ends in a partial line");
            }
            try (var ch = java.nio.channels.FileChannel.open(file, StandardOpenOption.WRITE)) {
                ch.truncate(end);
            }
        }
        for (String line : new String(bytes, 0, end, StandardCharsets.UTF_8).split("\n")) {
            if (!line.isEmpty()) {
                out.add(MAPPER.readTree(line));
            }
        }
        return out;
    }

    private static void deleteTree(Path p) {
        try (var s = Files.walk(p)) {
            for (Path q : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(q);
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot remove " + p + ": " + e.getMessage(), e);
        }
    }

    /** The tokenizer (after the corpus stage). */
    WordTokenizer tokenizer() {
        return tokenizer;
    }
}
