package dev.subliminal.experiments.llm;

import dev.subliminal.experiments.numbers.NumbersPipeline;
import dev.subliminal.experiments.numbers.Progress;
import dev.subliminal.experiments.numbers.StageCache;
import dev.subliminal.lm.backend.Backend;
import dev.subliminal.lm.backend.ChatRequest;
import dev.subliminal.lm.backend.Ledger;
import dev.subliminal.lm.backend.RequestStore;
import dev.subliminal.lm.backend.StoredBackend;
import dev.subliminal.simulation.sweep.Shard;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code subliminal llm}: the configuration wired to the number pipeline. Both backends are wrapped
 * in one {@link RequestStore} and one {@link Ledger} ({@link StoredBackend}: a rerun reads what was
 * answered and pays only for the rest; fine-tuning jobs are started once and awaited on reruns), and
 * {@link NumbersPipeline#hosted} runs the stages (numbers, dataset, student, evaluation) in the
 * configuration's work folder, with the in-process run's stage names, cache, filter, evaluation and
 * table.
 */
public final class LlmPipeline {

    /**
     * What a run found.
     *
     * @param rows the evaluated rows, as {@code numbers} returns them
     * @param ledger requests, tokens and estimated cost of this run
     */
    public record Result(List<NumbersPipeline.Row> rows, String ledger) {
    }

    private final LlmConfig c;
    private final StoredBackend sampling;
    private final StoredBackend tuning;
    private final StageCache cache;
    private final NumbersPipeline pipeline;

    /** A pipeline over the two backends (the same object when one backend does both), counting in one ledger. */
    public LlmPipeline(LlmConfig config, Backend sampling, Backend tuning, Progress progress) {
        this.c = config;
        Ledger ledger = new Ledger(config.prices());
        RequestStore store = new RequestStore(config.store());
        this.sampling = new StoredBackend(sampling, store, ledger);
        this.tuning = sampling == tuning ? this.sampling : new StoredBackend(tuning, store, ledger);
        this.cache = new StageCache(config.work());
        this.pipeline = NumbersPipeline.hosted(config.numbers(), cache, progress, config.hosted(this.sampling, this.tuning));
    }

    /** The stage cache (which stages ran). */
    public StageCache cache() {
        return cache;
    }

    /** The first request of the numbers stage (for a dry run to show). */
    public ChatRequest firstRequest() {
        return pipeline.dataRequests(c.seed(), true).get(0);
    }

    /** What the sampling stages would send and cost, and an estimate of the training tokens; sends nothing. */
    public String plan() {
        List<ChatRequest> known = new ArrayList<>();
        for (long seed : c.numbers().seedList()) {
            known.addAll(pipeline.dataRequests(seed, true));
            known.addAll(pipeline.dataRequests(seed, false));
            known.addAll(pipeline.evaluationRequests(c.baseModel(), null, seed));
            known.addAll(pipeline.evaluationRequests(c.baseModel(), c.systemPrompt(), seed));
        }
        StoredBackend.Plan p = sampling.plan(known);
        int students = (2 + c.defences().size()) * c.seeds();
        long perExample = StoredBackend.estimatePromptTokens(pipeline.dataRequests(c.seed(), false).get(0).messages()) + 40;
        int epochs = c.epochs() == null ? 3 : c.epochs();
        int kept = Math.min(c.keep(), c.prompts());
        long trainTokens = (long) students * kept * perExample * epochs;
        double train = c.prices().training(c.baseModel(), trainTokens);
        StoredBackend.Plan s = tuning.plan(pipeline.evaluationRequests("ft:" + c.baseModel(), null, c.seed()));
        double studentCost = students * s.maxCost();
        return String.format(Locale.ROOT, "plan: numbers and reference evaluation: %s%n"
                + "plan: %d fine-tuning jobs of about %d training tokens in all (%d kept answers × %d epochs × about %d "
                + "tokens each, 40 taken for an answer): estimated $%.2f%n"
                + "plan: student evaluation: %d requests per student, estimated at most $%.4f for all%n"
                + "plan: estimated total at most $%.2f (prices from the configuration; the provider's bill is the truth)",
                p.summary(), students, trainTokens, kept, epochs, perExample, train, s.requests(), studentCost,
                p.maxCost() + train + studentCost);
    }

    /**
     * The numbers stage's sampling for one shard (prompt i of every seed and both sources when i mod N
     * = K) into the store; a run without a shard then reads every data answer from it.
     *
     * @return the number of requests of this shard
     */
    public int sampleShard(Shard shard) {
        return pipeline.sampleShard(shard);
    }

    /** The ledger's summary so far. */
    public String ledger() {
        return sampling.ledger().summary();
    }

    /** Runs every stage (reading stored answers and finished stages where they exist). */
    public Result run() {
        return new Result(pipeline.run(), sampling.ledger().summary());
    }
}
