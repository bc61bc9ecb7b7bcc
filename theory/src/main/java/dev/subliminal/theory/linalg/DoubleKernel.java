package dev.subliminal.theory.linalg;

import java.util.Arrays;

/**
 * The double-precision product of one rectangle of C, blocked as in GotoBLAS: for each block of
 * {@link #KC} terms, op(B) is packed into column panels of {@link #NR} columns and op(A) into row
 * panels of {@link #MR} rows, and a micro-kernel ({@link DoubleMicro} on the Vector API, plain loops
 * without it) updates an MR × NR block of sums. Every sum runs over p = 0..k−1 in order with one fused
 * multiply-add per term ({@code Math.fma}, lane-wise in vectors); sums cross KC blocks through a workspace without rounding, and padding rows and
 * columns are zeros that never reach C. So each element is exactly the one {@link Gemm} documents,
 * whatever the rectangle, the block sizes or the vector length.
 */
final class DoubleKernel {

    /** Rows of the micro-kernel. */
    static final int MR = DoubleMicro.MR;
    /** Columns of the micro-kernel: three vectors (of 8 doubles without the Vector API). */
    static final int NR = Tiles.VECTOR_API ? DoubleMicro.NR : 24;
    private static final int KC = 128;
    private static final int MC = 64;
    private static final int NC = 11 * NR;

    /** Packed blocks of A and B and the sums of a rectangle, reused by each thread. */
    private static final class Workspace {
        final double[] ap = new double[MC * KC];
        final double[] bp = new double[KC * NC];
        final double[] acc = new double[Tiles.roundUp(Tiles.ROWS, MR) * NC];
    }

    private static final ThreadLocal<Workspace> WORKSPACE = ThreadLocal.withInitial(Workspace::new);

    private DoubleKernel() {
    }

    /** C[i0:i1, j0:j1] = α·(op(A)·op(B))[i0:i1, j0:j1] + β·C[i0:i1, j0:j1], for at most {@link Tiles#ROWS} rows. */
    static void rectangle(boolean transA, boolean transB, int i0, int i1, int j0, int j1, int k, double alpha,
            double[] a, int offA, int lda, double[] b, int offB, int ldb, double beta, double[] c, int offC, int ldc) {
        Workspace w = WORKSPACE.get();
        int rowsPad = Tiles.roundUp(i1 - i0, MR);
        for (int jc = j0; jc < j1; jc += NC) {
            int nc = Math.min(NC, j1 - jc);
            int ncPad = Tiles.roundUp(nc, NR);
            Arrays.fill(w.acc, 0, rowsPad * ncPad, 0);
            for (int pc = 0; pc < k; pc += KC) {
                int kc = Math.min(KC, k - pc);
                packB(transB, b, offB, ldb, jc, nc, ncPad, pc, kc, w.bp);
                for (int ic = i0; ic < i1; ic += MC) {
                    int mc = Math.min(MC, i1 - ic);
                    int mcPad = Tiles.roundUp(mc, MR);
                    packA(transA, a, offA, lda, ic, mc, mcPad, pc, kc, w.ap);
                    for (int jr = 0; jr < ncPad; jr += NR) {
                        for (int ir = 0; ir < mcPad; ir += MR) {
                            micro(kc, w.ap, ir * kc, w.bp, jr * kc, w.acc, (ic - i0 + ir) * ncPad + jr, ncPad);
                        }
                    }
                }
            }
            for (int r = 0; r < i1 - i0; r++) {
                int at = offC + (i0 + r) * ldc + jc;
                for (int j = 0; j < nc; j++) {
                    double s = w.acc[r * ncPad + j];
                    c[at + j] = beta == 0 ? alpha * s : alpha * s + beta * c[at + j];
                }
            }
        }
    }

    /**
     * The whole product with plain loops, for products too small to repay packing: the same sums in
     * the same order (one fma per term from 0, then α·s + β·c), so the same bits as {@link #rectangle}.
     */
    static void small(boolean transA, boolean transB, int m, int n, int k, double alpha, double[] a, int offA, int lda,
            double[] b, int offB, int ldb, double beta, double[] c, int offC, int ldc) {
        int ai = transA ? 1 : lda;
        int ap = transA ? lda : 1;
        int bp = transB ? 1 : ldb;
        int bj = transB ? ldb : 1;
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                int x = offA + i * ai;
                int y = offB + j * bj;
                for (int p = 0; p < k; p++, x += ap, y += bp) {
                    s = Math.fma(a[x], b[y], s);
                }
                int at = offC + i * ldc + j;
                c[at] = beta == 0 ? alpha * s : alpha * s + beta * c[at];
            }
        }
    }

    /** Panel q of op(B)[pc:pc+kc, jc:jc+nc] at bp[q·kc·NR + p·NR + j], zero beyond column nc. */
    private static void packB(boolean transB, double[] b, int offB, int ldb, int jc, int nc, int ncPad, int pc, int kc,
            double[] bp) {
        for (int jr = 0; jr < ncPad; jr += NR) {
            int w = Math.min(NR, nc - jr);
            int base = jr * kc;
            if (transB) {
                for (int j = 0; j < w; j++) {
                    int src = offB + (jc + jr + j) * ldb + pc;
                    for (int p = 0; p < kc; p++) {
                        bp[base + p * NR + j] = b[src + p];
                    }
                }
            } else {
                for (int p = 0; p < kc; p++) {
                    System.arraycopy(b, offB + (pc + p) * ldb + jc + jr, bp, base + p * NR, w);
                }
            }
            if (w < NR) {
                for (int p = 0; p < kc; p++) {
                    Arrays.fill(bp, base + p * NR + w, base + (p + 1) * NR, 0);
                }
            }
        }
    }

    /** Panel t of op(A)[ic:ic+mc, pc:pc+kc] at ap[t·MR·kc + p·MR + r], zero beyond row mc. */
    private static void packA(boolean transA, double[] a, int offA, int lda, int ic, int mc, int mcPad, int pc,
            int kc, double[] ap) {
        for (int ir = 0; ir < mcPad; ir += MR) {
            int h = Math.min(MR, mc - ir);
            int base = ir * kc;
            if (transA) {
                for (int p = 0; p < kc; p++) {
                    int src = offA + (pc + p) * lda + ic + ir;
                    for (int r = 0; r < h; r++) {
                        ap[base + p * MR + r] = a[src + r];
                    }
                }
            } else {
                for (int r = 0; r < h; r++) {
                    int src = offA + (ic + ir + r) * lda + pc;
                    for (int p = 0; p < kc; p++) {
                        ap[base + p * MR + r] = a[src + p];
                    }
                }
            }
            if (h < MR) {
                for (int p = 0; p < kc; p++) {
                    Arrays.fill(ap, base + p * MR + h, base + (p + 1) * MR, 0);
                }
            }
        }
    }

    /** acc[MR × NR block] += Σ_p ap-panel(p) ⊗ bp-panel(p), one fma per term in order of p. */
    private static void micro(int kc, double[] ap, int aOff, double[] bp, int bOff, double[] acc, int cOff, int ld) {
        if (Tiles.vectors) {
            DoubleMicro.micro(kc, ap, aOff, bp, bOff, acc, cOff, ld);
            return;
        }
        for (int p = 0; p < kc; p++) {
            int bi = bOff + p * NR;
            for (int r = 0; r < MR; r++) {
                double x = ap[aOff + p * MR + r];
                int row = cOff + r * ld;
                for (int j = 0; j < NR; j++) {
                    acc[row + j] = Math.fma(x, bp[bi + j], acc[row + j]);
                }
            }
        }
    }
}
