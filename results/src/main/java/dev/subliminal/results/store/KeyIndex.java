package dev.subliminal.results.store;

import java.util.Set;

/**
 * Tells whether a record's key appeared earlier in its file. Either exact, over a set of the keys
 * (the store needs them anyway), or in 16 bytes per key: a set of 64-bit hashes of the keys, where
 * a hash seen before is confirmed by reading the file again up to that line (two keys share a hash
 * with probability about 2⁻⁶⁴, so this almost never happens without a real duplicate).
 */
final class KeyIndex {

    /** Finds the first line before {@code line} whose record has {@code key}; −1 if none. */
    @FunctionalInterface
    interface Rescan {
        long firstLine(String key, long line);
    }

    private final Set<String> exact;
    private final Rescan rescan;
    private long[] table;
    private int size;

    private KeyIndex(Set<String> exact, Rescan rescan) {
        this.exact = exact;
        this.rescan = rescan;
        this.table = exact == null ? new long[1 << 10] : null;
    }

    /** Exact, over {@code keys} (to which every new key is added). */
    static KeyIndex exact(Set<String> keys) {
        return new KeyIndex(keys, null);
    }

    /** By hashes, confirmed with {@code rescan}. */
    static KeyIndex hashed(Rescan rescan) {
        return new KeyIndex(null, rescan);
    }

    /**
     * Adds the key of the record on {@code line}; returns 0 if it is new, else the line of the
     * earlier record with the same key (or −1 when that line is not known).
     */
    long add(String key, long line) {
        if (exact != null) {
            return exact.add(key) ? 0 : -1;
        }
        long h = hash(key);
        int mask = table.length - 1;
        int i = (int) h & mask;
        while (table[i] != 0) {
            if (table[i] == h) {
                long earlier = rescan.firstLine(key, line);
                return earlier > 0 ? earlier : 0;
            }
            i = (i + 1) & mask;
        }
        table[i] = h;
        if (++size * 2 > table.length) {
            grow();
        }
        return 0;
    }

    private void grow() {
        long[] old = table;
        table = new long[old.length * 2];
        int mask = table.length - 1;
        for (long h : old) {
            if (h != 0) {
                int i = (int) h & mask;
                while (table[i] != 0) {
                    i = (i + 1) & mask;
                }
                table[i] = h;
            }
        }
    }

    /** FNV-1a over the characters, then MurmurHash3's 64-bit finalizer; never 0. */
    static long hash(String key) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < key.length(); i++) {
            h ^= key.charAt(i);
            h *= 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h == 0 ? 1 : h;
    }
}
