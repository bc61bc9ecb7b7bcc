package dev.subliminal.simulation.sweep;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.subliminal.simulation.check.CheckCase;
import dev.subliminal.results.store.ResultStore;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.LongStream;

/**
 * Runs a shard of a sweep into a results store. Units run in parallel but their records are appended
 * in increasing unit order, so a store always holds a prefix of the shard's units: a killed run
 * resumes with the rest and ends with the same records, in the same order, as an uninterrupted one.
 * Every unit draws from its own seed only, so records do not depend on the thread count.
 */
public final class SweepRunner {

    /** Receives the number of the shard's units done (including those found in the store) and their total. */
    public interface Listener {
        void progress(long done, long total);
    }

    private SweepRunner() {
    }

    /** The units of a shard, in order. */
    public static long[] units(UnitGrid grid, Shard shard) {
        return LongStream.range(0, grid.units()).filter(shard::contains).toArray();
    }

    /** Runs the units of {@code shard} missing from {@code store} on {@code threads} threads. */
    public static void run(SweepGrid grid, Shard shard, ResultStore store, int threads, Listener listener) {
        run(grid, shard, store, threads, u -> record(grid, u), listener);
    }

    /**
     * Runs the units of {@code shard} of any grid missing from {@code store} on {@code threads} threads,
     * each unit's record from {@code record} (which must depend on the unit only), appended in unit order.
     */
    public static void run(UnitGrid grid, Shard shard, ResultStore store, int threads,
            java.util.function.LongFunction<ObjectNode> record, Listener listener) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads = " + threads + " must be ≥ 1");
        }
        long[] all = units(grid, shard);
        Set<String> present = store.keys();
        long[] todo = present.isEmpty() ? all : LongStream.of(all).filter(u -> !present.contains(grid.key(u))).toArray();
        long done = all.length - todo.length;
        listener.progress(done, all.length);
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "sweep");
            t.setDaemon(true);
            return t;
        });
        int window = 64 * threads;
        Deque<Future<ObjectNode>> pending = new ArrayDeque<>();
        try {
            int next = 0;
            while (next < todo.length || !pending.isEmpty()) {
                while (next < todo.length && pending.size() < window) {
                    long unit = todo[next++];
                    pending.add(pool.submit(() -> record.apply(unit)));
                }
                store.append(pending.removeFirst().get());
                listener.progress(++done, all.length);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("sweep interrupted", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    /** The record of one unit; a non-finite update becomes a failure record. */
    public static ObjectNode record(SweepGrid grid, long unit) {
        SweepCell cell = grid.cells().get(grid.cellOf(unit));
        try {
            return SweepRecord.of(grid, unit, RegimeRun.run(new CheckCase(cell.check(), grid.seedOf(unit)), cell.regime()));
        } catch (ArithmeticException e) {
            return SweepRecord.failure(grid, unit, e.getMessage());
        }
    }
}
