package dev.subliminal.lm.transformer;

import dev.subliminal.theory.model.Batch;

/**
 * A validated batch of token sequences: row r of the input holds L_r token ids (integers in [0, V))
 * followed by T − L_r padding entries −1. The real tokens of all rows are kept one after another.
 *
 * @param lengths L_r of every row
 * @param ids the real tokens, row after row
 * @param rowStart index in {@code ids} of the first token of every row
 */
record TokenRows(int[] lengths, int[] ids, int[] rowStart) {

    /** The padding id. */
    static final double PAD = -1;

    /** Parses and checks the rows; the message of any error names the row and position. */
    static TokenRows parse(Batch inputs, int vocab) {
        int rows = inputs.rows();
        int t = inputs.cols();
        double[] x = inputs.data();
        int[] lengths = new int[rows];
        int[] rowStart = new int[rows];
        int total = 0;
        for (int r = 0; r < rows; r++) {
            int len = t;
            for (int i = 0; i < t; i++) {
                double id = x[r * t + i];
                if (id == PAD) {
                    if (len == t) {
                        len = i;
                    }
                } else if (len < t) {
                    throw new IllegalArgumentException("token " + format(id) + " at row " + r + ", position " + i
                            + " follows padding (−1 at position " + len + "); padding may only trail a sequence");
                } else if (!(id >= 0 && id < vocab && id == Math.rint(id))) {
                    throw new IllegalArgumentException("token " + format(id) + " at row " + r + ", position " + i
                            + " is not a token id: ids are integers in [0, " + vocab + ") or −1 for padding");
                }
            }
            lengths[r] = len;
            rowStart[r] = total;
            total += len;
        }
        int[] ids = new int[total];
        for (int r = 0; r < rows; r++) {
            for (int i = 0; i < lengths[r]; i++) {
                ids[rowStart[r] + i] = (int) x[r * t + i];
            }
        }
        return new TokenRows(lengths, ids, rowStart);
    }

    private static String format(double id) {
        return id == Math.rint(id) && Math.abs(id) < 1e15 ? Long.toString((long) id) : Double.toString(id);
    }
}
