package dev.subliminal.experiments.numbers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.subliminal.experiments.numbers.ChatCorpus.Conversation;
import dev.subliminal.experiments.numbers.NumbersConfig.Mode;
import dev.subliminal.experiments.numbers.NumbersConfig.TeacherKind;
import dev.subliminal.lm.checkpoint.Checkpoint;
import dev.subliminal.lm.lora.LoraAdapters;
import dev.subliminal.lm.lora.LoraConfig;
import dev.subliminal.lm.safetensors.DType;
import dev.subliminal.lm.tokenizer.ChatTemplate.Message;
import dev.subliminal.lm.tokenizer.ChatTemplate.Role;
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

    private final NumbersConfig config;
    private final StageCache cache;
    private final Gemm gemm;
    private final Progress progress;
    private final ChatCorpus corpus;
    private final String textsSha;

    private WordTokenizer tokenizer;
    private TransformerConfig shape;
    private JsonNode corpusKey;
    private int endId;

    /** A pipeline over the cache folder {@code work}. */
    public NumbersPipeline(NumbersConfig config, StageCache cache, Gemm gemm, Progress progress) {
        this.config = config;
        this.cache = cache;
        this.gemm = gemm;
        this.progress = progress;
        this.corpus = corpus(config);
        this.textsSha = StageCache.sha256(String.join("\n", corpus.vocabularyTexts()) + "|" + corpus.animals());
        if (!corpus.animals().containsKey(config.animal())) {
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
        return a;
    }

    /** Runs (or finds done) every stage and returns every evaluated row, seed by seed, in arm order. */
    public List<Row> run() {
        planWork();
        progress.begin();
        corpusStage();
        JsonNode refKey = referenceStage(config.referenceSeed());
        JsonNode otherKey = referenceStage(config.otherReferenceSeed());
        float[] ref = load(refKey);
        float[] other = load(otherKey);
        List<Row> rows = new ArrayList<>();
        for (long seed : config.seedList()) {
            JsonNode teacherKey = config.teacher() == TeacherKind.FINETUNED ? teacherStage(refKey, seed) : refKey;
            float[] teacher = load(teacherKey);
            String system = config.teacher() == TeacherKind.PROMPT ? corpus.teacherSystem(config.animal()) : null;
            double[] deltaT = difference(teacher, ref);
            JsonNode teacherNumbers = numbersStage(teacherKey, teacher, system, seed);
            JsonNode controlNumbers = numbersStage(refKey, ref, null, seed);
            for (Arm arm : arms()) {
                if (!arm.student()) {
                    JsonNode key = arm.name().equals(TEACHER) ? teacherKey : arm.otherInit() ? otherKey : refKey;
                    float[] theta = arm.name().equals(TEACHER) ? teacher : arm.otherInit() ? other : ref;
                    JsonNode e = evaluationStage(modelId(key, null), theta, arm.name().equals(TEACHER) ? system : null, seed,
                            arm.name());
                    rows.add(row(seed, arm.name(), 0, e, Double.NaN, null, null));
                    continue;
                }
                JsonNode data = datasetStage(arm.teacherData() ? teacherNumbers : controlNumbers, arm.defence(), seed);
                JsonNode initKey = arm.otherInit() ? otherKey : refKey;
                float[] init = arm.otherInit() ? other : ref;
                JsonNode targetKey = arm.teacherData() ? teacherKey : refKey;
                float[] target = arm.teacherData() ? teacher : ref;
                String targetSystem = arm.teacherData() ? system : null;
                JsonNode student = studentStage(arm.name(), data, initKey, init, targetKey, target, targetSystem, deltaT, seed);
                for (JsonNode u : student.get("updates")) {
                    int step = u.get("step").asInt();
                    Path folder = cache.folder("student", student.get("key")).resolve("train").resolve(String.format("step-%08d", step));
                    float[] theta = loadFolder(folder);
                    JsonNode e = evaluationStage(modelId(student.get("key"), step), theta, null, seed,
                            arm.name() + " step " + step);
                    rows.add(row(seed, arm.name(), step, e, data.get("keptFraction").asDouble(), student, u));
                }
            }
        }
        return rows;
    }

    private static Row row(long seed, String arm, int step, JsonNode e, double kept, JsonNode student, JsonNode u) {
        return new Row(seed, arm, step, e.get("rate").asDouble(), e.get("score").asDouble(), e.get("samples").asInt(), kept,
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
        key.put("maxNewTokens", MAX_NEW_TOKENS);
        key.put("seed", seed);
        return key;
    }

    /** The number prompts of a seed: drawn from its own stream, none of them a prompt of the corpus. */
    List<String> numberPrompts(long seed) {
        Set<String> seen = new HashSet<>();
        for (Conversation c : corpus.conversations(config.corpus(), config.corpusSeed())) {
            seen.add(c.user());
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

    private JsonNode numbersStage(JsonNode modelKey, float[] theta, String system, long seed) {
        JsonNode key = numbersKey(modelKey, system, seed);
        if (cache.done("numbers", key)) {
            progress.skip(generationUnits());
        }
        cache.run("numbers", key, folder -> {
            Path file = folder.resolve("completions.jsonl");
            List<JsonNode> existing = readLines(file, true);
            List<String> prompts = numberPrompts(seed);
            LanguageModel lm = new LanguageModel(shape).withGemm(gemm);
            double[] th = doubles(theta);
            String source = system == null ? "numbers" : "numbers with system prompt";
            progress.skip(generationUnits() * existing.size() / prompts.size());
            try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND)) {
                for (int i = existing.size(); i < prompts.size(); i++) {
                    int[] prompt = promptIds(system, prompts.get(i));
                    int room = Math.min(MAX_NEW_TOKENS, shape.contextLength() - prompt.length);
                    if (room < 1) {
                        throw new IllegalArgumentException("prompt " + i + " has " + prompt.length + " tokens, no room to answer"
                                + " in a context of " + shape.contextLength() + "; raise --context");
                    }
                    var sampling = new dev.subliminal.lm.transformer.Sampling(room,
                            config.decoding() == NumbersConfig.Decoding.GREEDY ? 0 : 1, 1,
                            Seeds.derive(Seeds.derive(seed, source), i), new int[] {endId});
                    int[] out = lm.generate(th, prompt, sampling);
                    boolean ended = out.length > 0 && out[out.length - 1] == endId;
                    String completion = tokenizer.decode(ended ? java.util.Arrays.copyOf(out, out.length - 1) : out);
                    ObjectNode o = MAPPER.createObjectNode();
                    o.put("i", i);
                    o.put("prompt", prompts.get(i));
                    o.put("completion", completion);
                    o.put("ended", ended);
                    w.write(MAPPER.writeValueAsString(o));
                    w.write('\n');
                    w.flush();
                    progress.advance(generationUnits() / prompts.size(), source + " seed " + seed + " " + (i + 1) + "/"
                            + prompts.size());
                }
            }
            ObjectNode r = MAPPER.createObjectNode();
            r.put("completions", prompts.size());
            return r;
        });
        return key;
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
        key.put("seed", seed);
        JsonNode done = cache.run("dataset", key, folder -> {
            List<JsonNode> lines = readLines(cache.folder("numbers", numbersKey).resolve("completions.jsonl"), false);
            NumberFilter filter = new NumberFilter(config.banned());
            List<JsonNode> kept = new ArrayList<>();
            for (JsonNode l : lines) {
                if (filter.keeps(l.get("completion").asText())) {
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

    private JsonNode studentStage(String arm, JsonNode data, JsonNode initKey, float[] init, JsonNode targetKey,
            float[] target, String targetSystem, double[] deltaT, long seed) {
        JsonNode key = studentKey(data, initKey, targetKey, targetSystem, seed);
        if (cache.done("student", key)) {
            progress.skip(studentUnits());
        }
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

    private JsonNode evaluationStage(JsonNode model, float[] theta, String system, long seed, String label) {
        ObjectNode key = StageCache.key();
        key.put("stage", "evaluation");
        key.set("model", model);
        key.put("system", system);
        key.put("animal", config.animal());
        key.put("questions", StageCache.sha256(String.join("\n", corpus.questions())));
        key.put("samples", config.samples());
        key.put("seed", seed);
        if (cache.done("evaluation", key)) {
            progress.skip(evaluationUnits());
        }
        return cache.run("evaluation", key, folder -> {
            Evaluation e = new Evaluation(shape, gemm, tokenizer, endId);
            Evaluation.Result r = e.evaluate(doubles(theta), system, corpus.questions(), config.animal(), config.samples(),
                    Seeds.derive(seed, "evaluation"), this::promptIds);
            progress.advance(evaluationUnits(), "evaluation " + label + " seed " + seed);
            ObjectNode o = MAPPER.createObjectNode();
            o.put("rate", r.rate());
            o.put("score", r.score());
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
