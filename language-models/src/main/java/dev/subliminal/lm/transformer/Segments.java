package dev.subliminal.lm.transformer;

/**
 * How the rows of a token matrix (one row per token, N rows) group into sequences: sequence s
 * occupies rows [start_s, start_s + length_s) and its first row sits at absolute position
 * {@code firstPosition_s} (0 for a whole sequence, the cache length when decoding goes on).
 *
 * @param start first row of each sequence
 * @param length number of rows of each sequence (≥ 0)
 * @param firstPosition position of each sequence's first row
 * @param tokens N, the total number of rows
 * @param gradientStarts the first row of each run of rows whose parameter-gradient products are summed
 *     apart ({0}: all rows at once): a weight's gradient gets one product per run, runs in order, so that
 *     a backward pass over several of a VJP's chunks at once adds up as chunk after chunk
 */
record Segments(int[] start, int[] length, int[] firstPosition, int tokens, int[] gradientStarts) {

    /** Sequences whose parameter gradients are summed over all rows at once. */
    Segments(int[] start, int[] length, int[] firstPosition, int tokens) {
        this(start, length, firstPosition, tokens, new int[] {0});
    }

    /** Whole sequences of the given lengths, stacked one after another from position 0. */
    static Segments of(int... lengths) {
        int[] start = new int[lengths.length];
        int n = 0;
        for (int s = 0; s < lengths.length; s++) {
            start[s] = n;
            n = Math.addExact(n, lengths[s]);
        }
        return new Segments(start, lengths.clone(), new int[lengths.length], n);
    }

    /** One sequence of n rows whose first row is at position p0. */
    static Segments continuing(int n, int p0) {
        return new Segments(new int[] {0}, new int[] {n}, new int[] {p0}, n);
    }

    /**
     * The same sequences with a gradient run starting at each {@code every}-th sequence (0, every,
     * 2·every, ...).
     */
    Segments withGradientRuns(int every) {
        int runs = (count() + every - 1) / every;
        int[] starts = new int[Math.max(1, runs)];
        for (int k = 0; k < runs; k++) {
            starts[k] = start[k * every];
        }
        return new Segments(start, length, firstPosition, tokens, starts);
    }

    /**
     * The first rows of the gradient runs that hold rows, 0 first (the runs of a
     * {@link dev.subliminal.theory.linalg.Gemm#dgemmInRuns} over all N rows); empty when N = 0.
     */
    int[] gradientRunStarts() {
        return java.util.stream.IntStream.range(0, gradientRuns()).filter(k -> gradientTo(k) > gradientFrom(k))
                .map(this::gradientFrom).toArray();
    }

    /** Number of gradient runs. */
    int gradientRuns() {
        return gradientStarts.length;
    }

    /** The first row of gradient run k. */
    int gradientFrom(int k) {
        return gradientStarts[k];
    }

    /** One past the last row of gradient run k. */
    int gradientTo(int k) {
        return k + 1 < gradientStarts.length ? gradientStarts[k + 1] : tokens;
    }

    /** Number of sequences. */
    int count() {
        return length.length;
    }

    /** The absolute position of every row, in row order. */
    int[] positions() {
        int[] pos = new int[tokens];
        for (int s = 0; s < count(); s++) {
            for (int i = 0; i < length[s]; i++) {
                pos[start[s] + i] = firstPosition[s] + i;
            }
        }
        return pos;
    }

    /** The largest position any row has, plus one (0 when there are no rows). */
    int positionsNeeded() {
        int max = 0;
        for (int s = 0; s < count(); s++) {
            if (length[s] > 0) {
                max = Math.max(max, firstPosition[s] + length[s]);
            }
        }
        return max;
    }
}
