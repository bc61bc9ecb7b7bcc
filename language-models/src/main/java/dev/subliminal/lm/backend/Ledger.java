package dev.subliminal.lm.backend;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.DoubleAdder;

/**
 * What a run sent and what it read back from the store: requests, tokens and the estimated cost
 * (from a {@link PriceTable}; the provider's bill is the truth). Safe for concurrent use.
 */
public final class Ledger {

    private final PriceTable prices;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong reused = new AtomicLong();
    private final AtomicLong promptTokens = new AtomicLong();
    private final AtomicLong completionTokens = new AtomicLong();
    private final AtomicLong trainingTokens = new AtomicLong();
    private final AtomicLong reusedTokens = new AtomicLong();
    private final DoubleAdder cost = new DoubleAdder();
    private final DoubleAdder saved = new DoubleAdder();

    /** A ledger pricing with the table. */
    public Ledger(PriceTable prices) {
        this.prices = prices;
    }

    /** The prices. */
    public PriceTable prices() {
        return prices;
    }

    /** A request that was sent and answered. */
    public void paid(String model, ChatResponse.Usage usage) {
        sent.incrementAndGet();
        promptTokens.addAndGet(usage.promptTokens());
        completionTokens.addAndGet(usage.completionTokens());
        cost.add(prices.sampling(model, usage.promptTokens(), usage.completionTokens()));
    }

    /** A request answered from the store. */
    public void reused(String model, ChatResponse.Usage usage) {
        reused.incrementAndGet();
        reusedTokens.addAndGet(usage.total());
        saved.add(prices.sampling(model, usage.promptTokens(), usage.completionTokens()));
    }

    /** A finished fine-tuning job's billed tokens. */
    public void trained(String model, long tokens) {
        trainingTokens.addAndGet(tokens);
        cost.add(prices.training(model, tokens));
    }

    /** Requests sent. */
    public long sent() {
        return sent.get();
    }

    /** Requests answered from the store. */
    public long reused() {
        return reused.get();
    }

    /** Estimated USD spent. */
    public double cost() {
        return cost.sum();
    }

    /** One line: requests sent and reused, tokens, estimated cost. */
    public String summary() {
        return String.format(Locale.ROOT, "%d requests sent (%d prompt + %d completion tokens), %d training tokens, "
                + "estimated cost $%.4f; %d answered from the store (%d tokens, $%.4f not paid again)", sent.get(),
                promptTokens.get(), completionTokens.get(), trainingTokens.get(), cost.sum(), reused.get(),
                reusedTokens.get(), saved.sum());
    }
}
