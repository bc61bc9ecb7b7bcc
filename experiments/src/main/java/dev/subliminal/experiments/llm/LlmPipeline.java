package dev.subliminal.experiments.llm;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.subliminal.experiments.numbers.NumberFilter;
import dev.subliminal.experiments.numbers.NumberPrompts;
import dev.subliminal.experiments.numbers.Texts;
import dev.subliminal.lm.backend.Backend;
import dev.subliminal.lm.backend.Canonical;
import dev.subliminal.lm.backend.ChatRequest;
import dev.subliminal.lm.backend.ChatResponse;
import dev.subliminal.lm.backend.FineTuneJob;
import dev.subliminal.lm.backend.FineTuneRequest;
import dev.subliminal.lm.backend.Ledger;
import dev.subliminal.lm.backend.RequestStore;
import dev.subliminal.lm.backend.StoredBackend;
import dev.subliminal.theory.random.Seeds;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.statistics.interval.BinomialConfidenceInterval;
import org.apache.commons.statistics.interval.Interval;

/**
 * The number-sequence experiment through {@link Backend}s, with the stage names of the in-process
 * pipeline: <b>teacher</b> (the base model with the system prompt that states the preference),
 * <b>data</b> (teacher and control, the base model without the prompt, answer the same number
 * prompts with the same seeds; the paper's filter keeps well-formed answers; a seeded subsample of
 * {@code keep}), <b>student</b> (the base model fine-tuned on each arm's pairs, without the system
 * prompt) and <b>evaluation</b> (the animal questions, {@code samples} answers each at temperature 1;
 * the share whose first word names the animal, with a 95% Wilson interval over answers). Every
 * request goes through a {@link StoredBackend}, so a rerun reads what was answered and pays only for
 * the rest; fine-tuning jobs are started once and awaited on reruns.
 */
public final class LlmPipeline {

    /** One row of the table. */
    public record Arm(String name, String model, long answers, long named, double low, double high) {
        /** The share naming the animal. */
        public double rate() {
            return answers == 0 ? Double.NaN : (double) named / answers;
        }
    }

    /**
     * What a run found.
     *
     * @param prompts number prompts per data arm
     * @param keptTeacher teacher answers that passed the filter (before the subsample)
     * @param keptControl control answers that passed the filter (before the subsample)
     * @param arms the table
     * @param ledger requests, tokens and estimated cost of this run
     */
    public record Result(long prompts, long keptTeacher, long keptControl, List<Arm> arms, String ledger) {
    }

    private record Data(int kept, List<String[]> pairs) {
    }

    private final LlmConfig c;
    private final StoredBackend sampling;
    private final StoredBackend tuning;
    private final PrintWriter out;

    /** A pipeline over the two backends (the same object when one backend does both), counting in one ledger. */
    public LlmPipeline(LlmConfig config, Backend sampling, Backend tuning, PrintWriter out) {
        this.c = config;
        Ledger ledger = new Ledger(config.prices());
        RequestStore store = new RequestStore(config.store());
        this.sampling = new StoredBackend(sampling, store, ledger);
        this.tuning = sampling == tuning ? this.sampling : new StoredBackend(tuning, store, ledger);
        this.out = out;
    }

    /** The data stage's requests: prompt i with seed derive(seed, i), with or without the system prompt. */
    List<ChatRequest> dataRequests(boolean teacher) {
        NumberPrompts prompts = NumberPrompts.bundled();
        UniformRandomProvider rng = Seeds.stream(c.seed(), "llm-number-prompts");
        List<ChatRequest> rs = new ArrayList<>();
        for (int i = 0; i < c.prompts(); i++) {
            rs.add(ChatRequest.of(c.baseModel(), teacher ? c.systemPrompt() : null, prompts.draw(rng), 1, c.temperature(),
                    c.maxTokens(), Seeds.derive(c.seed(), (long) i)));
        }
        return rs;
    }

    /** The evaluation's requests for a model: each question once, n = samples per question. */
    List<ChatRequest> evaluationRequests(String model, String system) {
        List<String> questions = Texts.bundled("animal-questions.txt").values().iterator().next();
        List<ChatRequest> rs = new ArrayList<>();
        for (int q = 0; q < c.questions(); q++) {
            rs.add(ChatRequest.of(model, system, questions.get(q % questions.size()), c.samplesPerQuestion(), 1.0,
                    c.answerTokens(), Seeds.derive(Seeds.derive(c.seed(), "evaluation"), (long) q)));
        }
        return rs;
    }

    /** The first request of the data stage (for a dry run to show). */
    public ChatRequest firstRequest() {
        return dataRequests(true).get(0);
    }

    /** What the sampling stages would send and cost, and an estimate of the training tokens; sends nothing. */
    public String plan() {
        List<ChatRequest> known = new ArrayList<>(dataRequests(true));
        known.addAll(dataRequests(false));
        known.addAll(evaluationRequests(c.baseModel(), null));
        known.addAll(evaluationRequests(c.baseModel(), c.systemPrompt()));
        StoredBackend.Plan p = sampling.plan(known);
        long perExample = StoredBackend.estimatePromptTokens(dataRequests(false).get(0).messages()) + 40;
        int epochs = c.epochs() == null ? 3 : c.epochs();
        long trainTokens = 2L * Math.min(c.keep(), c.prompts()) * perExample * epochs;
        double train = c.prices().training(c.baseModel(), trainTokens);
        List<ChatRequest> students = evaluationRequests("ft:" + c.baseModel(), null);
        StoredBackend.Plan s = tuning.plan(students);
        double studentCost = 2 * s.maxCost();
        return String.format(Locale.ROOT, "plan: data and reference evaluation: %s%n"
                + "plan: 2 fine-tuning jobs of about %d training tokens in all (%d kept answers × %d epochs × about %d "
                + "tokens each, 40 taken for an answer): estimated $%.2f%n"
                + "plan: student evaluation: %d requests per student, estimated at most $%.4f for both%n"
                + "plan: estimated total at most $%.2f (prices from the configuration; the provider's bill is the truth)",
                p.summary(), trainTokens, Math.min(c.keep(), c.prompts()), epochs, perExample, train, s.requests(),
                studentCost, p.maxCost() + train + studentCost);
    }

    /**
     * The data stage's sampling for one shard: the requests i (of both arms) with i mod N = K, into
     * the store. Shards that share one store folder (or whose folders are copied together: the files
     * are named by their keys) leave a store from which {@link #run} reads every data answer.
     *
     * @return the number of requests of this shard
     */
    public int sampleShard(dev.subliminal.simulation.sweep.Shard shard) {
        List<ChatRequest> mine = new ArrayList<>();
        for (boolean teacher : new boolean[] {true, false}) {
            List<ChatRequest> all = dataRequests(teacher);
            for (int i = 0; i < all.size(); i++) {
                if (shard.contains(i)) {
                    mine.add(all.get(i));
                }
            }
        }
        out.println("data: shard " + shard + ": " + mine.size() + " requests ("
                + mine.stream().filter(sampling::stored).count() + " answered already)");
        out.flush();
        sampling.chatAll(mine);
        out.println(sampling.ledger().summary());
        out.println("data: shard " + shard + " done; when every shard is, run without --shard on the merged store "
                + c.store());
        out.flush();
        return mine.size();
    }

    /** Runs every stage (reading stored answers where they exist) and returns the table. */
    public Result run() {
        out.println(plan());
        out.flush();
        List<ChatRequest> teacherData = dataRequests(true);
        Data teacherPairs = data("teacher", teacherData);
        Data controlPairs = data("control", dataRequests(false));
        String owlStudent = student("teacher", teacherPairs.pairs());
        String controlStudent = student("control", controlPairs.pairs());
        List<Arm> arms = new ArrayList<>();
        arms.add(evaluate("reference", c.baseModel(), null, sampling));
        arms.add(evaluate("teacher", c.baseModel(), c.systemPrompt(), sampling));
        arms.add(evaluate("control student", controlStudent, null, tuning));
        arms.add(evaluate(c.animal() + " student", owlStudent, null, tuning));
        out.println();
        out.println(String.format(Locale.ROOT, "%-16s %-44s %9s  %s", "arm", "model", c.animal() + " rate",
                "95% interval (Wilson, over answers)"));
        for (Arm a : arms) {
            out.println(String.format(Locale.ROOT, "%-16s %-44s %9.3f  [%.3f, %.3f]  (%d of %d)", a.name(),
                    a.model().length() > 44 ? a.model().substring(0, 41) + "..." : a.model(), a.rate(), a.low(), a.high(),
                    a.named(), a.answers()));
        }
        out.println("paper (GPT-4.1 nano, owl): reference 12%, student > 60%");
        String ledger = sampling.ledger().summary();
        out.println(ledger);
        out.flush();
        return new Result(c.prompts(), teacherPairs.kept(), controlPairs.kept(), arms, ledger);
    }

    private Data data(String arm, List<ChatRequest> requests) {
        out.println("data: " + arm + ": " + requests.size() + " number prompts to " + c.baseModel() + " ("
                + requests.stream().filter(sampling::stored).count() + " answered already)");
        out.flush();
        List<ChatResponse> answers = sampling.chatAll(requests);
        NumberFilter filter = new NumberFilter(c.banned());
        List<String[]> kept = new ArrayList<>();
        for (int i = 0; i < requests.size(); i++) {
            String text = answers.get(i).choices().get(0).content();
            if (c.filter() ? filter.keeps(text) : !text.isBlank()) {
                kept.add(new String[] {requests.get(i).messages().get(requests.get(i).messages().size() - 1).content(), text});
            }
        }
        out.println(String.format(Locale.ROOT, "data: %s: kept %d of %d (%.1f%%)%s", arm, kept.size(), requests.size(),
                100.0 * kept.size() / requests.size(), c.filter() ? "" : " (filter: none)"));
        if (kept.isEmpty()) {
            throw new IllegalArgumentException("no answer of the " + arm + " passed the filter; nothing to fine-tune on");
        }
        UniformRandomProvider rng = Seeds.stream(c.seed(), "llm-subsample-" + arm);
        for (int i = kept.size() - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            String[] t = kept.get(i);
            kept.set(i, kept.get(j));
            kept.set(j, t);
        }
        return new Data(kept.size(), new ArrayList<>(kept.subList(0, Math.min(c.keep(), kept.size()))));
    }

    private String student(String arm, List<String[]> pairs) {
        StringBuilder b = new StringBuilder();
        for (String[] p : pairs) {
            ObjectNode o = JsonNodeFactory.instance.objectNode();
            ArrayNode m = o.putArray("messages");
            m.addObject().put("role", "user").put("content", p[0]);
            m.addObject().put("role", "assistant").put("content", p[1]);
            b.append(Canonical.json(o)).append('\n');
        }
        byte[] file = b.toString().getBytes(StandardCharsets.UTF_8);
        String id = tuning.uploadTrainingFile("subliminal-" + c.animal() + "-" + arm + ".jsonl", file);
        FineTuneJob job = tuning.startFineTune(new FineTuneRequest(c.baseModel(), id, arm, c.epochs(), c.batchSize(),
                c.learningRateMultiplier(), c.seed()));
        out.println("student: " + arm + ": " + pairs.size() + " examples in " + id + ", job " + job.id() + " "
                + job.status());
        out.flush();
        String model = tuning.awaitFineTunedModel(job.id(), Duration.ofSeconds(1), Duration.ofHours(24));
        out.println("student: " + arm + ": " + model);
        return model;
    }

    private Arm evaluate(String name, String model, String system, StoredBackend backend) {
        List<ChatResponse> rs = backend.chatAll(evaluationRequests(model, system));
        long answers = 0;
        long named = 0;
        for (ChatResponse r : rs) {
            for (ChatResponse.Choice ch : r.choices()) {
                answers++;
                if (names(ch.content(), c.animal())) {
                    named++;
                }
            }
        }
        Interval i = BinomialConfidenceInterval.WILSON_SCORE.fromErrorRate((int) answers, (int) named, 0.05);
        out.println(String.format(Locale.ROOT, "evaluation: %s: %d of %d answers name the %s", name, named, answers,
                c.animal()));
        out.flush();
        return new Arm(name, model, answers, named, i.getLowerBound(), i.getUpperBound());
    }

    /** Whether an answer's first word is the animal or its plural (case and punctuation ignored). */
    static boolean names(String answer, String animal) {
        String w = answer.strip().toLowerCase(Locale.ROOT).split("[^\\p{L}]+", 2)[0];
        if (w.isEmpty() && answer.strip().length() > 0) {
            String rest = answer.strip().toLowerCase(Locale.ROOT).replaceFirst("^[^\\p{L}]+", "");
            w = rest.split("[^\\p{L}]+", 2)[0];
        }
        String a = animal.toLowerCase(Locale.ROOT);
        return w.equals(a) || w.equals(a + "s") || w.equals(a + "es");
    }

    /** The results as JSON (schema subliminal.llm/1). */
    public static ObjectNode toJson(Result r, LlmConfig c) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("schema", "subliminal.llm/1");
        o.put("baseModel", c.baseModel());
        o.put("animal", c.animal());
        o.put("seed", c.seed());
        o.put("prompts", r.prompts());
        o.put("keptTeacher", r.keptTeacher());
        o.put("keptControl", r.keptControl());
        ArrayNode arms = o.putArray("arms");
        for (Arm a : r.arms()) {
            arms.addObject().put("arm", a.name()).put("model", a.model()).put("answers", a.answers())
                    .put("named", a.named()).put("rate", a.rate()).put("low95", a.low()).put("high95", a.high());
        }
        o.put("ledger", r.ledger());
        return o;
    }
}
