package dev.subliminal.lm.transformer;

import java.util.Arrays;

/**
 * The real tokens of a range of rows of a token batch, their positions and their grouping into
 * sequences: what the whole-network passes of either precision run over.
 *
 * @param seg the sequences, one per row (empty for an all-padding row)
 * @param ids the token ids, row after row
 * @param pos the position of every token in its sequence
 */
record Chunk(Segments seg, int[] ids, int[] pos) {

    /** Rows [r0, r1) of a parsed batch. */
    static Chunk of(TokenRows rows, int r0, int r1) {
        Segments seg = Segments.of(Arrays.copyOfRange(rows.lengths(), r0, r1));
        int from = rows.rowStart()[r0];
        return new Chunk(seg, Arrays.copyOfRange(rows.ids(), from, from + seg.tokens()), seg.positions());
    }

    /** Whole sequences, one after another. */
    static Chunk of(int[][] sequences) {
        int[] lengths = new int[sequences.length];
        for (int s = 0; s < sequences.length; s++) {
            lengths[s] = sequences[s].length;
        }
        Segments seg = Segments.of(lengths);
        int[] ids = new int[seg.tokens()];
        for (int s = 0; s < sequences.length; s++) {
            System.arraycopy(sequences[s], 0, ids, seg.start()[s], lengths[s]);
        }
        return new Chunk(seg, ids, seg.positions());
    }

    /** The same rows with a gradient run starting at every {@code every}-th sequence ({@link Segments}). */
    Chunk withGradientRuns(int every) {
        return new Chunk(seg.withGradientRuns(every), ids, pos);
    }

    /** N, the number of tokens. */
    int tokens() {
        return seg.tokens();
    }
}
