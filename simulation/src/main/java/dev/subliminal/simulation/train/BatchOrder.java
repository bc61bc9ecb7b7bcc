package dev.subliminal.simulation.train;

import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.PermutationSampler;

/**
 * Which examples each training step sees. {@link #full} gives every example, in order, at every
 * step. {@link #shuffled} draws batches as PyTorch's {@code DataLoader(shuffle=True)} does: each epoch
 * a fresh random permutation of the examples is cut into batches of {@code batch} (the last one
 * partial), and epochs repeat until the steps are done. Not thread-safe.
 */
public final class BatchOrder {

    private final int count;
    private final int batch;
    private final UniformRandomProvider rng;
    private int[] permutation;
    private int next;

    private BatchOrder(int count, int batch, UniformRandomProvider rng) {
        if (count < 1 || batch < 1) {
            throw new IllegalArgumentException("batches need at least one example and a batch size ≥ 1, got "
                    + count + " examples in batches of " + batch);
        }
        this.count = count;
        this.batch = batch;
        this.rng = rng;
    }

    /** Every example at every step, in order. */
    public static BatchOrder full(int count) {
        return new BatchOrder(count, count, null);
    }

    /** DataLoader batches of {@code batch} over epochs of a permutation drawn from {@code rng}. */
    public static BatchOrder shuffled(int count, int batch, UniformRandomProvider rng) {
        return new BatchOrder(count, batch, rng);
    }

    /** The largest number of examples in one batch. */
    public int maxRows() {
        return Math.min(batch, count);
    }

    /** Writes the examples of the next batch into {@code examples} and returns how many there are. */
    public int next(int[] examples) {
        if (permutation == null || next >= count) {
            permutation = PermutationSampler.natural(count);
            if (rng != null) {
                PermutationSampler.shuffle(rng, permutation);
            }
            next = 0;
        }
        int rows = Math.min(batch, count - next);
        System.arraycopy(permutation, next, examples, 0, rows);
        next += rows;
        return rows;
    }
}
