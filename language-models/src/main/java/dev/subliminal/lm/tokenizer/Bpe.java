package dev.subliminal.lm.tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;

/**
 * Byte-pair encoding of one pre-token: start from one symbol per byte, then repeatedly merge the
 * adjacent pair of lowest rank (the leftmost among equal ranks) until no adjacent pair has a rank.
 * For Hugging Face files the rank of pair (a, b) is its line in {@code merges}; for tiktoken files
 * it is the rank of the token a·b. Both are one table, pair → (rank, merged id). With
 * {@code ignoreMerges} (tiktoken, and Hugging Face files that say so) a pre-token that is itself a
 * token is that token. A binary heap keeps the merge loop O(n log n), so a pre-token of a million
 * bytes encodes in well under a second.
 *
 * <p>Tokens are keyed by their bytes read as ISO-8859-1 (one char per byte).
 */
final class Bpe {

    private final int[] byteIds = new int[256];
    private final Map<String, Integer> tokens;
    private final PairTable pairs;
    private final boolean ignoreMerges;

    /**
     * @param tokens every token's bytes (as ISO-8859-1 text) → id; all 256 single bytes must be there
     * @param pairs (left id, right id) → (rank, merged id) packed as {@code rank << 32 | id}
     */
    Bpe(Map<String, Integer> tokens, PairTable pairs, boolean ignoreMerges) {
        this.tokens = tokens;
        this.pairs = pairs;
        this.ignoreMerges = ignoreMerges;
        for (int b = 0; b < 256; b++) {
            Integer id = tokens.get(String.valueOf((char) b));
            if (id == null) {
                throw new IllegalArgumentException(String.format("the vocabulary has no token for byte 0x%02X", b));
            }
            byteIds[b] = id;
        }
    }

    static String key(byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    static long pack(int hi, int lo) {
        return ((long) hi << 32) | (lo & 0xFFFFFFFFL);
    }

    /** The ids of one pre-token's bytes. */
    int[] encode(byte[] piece) {
        int n = piece.length;
        if (n == 0) {
            return new int[0];
        }
        if (n == 1) {
            return new int[] {byteIds[piece[0] & 0xFF]};
        }
        if (ignoreMerges) {
            Integer whole = tokens.get(key(piece));
            if (whole != null) {
                return new int[] {whole};
            }
        }
        int[] id = new int[n];
        int[] next = new int[n];
        int[] prev = new int[n];
        for (int i = 0; i < n; i++) {
            id[i] = byteIds[piece[i] & 0xFF];
            next[i] = i + 1 < n ? i + 1 : -1;
            prev[i] = i - 1;
        }
        LongHeap heap = new LongHeap(n);
        for (int i = 0; i + 1 < n; i++) {
            push(heap, id[i], id[i + 1], i);
        }
        int count = n;
        while (!heap.isEmpty()) {
            long top = heap.pop();
            int rank = (int) (top >>> 32);
            int pos = (int) top;
            int right = next[pos];
            if (id[pos] < 0 || right < 0) {
                continue; // the left symbol was merged away, or has no right neighbour any more
            }
            long merge = pairs.get(id[pos], id[right]);
            if (merge == PairTable.ABSENT || (int) (merge >>> 32) != rank) {
                continue; // stale: the pair at pos changed since this entry was pushed
            }
            id[pos] = (int) merge;
            id[right] = -1;
            next[pos] = next[right];
            if (next[pos] >= 0) {
                prev[next[pos]] = pos;
            }
            count--;
            if (prev[pos] >= 0) {
                push(heap, id[prev[pos]], id[pos], prev[pos]);
            }
            if (next[pos] >= 0) {
                push(heap, id[pos], id[next[pos]], pos);
            }
        }
        int[] out = new int[count];
        int k = 0;
        for (int i = 0; i >= 0; i = next[i]) {
            out[k++] = id[i];
        }
        return out;
    }

    private void push(LongHeap heap, int left, int right, int pos) {
        long merge = pairs.get(left, right);
        if (merge != PairTable.ABSENT) {
            heap.push(pack((int) (merge >>> 32), pos));
        }
    }

    /** A min-heap of non-negative longs (rank in the high half, position in the low half). */
    private static final class LongHeap {
        private long[] a;
        private int size;

        LongHeap(int capacity) {
            a = new long[Math.max(4, capacity)];
        }

        boolean isEmpty() {
            return size == 0;
        }

        void push(long v) {
            if (size == a.length) {
                a = Arrays.copyOf(a, a.length * 2);
            }
            int i = size++;
            while (i > 0) {
                int p = (i - 1) >>> 1;
                if (a[p] <= v) {
                    break;
                }
                a[i] = a[p];
                i = p;
            }
            a[i] = v;
        }

        long pop() {
            long top = a[0];
            long v = a[--size];
            int i = 0;
            while (true) {
                int c = 2 * i + 1;
                if (c >= size) {
                    break;
                }
                if (c + 1 < size && a[c + 1] < a[c]) {
                    c++;
                }
                if (a[c] >= v) {
                    break;
                }
                a[i] = a[c];
                i = c;
            }
            a[i] = v;
            return top;
        }
    }
}
