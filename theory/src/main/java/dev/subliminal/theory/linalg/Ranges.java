package dev.subliminal.theory.linalg;

/**
 * Element-wise work spread over {@link Gemm#threads()} threads (the pool of the matrix kernels):
 * [0, count) is cut into contiguous ranges that the threads take in turn. For work whose result at each index does
 * not depend on the cut (an activation applied entry by entry), so results do not depend on the
 * thread count.
 */
public final class Ranges {

    /** Work on the indices [from, to). */
    @FunctionalInterface
    public interface Body {
        void run(int from, int to);
    }

    private Ranges() {
    }

    /** Runs {@code body} over [0, count) in ranges of about {@code grain} indices. */
    public static void run(int count, int grain, Body body) {
        int ranges = (int) Math.max(1, count / Math.max(1L, grain));
        Tiles.each(ranges, Gemm.threads(), i -> body.run((int) ((long) count * i / ranges),
                (int) ((long) count * (i + 1) / ranges)));
    }
}
