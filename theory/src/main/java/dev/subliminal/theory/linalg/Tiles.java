package dev.subliminal.theory.linalg;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * Splits C into rectangles at multiples of the micro-kernel's block, and runs them on the calling thread and a shared pool of daemon threads. The
 * split decides only which thread computes an element, never how, so results do not depend on it.
 */
final class Tiles {

    /** True when the JVM runs with {@code --add-modules jdk.incubator.vector}. */
    static final boolean VECTOR_API = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();

    /** Rectangles per thread. */
    static final int TILES_PER_THREAD = 2;

    /** Below this many multiply-adds a product runs on the calling thread alone. */
    private static final long PARALLEL_WORK = 1L << 18;

    private static final ExecutorService POOL = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "gemm");
        t.setDaemon(true);
        return t;
    });

    /** Computes the rectangle C[i0:i1, j0:j1]. */
    interface Rectangle {
        void compute(int i0, int i1, int j0, int j1);
    }

    private Tiles() {
    }

    static int roundUp(int x, int multiple) {
        return (x + multiple - 1) / multiple * multiple;
    }

    /**
     * Runs {@code body} on t threads over a grid of rectangles covering the m × n output: one rectangle
     * on one thread, else about {@link #TILES_PER_THREAD} rectangles per thread, so that a thread slowed
     * by other load leaves its share to the others. Cut along rows while there are rows enough: the block
     * of op(B) is packed once and shared, but each rectangle packs its own rows of op(A) over all k, so
     * rectangles side by side would pack the same rows again; then along columns.
     */
    static void run(int t, int m, int n, int mr, int nr, Rectangle body) {
        int wanted = t == 1 ? 1 : t * TILES_PER_THREAD;
        int rowBlocks = (m + mr - 1) / mr;
        int colBlocks = (n + nr - 1) / nr;
        int rowTiles = Math.min(rowBlocks, wanted);
        int colTiles = Math.min(colBlocks, (wanted + rowTiles - 1) / rowTiles);
        each(rowTiles * colTiles, t, i -> {
            int r = i / colTiles;
            int q = i % colTiles;
            body.compute((int) ((long) rowBlocks * r / rowTiles) * mr,
                    Math.min(m, (int) ((long) rowBlocks * (r + 1) / rowTiles) * mr),
                    (int) ((long) colBlocks * q / colTiles) * nr,
                    Math.min(n, (int) ((long) colBlocks * (q + 1) / colTiles) * nr));
        });
    }

    /** The threads a product of m·n·k multiply-adds uses: 1 below {@link #PARALLEL_WORK}, else {@code threads}. */
    static int threadsFor(int m, int n, int k, int threads) {
        return (long) m * n * k < PARALLEL_WORK ? 1 : threads;
    }

    /**
     * Runs task(0), ..., task(count − 1) on {@code threads} threads (the caller and pool threads), each
     * taking the next undone task until none is left.
     */
    static void each(int count, int threads, IntConsumer task) {
        AtomicInteger next = new AtomicInteger();
        Runnable worker = () -> {
            for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                task.accept(i);
            }
        };
        List<Future<?>> futures = new ArrayList<>();
        for (int w = 1; w < Math.min(threads, count); w++) {
            futures.add(POOL.submit(worker));
        }
        worker.run();
        for (Future<?> f : futures) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted during a parallel kernel", e);
            } catch (ExecutionException e) {
                throw new IllegalStateException("a parallel kernel failed", e.getCause());
            }
        }
    }
}
