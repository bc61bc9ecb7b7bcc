package dev.subliminal.theory.linalg;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The register and cache blocking of the kernels for one vector width, element size and output
 * width. The micro-kernel holds an MR × NR block of sums (NR = NV vectors of {@code lanes}) in vector
 * registers, so its shape follows the register file the width implies: 16 registers at 256 bits
 * (AVX2: 6 × 2 vectors, 12 accumulators, 2 of B, 1 broadcast of A: 15 of the 16) and 32 registers at
 * 128 bits (NEON) and 512 bits (AVX-512: 8 × 3 vectors, 24 accumulators).
 * A packed panel of A holds its MR rows at a stride of {@link #aStride()}, a power of two, so that
 * the kernel's index of A is a shift of its loop counter, which the compiler's range-check
 * elimination recognises (a multiply by 5 or 6 it rewrites as shifts and adds, and keeps the checks).
 * An output narrower than a full block gets an edge kernel of fewer vectors (for n = 13 floats at 512
 * bits one vector of 16 lanes, not three), and the last columns of a wider output the same. The cache
 * blocks keep a KC × NR panel of B in half of a 32 KiB L1 where that holds 256 terms or more (at most
 * 512; 128 bits); at 512 bits a panel of 256 terms (48 KiB) comes from the level-2 cache instead, which
 * gave more than halving KC and with it the passes over the sums' tiles. At 256 bits, where the
 * level-2 cache holds 1 MiB or more, a panel of B of {@link #LEVEL2_PANEL_BYTES} (2,048 terms of 16
 * floats or 8 doubles) comes from the level-2 cache too, streamed with the sliver of A: a product of k ≤
 * 2,048 calls the micro-kernel once per tile instead of once per 256 terms, and reads and writes its sums
 * once (docs/kernels.md, "Panels of B in the level-2 cache"). With a smaller level-2 cache the panel of
 * B and one padded sliver of A together fill at most three quarters of L1 (KC 256 for floats, 192 for
 * doubles) and the block of A half of the level-2 cache. An MC × KC block of A, with its stride's
 * padding, sits in {@link #aBlockBytes} of the level-2 cache ({@link #level2Bytes}: its size where
 * Linux tells it, 512 KiB elsewhere); all k rows of up to NC columns of B are packed once per product
 * and shared by the threads (at most {@link #B_BYTES}). A run of terms longer than KC is cut into
 * blocks of equal length ({@link #kcFor}). None of this changes a result: every sum runs over p in
 * order, one fma per term, whatever the blocks.
 *
 * @param bits vector width in bits (512 for the plain-loop kernels)
 * @param lanes elements per vector
 * @param mr rows of the micro-kernel
 * @param nv vectors per row of the micro-kernel
 * @param kc terms per packed block
 * @param mc rows per packed block of A, a multiple of MR
 * @param nc columns per packed block of B, a multiple of NR
 */
record Blocking(int bits, int lanes, int mr, int nv, int kc, int mc, int nc) {

    private static final int L1_BYTES = 32 << 10;
    /** The level-2 cache of the machine's first processor (Linux), else 512 KiB. */
    static final int L2_BYTES = level2Bytes(Path.of("/sys/devices/system/cpu/cpu0/cache"));
    /** Most columns of B packed at once. */
    private static final int NC = 4096;
    /** Most bytes of packed B per calling thread (all k rows of a block of columns). */
    static final int B_BYTES = 8 << 20;
    /** Bytes of a panel of B at 256 bits where the level-2 cache holds at least {@link #LEVEL2_PANELS_FROM}. */
    static final int LEVEL2_PANEL_BYTES = 128 << 10;
    /** The smallest level-2 cache for which panels of B come from it at 256 bits. */
    private static final int LEVEL2_PANELS_FROM = 1 << 20;
    /** Fewest terms of a block of B where L1 holds a panel of them (128 and 512 bits), and the least a block of A counts. */
    static final int MIN_KC = 256;
    /** Fewest columns of B packed at once (when the product has as many). */
    static final int MIN_COLUMNS = 512;

    /**
     * The size of the unified level-2 cache under a Linux {@code cpu0/cache} folder ({@code indexN/level} 2,
     * {@code indexN/size} such as {@code 1024K}), within [256 KiB, 4 MiB]; 512 KiB if none is readable.
     * Only the speed depends on it, never a result.
     */
    static int level2Bytes(Path cache) {
        for (int i = 0; i < 8; i++) {
            Path index = cache.resolve("index" + i);
            try {
                if (Files.readString(index.resolve("level")).trim().equals("2")
                        && !Files.readString(index.resolve("type")).trim().equals("Instruction")) {
                    String size = Files.readString(index.resolve("size")).trim();
                    char unit = size.isEmpty() ? ' ' : Character.toUpperCase(size.charAt(size.length() - 1));
                    long bytes = unit == 'K' || unit == 'M'
                            ? Long.parseLong(size.substring(0, size.length() - 1)) << (unit == 'K' ? 10 : 20)
                            : Long.parseLong(size);
                    return (int) Math.max(256 << 10, Math.min(4 << 20, bytes));
                }
            } catch (IOException | RuntimeException e) {
                break;
            }
        }
        return 512 << 10;
    }

    /** Columns of the micro-kernel, NV·lanes. */
    int nr() {
        return nv * lanes;
    }

    /** Elements between consecutive terms of a packed panel of A: MR rounded up to a power of two. */
    int aStride() {
        return aStride(mr);
    }

    static int aStride(int mr) {
        return Integer.highestOneBit(2 * mr - 1);
    }

    /**
     * Bytes of a packed block of A (MC × KC with its stride's padding): half of the level-2 cache at 256
     * bits with panels of B in L1, whose 6-row kernel reads a sliver of A for every 12 multiply-adds and
     * so takes more rows per panel of B; a quarter otherwise (with panels of B in the level-2 cache, a
     * quarter leaves it room for the panel and the sums: 4 slivers of 2,048 floats at 1 MiB).
     */
    static int aBlockBytes(int bits) {
        return L2_BYTES / (registers(bits) == 16 && !level2Panels(bits) ? 2 : 4);
    }

    /** Whether panels of B come from the level-2 cache at this width: at 256 bits with 1 MiB of it or more. */
    static boolean level2Panels(int bits) {
        return registers(bits) == 16 && L2_BYTES >= LEVEL2_PANELS_FROM;
    }

    /** Vector registers the kernels of a width are designed for: 16 at 256 bits (AVX2), 32 otherwise. */
    static int registers(int bits) {
        return bits == 256 ? 16 : 32;
    }

    /** The blocking of products with n output columns, for vectors of {@code bits} and elements of {@code bytes}. */
    static Blocking of(int bits, int bytes, int n) {
        int lanes = bits / 8 / bytes;
        boolean sixteen = registers(bits) == 16;
        int mr = sixteen ? 6 : 8;
        int nv = (int) Math.max(1, Math.min(sixteen ? 2 : 3, ((long) n + lanes - 1) / lanes));
        int nr = nv * lanes;
        int kc = level2Panels(bits) ? LEVEL2_PANEL_BYTES / (nr * bytes) / 16 * 16
                : sixteen ? L1_BYTES * 3 / 4 / ((nr + aStride(mr)) * bytes) / 16 * 16
                : Math.max(MIN_KC, Math.min(512, L1_BYTES / 2 / (nr * bytes) / 16 * 16));
        int mc = Math.max(1, aBlockBytes(bits) / (kc * bytes) / aStride(mr)) * mr;
        int nc = NC / nr * nr;
        return new Blocking(bits, lanes, mr, nv, kc, mc, nc);
    }

    /**
     * Columns of B packed at once for products of k terms and n columns: all k rows of them are packed once per
     * rectangle and reused by every block of rows, within {@link #B_BYTES}; a multiple of NR. Never fewer
     * than {@link #MIN_COLUMNS}: op(A) is packed once per block of columns, so for a long k (a product
     * over a vocabulary of 50,257) narrower blocks would pack A n/NR times; such a B is packed into a
     * buffer of its own, above {@link #B_BYTES}, for that product only. The n columns are split into
     * blocks of equal width (to a multiple of NR), not into full blocks and a narrow rest: a rest of a few
     * panels would repack op(A) for little work and leave threads idle.
     */
    int columns(int k, int n) {
        int fit = B_BYTES / bytes() / Math.max(1, k) / nr() * nr();
        int most = Math.max((MIN_COLUMNS + nr() - 1) / nr() * nr(), Math.min(nc, fit));
        int blocks = (n + most - 1) / most;
        return Math.min(most, ((n + blocks - 1) / blocks + nr() - 1) / nr() * nr());
    }

    /**
     * Terms per block for a run of {@code terms} terms: the run cut into ⌈terms / KC⌉ blocks of equal length
     * (the last shorter by fewer terms than there are blocks), not into full blocks and a short rest, whose
     * few terms per micro-kernel call would cost a call's fixed work for little.
     */
    int kcFor(int terms) {
        int blocks = Math.max(1, (terms + kc - 1) / kc);
        return (terms + blocks - 1) / blocks;
    }

    /**
     * Rows of a block of A whose blocks of terms hold {@code terms} terms: as many slivers of MR rows as fill
     * {@link #aBlockBytes} at that length (at least {@link #MIN_KC} terms counted), and never fewer than MC. At 256
     * bits with panels of B in the level-2 cache, MC is set for KC = 2,048 terms (4 slivers of floats), and
     * a product of fewer terms takes more rows per panel of B instead of streaming it for each 24 rows.
     */
    int mcFor(int terms) {
        return Math.max(mc, aBlockBytes(bits) / (Math.max(terms, MIN_KC) * bytes() * aStride()) * mr);
    }

    /** Bytes of an element. */
    int bytes() {
        return bits / 8 / lanes;
    }

    /** Vectors of the panel that starts at column jr of a block of nc columns: NV, or fewer for the last. */
    int vectorsAt(int jr, int nc) {
        return Math.min(nv, (nc - jr + lanes - 1) / lanes);
    }

    @Override
    public String toString() {
        return mr + "×" + nr() + " (" + mr + " × " + nv + " vectors of " + lanes + "), KC " + kc + ", MC " + mc
                + ", NC " + nc;
    }
}
