package dev.subliminal.theory.linalg;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Splits C into one rectangle per thread, along rows when m ≥ n and along columns otherwise, at
 * multiples of the micro-kernel's block, and runs the rectangles on a shared pool of daemon threads
 * (the caller computes the first one). The split decides only which thread computes an element,
 * never how, so results do not depend on it.
 */
final class Tiles {

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

    /** Runs {@code body} over a split of the m × n output among at most {@code threads} threads. */
    static void run(int threads, int m, int n, int k, int mr, int nr, Rectangle body) {
        boolean byRows = m >= n;
        int step = byRows ? mr : nr;
        int extent = byRows ? m : n;
        int blocks = (extent + step - 1) / step;
        int t = (long) m * n * k < PARALLEL_WORK ? 1 : Math.min(threads, blocks);
        List<Future<?>> futures = new ArrayList<>();
        for (int w = t - 1; w >= 0; w--) {
            int lo = (int) ((long) blocks * w / t) * step;
            int hi = Math.min(extent, (int) ((long) blocks * (w + 1) / t) * step);
            Runnable part = byRows ? () -> body.compute(lo, hi, 0, n) : () -> body.compute(0, m, lo, hi);
            if (w == 0) {
                part.run();
            } else {
                futures.add(POOL.submit(part));
            }
        }
        for (Future<?> f : futures) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted during a matrix product", e);
            } catch (ExecutionException e) {
                throw new IllegalStateException("a matrix product failed", e.getCause());
            }
        }
    }
}
