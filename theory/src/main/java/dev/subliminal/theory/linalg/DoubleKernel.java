package dev.subliminal.theory.linalg;

import java.util.Arrays;

/**
 * The {@code double} product of one rectangle of C, blocked as in GotoBLAS with the {@link Blocking}
 * of the JVM's vector width: for each block of KC terms, op(B) is packed into column panels of NR
 * columns (the last one narrower: a whole number of vectors) and op(A) into row panels of MR rows, and
 * a micro-kernel ({@link DoubleMicro} on the Vector API, plain loops without it) updates an MR × NR
 * block of sums. Every sum runs over p = 0..k−1 in order with one fused multiply-add per term
 * ({@code Math.fma}, lane-wise in vectors); sums cross KC blocks through a workspace without rounding,
 * and padding rows and columns are zeros that never reach C. So each element is exactly the one
 * {@link Gemm} documents, whatever the rectangle, the blocks or the vector width.
 *
 * <p>The source of a precision twin: {@code FloatKernel} is generated from this file at build time
 * (docs/precision-twins.md).
 */
final class DoubleKernel {

    /** At most this many multiply-adds, a product runs as plain loops without packing (same bits). */
    static final long SMALL_WORK = 1L << 15;

    /** Width of the vectors: the Vector API's preferred species, or 512 bits of plain loops without it. */
    static final int BITS = Tiles.VECTOR_API ? DoubleMicro.L * Double.SIZE : 512;

    /** A packed block of A and the sums of a rectangle, reused by each thread and grown on demand. */
    private static final class Workspace {
        double[] ap = new double[0];
        double[] acc = new double[0];
        /**
         * Packed columns of B (at most {@link Blocking#B_BYTES} each), shared by the threads of the products this
         * thread calls: a block's panels in one while the next block's are packed into the other.
         */
        double[][] bp = {new double[0], new double[0]};
    }

    private static final ThreadLocal<Workspace> WORKSPACE = ThreadLocal.withInitial(Workspace::new);

    private DoubleKernel() {
    }

    /** The blocking of products with n columns at this width. */
    static Blocking blocking(int n) {
        return Blocking.of(BITS, Double.BYTES, n);
    }

    /**
     * C = α·op(A)·op(B) + β·C on {@code threads} threads, the k terms summed in the runs that start at
     * {@code runs} (see {@link Gemm#dgemmInRuns}). Products of at most {@link #SMALL_WORK} multiply-adds
     * run as plain loops; others, for each block of columns, pack op(B)[0:k, block] once (panels split
     * among the threads) into the calling thread's workspace, then the threads compute rectangles of
     * that block of C from it, and, as they run out of rectangles, pack the next block into a second
     * buffer: a thread that finishes early packs instead of waiting for the other, and the product has one
     * parallel section per block plus one (docs/kernels.md).
     */
    static void product(int threads, boolean vectors, boolean transA, boolean transB, int m, int n, int k, int[] runs,
            double alpha, double[] a, int offA, int lda, double[] b, int offB, int ldb, double beta, double[] c, int offC,
            int ldc) {
        if ((long) m * n * k <= SMALL_WORK) {
            small(transA, transB, m, n, k, runs, alpha, a, offA, lda, b, offB, ldb, beta, c, offC, ldc);
            return;
        }
        Blocking bl = blocking(n);
        int block = bl.columns(k, n);
        int blocks = (n + block - 1) / block;
        int t = Tiles.threadsFor(m, n, k, threads);
        int size = Math.multiplyExact(k, Tiles.roundUp(Math.min(block, n), bl.lanes()));
        boolean own = (long) size * Double.BYTES > Blocking.B_BYTES;
        // B is packed ahead only where C is another array: C written while the next block of B is read would
        // otherwise make the result depend on the threads' timing.
        boolean ahead = blocks > 1 && !own && b != c;
        double[][] bp = own ? new double[][] {new double[size]} : workspaceBuffers(size, ahead ? 2 : 1);
        Tiles.each(chunks(bl, t, n, block, 0), t, q -> packChunk(bl, t, transB, b, offB, ldb, n, k, runs, block, 0, q, bp[0]));
        for (int j = 0; j < blocks; j++) {
            int jc = j * block;
            int nc = Math.min(block, n - jc);
            int ncPad = Tiles.roundUp(nc, bl.lanes());
            int next = j + 1;
            double[] panels = bp[ahead ? j % 2 : 0];
            double[] nextPanels = bp[ahead ? next % 2 : 0];
            Tiles.Grid grid = Tiles.Grid.of(t, m, nc, bl.mr(), bl.nr());
            int packs = ahead && next < blocks ? chunks(bl, t, n, block, next) : 0;
            Tiles.each(grid.count() + packs, t, i -> {
                if (i < grid.count()) {
                    grid.compute(i, (i0, i1, j0, j1) -> rectangle(bl, vectors, transA, i0, i1, j0, j1, k, runs, alpha, a,
                            offA, lda, panels, nc, ncPad, beta, c, offC + jc, ldc));
                } else {
                    packChunk(bl, t, transB, b, offB, ldb, n, k, runs, block, next, i - grid.count(), nextPanels);
                }
            });
            if (!ahead && next < blocks) {
                Tiles.each(chunks(bl, t, n, block, next), t,
                        q -> packChunk(bl, t, transB, b, offB, ldb, n, k, runs, block, next, q, nextPanels));
            }
        }
    }

    /**
     * The calling thread's buffers of packed B, the first {@code count} (1, or 2 when the threads pack the
     * next block while they finish the rectangles of this one) grown to at least {@code size} elements.
     */
    private static double[][] workspaceBuffers(int size, int count) {
        Workspace w = WORKSPACE.get();
        for (int i = 0; i < count; i++) {
            if (w.bp[i].length < size) {
                w.bp[i] = new double[size];
            }
        }
        return w.bp;
    }

    /** The chunks of panels the threads pack block j of the columns in: about {@link Tiles#TILES_PER_THREAD} per thread. */
    private static int chunks(Blocking bl, int t, int n, int block, int j) {
        int ncPad = Tiles.roundUp(Math.min(block, n - j * block), bl.lanes());
        return Math.min((ncPad + bl.nr() - 1) / bl.nr(), t * Tiles.TILES_PER_THREAD);
    }

    /** Chunk q of the panels of op(B)[0:k, block j] into bp, all k rows of them (see {@link #packB}). */
    private static void packChunk(Blocking bl, int t, boolean transB, double[] b, int offB, int ldb, int n, int k,
            int[] runs, int block, int j, int q, double[] bp) {
        int jc = j * block;
        int nc = Math.min(block, n - jc);
        int ncPad = Tiles.roundUp(nc, bl.lanes());
        int panels = (ncPad + bl.nr() - 1) / bl.nr();
        int chunks = chunks(bl, t, n, block, j);
        int from = panels * q / chunks * bl.nr();
        int to = Math.min(ncPad, panels * (q + 1) / chunks * bl.nr());
        for (int r = 0; r < runs.length; r++) {
            int end = runEnd(runs, r, k);
            int step = bl.kcFor(end - runs[r]);
            for (int pc = runs[r]; pc < end; pc += step) {
                packB(bl, transB, b, offB, ldb, jc, nc, ncPad, pc, Math.min(step, end - pc), bp, pc * ncPad, from, to);
            }
        }
    }

    /** One past the last term of run r: the next run's start, or k. */
    private static int runEnd(int[] runs, int r, int k) {
        return r + 1 < runs.length ? runs[r + 1] : k;
    }

    /**
     * C[i0:i1, j0:j1] = α·(op(A)·op(B))[i0:i1, j0:j1] + β·C[i0:i1, j0:j1] for columns j0 < j1 ≤ nc of a
     * block of op(B) packed in bp, with the Vector API micro-kernels when {@code vectors}, plain loops
     * (same bits) otherwise. The sums go to C after each run of terms (one run for a plain product): a
     * product in runs reads and writes the rectangle's rows of C once per run, rectangle by rectangle,
     * where one product per run would stream all of C once per run. The rows go in blocks of equal height
     * (a multiple of MR, at most {@link Blocking#mcFor} the longest block of terms), not in full blocks and a
     * short rest, which would bring each panel of B into L1 for few rows: 1.03× sgemm's speed at 256 bits
     * and 2 threads (2026-12-04, 2048³, rectangles of 512 rows, KC 256, in-JVM alternation), the same at
     * one thread.
     */
    private static void rectangle(Blocking bl, boolean vectors, boolean transA, int i0, int i1, int j0, int j1, int k,
            int[] runs, double alpha, double[] a, int offA, int lda, double[] bp, int nc, int ncPad, double beta, double[] c,
            int offC, int ldc) {
        Workspace ws = WORKSPACE.get();
        int mr = bl.mr();
        int as = bl.aStride();
        int nr = bl.nr();
        int width = Math.min(ncPad, Tiles.roundUp(j1, bl.lanes())) - j0;
        int longest = 0;
        for (int run = 0; run < runs.length; run++) {
            longest = Math.max(longest, bl.kcFor(runEnd(runs, run, k) - runs[run]));
        }
        int rows = bl.mcFor(longest);
        if (ws.ap.length < rows / mr * as * longest) {
            ws.ap = new double[rows / mr * as * longest];
        }
        if (ws.acc.length < rows * width) {
            ws.acc = new double[rows * width];
        }
        double[] ap = ws.ap;
        double[] acc = ws.acc;
        int blocks = (i1 - i0 + rows - 1) / rows;
        int height = Tiles.roundUp((i1 - i0 + blocks - 1) / blocks, mr);   // at most rows, a multiple of MR
        for (int ic = i0; ic < i1; ic += height) {
            int mc = Math.min(height, i1 - ic);
            int mcPad = Tiles.roundUp(mc, mr);
            for (int run = 0; run < runs.length; run++) {
                int end = runEnd(runs, run, k);
                Arrays.fill(acc, 0, mcPad * width, 0);
                int step = bl.kcFor(end - runs[run]);
                for (int pc = runs[run]; pc < end; pc += step) {
                    int kc = Math.min(step, end - pc);
                    packA(mr, as, transA, a, offA, lda, ic, mc, mcPad, pc, kc, ap);
                    for (int jr = j0; jr < j0 + width; jr += nr) {
                        int nv = bl.vectorsAt(jr, nc);
                        int bAt = pc * ncPad + jr * kc;
                        int w = nv * bl.lanes();
                        for (int ir = 0; ir < mcPad; ir += mr) {
                            int at = (jr - j0) * mcPad + ir * w;
                            if (vectors) {
                                DoubleMicro.micro(mr, nv, kc, ap, ir / mr * as * kc, bp, bAt, acc, at);
                            } else {
                                plainMicro(mr, as, w, kc, ap, ir / mr * as * kc, bp, bAt, acc, at);
                            }
                        }
                    }
                }
                copyOut(bl, vectors, acc, mc, mcPad, j0, j1, nc, alpha, run == 0 ? beta : 1, c, offC + ic * ldc, ldc);
            }
        }
    }

    /**
     * C[0:mc, j0:min(j1, nc)] = α·S + β·C from the sums S of a row block in acc (C not read when β = 0), on
     * vectors when {@code vectors} ({@link DoubleMicro#copyOut}, the same bits).
     */
    private static void copyOut(Blocking bl, boolean vectors, double[] acc, int mc, int mcPad, int j0, int j1, int nc,
            double alpha, double beta, double[] c, int offC, int ldc) {
        int nr = bl.nr();
        int cols = Math.min(j1, nc) - j0;
        for (int jr = 0; jr < cols; jr += nr) {
            int w = bl.vectorsAt(j0 + jr, nc) * bl.lanes();
            int end = Math.min(w, cols - jr);
            if (vectors) {
                DoubleMicro.copyOut(mc, w, end, acc, jr * mcPad, alpha, beta, c, offC + j0 + jr, ldc);
                continue;
            }
            for (int r = 0; r < mc; r++) {
                int from = jr * mcPad + r * w;
                int at = offC + r * ldc + j0 + jr;
                if (beta == 0) {
                    for (int j = 0; j < end; j++) {
                        c[at + j] = alpha * acc[from + j];
                    }
                } else {
                    for (int j = 0; j < end; j++) {
                        c[at + j] = alpha * acc[from + j] + beta * c[at + j];
                    }
                }
            }
        }
    }

    /**
     * The whole product with plain loops, for products too small to repay packing: the same sums in
     * the same order (per run one fma per term from 0, then α·s + β·c, β = 1 after the first run), so the
     * same bits as {@link #rectangle}.
     */
    private static void small(boolean transA, boolean transB, int m, int n, int k, int[] runs, double alpha, double[] a,
            int offA, int lda, double[] b, int offB, int ldb, double beta, double[] c, int offC, int ldc) {
        int ai = transA ? 1 : lda;
        int ap = transA ? lda : 1;
        int bp = transB ? 1 : ldb;
        int bj = transB ? ldb : 1;
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                int at = offC + i * ldc + j;
                for (int run = 0; run < runs.length; run++) {
                    double s = 0;
                    int x = offA + i * ai + runs[run] * ap;
                    int y = offB + j * bj + runs[run] * bp;
                    for (int p = runs[run], end = runEnd(runs, run, k); p < end; p++, x += ap, y += bp) {
                        s = Math.fma(a[x], b[y], s);
                    }
                    double w = run == 0 ? beta : 1;
                    c[at] = w == 0 ? alpha * s : alpha * s + w * c[at];
                }
            }
        }
    }

    /**
     * The panels at columns from ≤ jr < to of op(B)[pc:pc+kc, jc:jc+nc], from {@code at}: the one at
     * column jr holds w = vectorsAt(jr)·lanes columns at bp[at + jr·kc + p·w + j], zero beyond column nc.
     * Where op(B) = B, the full panels go row by row of B: for each term, its NR columns of every panel in
     * turn, so that B is read in order, where panel by panel walked down its columns one row stride at a
     * time (1.5× the speed: 16 MiB of floats, chunks of 256 and 512 columns, 2.8 ms against 4.2, 2026-12-05);
     * a last, narrower panel and the panels of op(B) = Bᵀ go one by one.
     */
    private static void packB(Blocking bl, boolean transB, double[] b, int offB, int ldb, int jc, int nc, int ncPad,
            int pc, int kc, double[] bp, int at, int from, int to) {
        int nr = bl.nr();
        int byRows = transB ? from : Math.max(from, Math.min(to, nc / nr * nr));   // full panels before it
        for (int p = 0; p < kc && from < byRows; p++) {
            int src = offB + (pc + p) * ldb + jc;
            for (int jr = from; jr < byRows; jr += nr) {
                System.arraycopy(b, src + jr, bp, at + jr * kc + p * nr, nr);
            }
        }
        for (int jr = byRows; jr < to; jr += nr) {
            int width = bl.vectorsAt(jr, nc) * bl.lanes();
            int cols = Math.min(width, nc - jr);
            int base = at + jr * kc;
            if (transB) {
                transpose(b, offB + (jc + jr) * ldb + pc, ldb, cols, kc, bp, base, width);
            } else {
                for (int p = 0; p < kc; p++) {
                    System.arraycopy(b, offB + (pc + p) * ldb + jc + jr, bp, base + p * width, cols);
                }
            }
            if (cols < width) {
                for (int p = 0; p < kc; p++) {
                    Arrays.fill(bp, base + p * width + cols, base + (p + 1) * width, 0);
                }
            }
        }
    }

    /**
     * Panel t of op(A)[ic:ic+mc, pc:pc+kc] at ap[t·as·kc + p·as + r] (as ≥ mr, the panel's stride), zero
     * beyond row mc; the as − mr elements after each term's rows are never read.
     */
    private static void packA(int mr, int as, boolean transA, double[] a, int offA, int lda, int ic, int mc, int mcPad,
            int pc, int kc, double[] ap) {
        for (int ir = 0; ir < mcPad; ir += mr) {
            int h = Math.min(mr, mc - ir);
            int base = ir / mr * as * kc;
            if (transA) {
                for (int p = 0; p < kc; p++) {
                    System.arraycopy(a, offA + (pc + p) * lda + ic + ir, ap, base + p * as, h);
                }
            } else {
                packRows(a, offA + (ic + ir) * lda + pc, lda, h, kc, ap, base, as);
            }
            if (h < mr) {
                for (int p = 0; p < kc; p++) {
                    Arrays.fill(ap, base + p * as + h, base + p * as + mr, 0);
                }
            }
        }
    }

    /**
     * The {@link #transpose} of h rows of A into a panel at a stride of 8 (every {@link Blocking#aStride}
     * of 5 to 8 rows), reading the full panels of 6 and 8 rows together, one element of each row per term:
     * one run of stores per term instead of one store per row and term, 1.3–1.8× as fast as row by
     * row (2026-12-04, 2,048-row matrices, ld of 2,048 and 3,072 elements); other panels row by row.
     */
    private static void packRows(double[] from, int src, int ld, int h, int kc, double[] to, int at, int stride) {
        if (stride != 8 || (h != 8 && h != 6)) {
            transpose(from, src, ld, h, kc, to, at, stride);
            return;
        }
        boolean eight = h == 8;   // loop-invariant: the compiler makes one loop of each kind
        int s1 = src + ld;
        int s2 = s1 + ld;
        int s3 = s2 + ld;
        int s4 = s3 + ld;
        int s5 = s4 + ld;
        int s6 = s5 + ld;
        int s7 = s6 + ld;
        for (int p = 0; p < kc; p++) {
            int o = at + p * 8;
            to[o] = from[src + p];
            to[o + 1] = from[s1 + p];
            to[o + 2] = from[s2 + p];
            to[o + 3] = from[s3 + p];
            to[o + 4] = from[s4 + p];
            to[o + 5] = from[s5 + p];
            if (eight) {
                to[o + 6] = from[s6 + p];
                to[o + 7] = from[s7 + p];
            }
        }
    }

    /**
     * to[at + p·stride + j] = from[src + j·ld + p] for j < count and p < kc: count rows of kc elements,
     * laid out as kc rows of count at a stride (the packing of op(A) = A and of op(B) = Bᵀ). Row by row:
     * each row is read in order and both indices are linear in p, so the compiler drops the range checks
     * (reading all count rows for each p instead keeps count streams open, and they conflict in L1 when
     * ld is a multiple of 4 KiB).
     */
    private static void transpose(double[] from, int src, int ld, int count, int kc, double[] to, int at, int stride) {
        for (int j = 0; j < count; j++) {
            int s = src + j * ld;
            int t = at + j;
            for (int p = 0; p < kc; p++) {
                to[t + p * stride] = from[s + p];
            }
        }
    }

    /**
     * The plain-loop micro-kernel: acc[mr × nr tile at cOff, rows one after the other] += Σ_p ap-panel(p) ⊗
     * bp-panel(p), one fma per term in order of p; the A panel holds its mr values per p at a stride of as.
     */
    private static void plainMicro(int mr, int as, int nr, int kc, double[] ap, int aOff, double[] bp, int bOff, double[] acc,
            int cOff) {
        for (int p = 0; p < kc; p++) {
            int bi = bOff + p * nr;
            for (int r = 0; r < mr; r++) {
                double x = ap[aOff + p * as + r];
                int row = cOff + r * nr;
                for (int j = 0; j < nr; j++) {
                    acc[row + j] = Math.fma(x, bp[bi + j], acc[row + j]);
                }
            }
        }
    }
}
