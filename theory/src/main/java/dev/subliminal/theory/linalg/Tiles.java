package dev.subliminal.theory.linalg;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
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

    /**
     * How long a helper that finds no share waits for the next one, and a caller for a helper's share to
     * finish, spinning, before the helper returns to the pool or the caller parks: 200 µs, about what a
     * parked helper took to start in this virtual machine (2026-12-05: 58 ms over the 240 parallel sections
     * of 60 products of 2048³ on two threads), so that the sections of a product and products in a row
     * start on running threads.
     */
    private static final long SPIN_NANOS = 200_000;

    private static final ExecutorService POOL = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "gemm");
        t.setDaemon(true);
        return t;
    });

    /** Shares of parallel sections not yet taken by a helper. */
    private static final ConcurrentLinkedQueue<Share> SHARES = new ConcurrentLinkedQueue<>();

    /**
     * Helpers waiting for a share. A caller offers its shares, then starts a helper for each share beyond
     * this count; a helper leaving stops counting itself, then looks for shares once more, so a share is
     * never left without a helper (and a caller takes back a share no helper began in any case).
     */
    private static final AtomicInteger WAITING = new AtomicInteger();

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
     * A grid of rectangles covering an m × n output, cut at multiples of the micro-kernel's block, for t
     * threads: one rectangle on one thread, else about {@link #TILES_PER_THREAD} rectangles per thread, so
     * that a thread slowed by other load leaves its share to the others. Cut along rows while there are
     * rows enough: the block of op(B) is packed once and shared, but each rectangle packs its own rows of
     * op(A) over all k, so rectangles side by side would pack the same rows again; then along columns.
     */
    record Grid(int m, int n, int mr, int nr, int rowTiles, int colTiles) {

        static Grid of(int t, int m, int n, int mr, int nr) {
            int wanted = t == 1 ? 1 : t * TILES_PER_THREAD;
            int rowTiles = Math.min((m + mr - 1) / mr, wanted);
            int colTiles = Math.min((n + nr - 1) / nr, (wanted + rowTiles - 1) / rowTiles);
            return new Grid(m, n, mr, nr, rowTiles, colTiles);
        }

        /** The number of rectangles. */
        int count() {
            return rowTiles * colTiles;
        }

        /** Computes rectangle i (row by row of the grid) with {@code body}. */
        void compute(int i, Rectangle body) {
            int rowBlocks = (m + mr - 1) / mr;
            int colBlocks = (n + nr - 1) / nr;
            int r = i / colTiles;
            int q = i % colTiles;
            body.compute((int) ((long) rowBlocks * r / rowTiles) * mr,
                    Math.min(m, (int) ((long) rowBlocks * (r + 1) / rowTiles) * mr),
                    (int) ((long) colBlocks * q / colTiles) * nr,
                    Math.min(n, (int) ((long) colBlocks * (q + 1) / colTiles) * nr));
        }
    }

    /** The threads a product of m·n·k multiply-adds uses: 1 below {@link #PARALLEL_WORK}, else {@code threads}. */
    static int threadsFor(int m, int n, int k, int threads) {
        return (long) m * n * k < PARALLEL_WORK ? 1 : threads;
    }

    /**
     * Runs task(0), ..., task(count − 1) on {@code threads} threads (the caller and helpers of a shared
     * pool), each taking the next undone task until none is left. The caller offers threads − 1 shares of
     * the work to the helpers and works itself; at the end it takes back the shares no helper has begun
     * (their tasks are done by then) and waits for the others. A helper that runs out of shares waits
     * {@link #SPIN_NANOS} for the next one before it returns to the pool, and a waiting caller spins as
     * long before it parks. With parked helpers, products of 128 × 128 × 64 on two threads ran at 31–33
     * GFLOP/s, with waiting ones at 51–86 (2026-12-05, 256 bits, 20,000 products in a row, three runs each).
     * After a failure in a task the others stop taking tasks, and it is thrown (a helper's wrapped in an
     * {@link IllegalStateException}) once every share has stopped.
     */
    static void each(int count, int threads, IntConsumer task) {
        AtomicInteger next = new AtomicInteger();
        Runnable worker = () -> {
            try {
                for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                    task.accept(i);
                }
            } catch (RuntimeException | Error e) {
                next.set(count);   // the others stop after their current task
                throw e;
            }
        };
        Share[] shares = new Share[Math.min(threads, count) - 1];
        for (int w = 0; w < shares.length; w++) {
            shares[w] = new Share(worker);
            SHARES.add(shares[w]);
        }
        for (int w = WAITING.get(); w < shares.length; w++) {
            POOL.execute(Tiles::help);
        }
        Throwable failure = null;
        try {
            worker.run();
        } catch (RuntimeException | Error e) {
            failure = e;
        }
        for (Share share : shares) {
            Throwable f = share.settle();
            if (failure == null && f != null) {
                failure = new IllegalStateException("a parallel kernel failed", f);
            }
        }
        if (failure instanceof RuntimeException e) {
            throw e;
        }
        if (failure instanceof Error e) {
            throw e;
        }
    }

    /** A helper: runs the shares it finds, and returns to the pool after {@link #SPIN_NANOS} without one. */
    private static void help() {
        WAITING.incrementAndGet();
        long since = System.nanoTime();
        while (true) {
            Share share = SHARES.poll();
            if (share != null) {
                WAITING.decrementAndGet();
                share.run();
                WAITING.incrementAndGet();
                since = System.nanoTime();
            } else if (System.nanoTime() - since < SPIN_NANOS) {
                Thread.onSpinWait();
            } else {
                WAITING.decrementAndGet();
                if (SHARES.isEmpty()) {
                    return;
                }
                WAITING.incrementAndGet();   // a share was offered as this helper was leaving: stay for it
                since = System.nanoTime();
            }
        }
    }

    /** One helper's part of a parallel section: the section's worker, run by at most one thread. */
    private static final class Share {
        private static final int OFFERED = 0;
        private static final int RUNNING = 1;
        private static final int DONE = 2;
        private static final int TAKEN_BACK = 3;

        private final Runnable worker;
        private final Thread caller = Thread.currentThread();
        private final AtomicInteger state = new AtomicInteger(OFFERED);
        private volatile Throwable failure;

        Share(Runnable worker) {
            this.worker = worker;
        }

        /** Runs the worker unless the caller took the share back. */
        void run() {
            if (!state.compareAndSet(OFFERED, RUNNING)) {
                return;
            }
            try {
                worker.run();
            } catch (Throwable t) {
                failure = t;
            } finally {
                state.set(DONE);
                LockSupport.unpark(caller);
            }
        }

        /** Takes the share back if no helper began it, else waits until it is done; its failure, if any. */
        Throwable settle() {
            if (state.compareAndSet(OFFERED, TAKEN_BACK)) {
                SHARES.remove(this);
                return null;
            }
            long start = System.nanoTime();
            boolean interrupted = false;
            while (state.get() != DONE) {
                if (System.nanoTime() - start < SPIN_NANOS) {
                    Thread.onSpinWait();
                } else {
                    LockSupport.park(this);
                    interrupted |= Thread.interrupted();
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            return failure;
        }
    }
}
