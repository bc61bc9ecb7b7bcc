package dev.subliminal.lm.tokenizer;

import java.util.Arrays;

/**
 * The merge table, (left id, right id) → (rank, merged id), as an open-addressing hash table of
 * packed longs. A {@code HashMap<Long, Long>} would hash a pair to left ⊕ right, which collides for
 * whole families of pairs and made loading and encoding several times slower.
 */
final class PairTable {

    static final long ABSENT = -1L;
    private long[] keys;
    private long[] values;
    private int size;
    private int mask;

    PairTable(int expected) {
        int capacity = Integer.highestOneBit(Math.max(16, expected * 2 - 1)) << 1;
        keys = new long[capacity];
        values = new long[capacity];
        Arrays.fill(keys, ABSENT);
        mask = capacity - 1;
    }

    private static int slot(long key, int mask) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 29)) & mask;
    }

    /** The value of (left, right), or {@link #ABSENT}. */
    long get(int left, int right) {
        long key = Bpe.pack(left, right);
        for (int i = slot(key, mask); ; i = (i + 1) & mask) {
            long k = keys[i];
            if (k == key) {
                return values[i];
            }
            if (k == ABSENT) {
                return ABSENT;
            }
        }
    }

    /** Sets (left, right) → value, replacing an earlier value. Ids must be ≥ 0. */
    void put(int left, int right, long value) {
        if ((size + 1) * 2 > keys.length) {
            grow();
        }
        long key = Bpe.pack(left, right);
        for (int i = slot(key, mask); ; i = (i + 1) & mask) {
            if (keys[i] == key) {
                values[i] = value;
                return;
            }
            if (keys[i] == ABSENT) {
                keys[i] = key;
                values[i] = value;
                size++;
                return;
            }
        }
    }

    int size() {
        return size;
    }

    private void grow() {
        long[] oldKeys = keys;
        long[] oldValues = values;
        keys = new long[oldKeys.length * 2];
        values = new long[oldKeys.length * 2];
        Arrays.fill(keys, ABSENT);
        mask = keys.length - 1;
        for (int j = 0; j < oldKeys.length; j++) {
            if (oldKeys[j] != ABSENT) {
                for (int i = slot(oldKeys[j], mask); ; i = (i + 1) & mask) {
                    if (keys[i] == ABSENT) {
                        keys[i] = oldKeys[j];
                        values[i] = oldValues[j];
                        break;
                    }
                }
            }
        }
    }
}
