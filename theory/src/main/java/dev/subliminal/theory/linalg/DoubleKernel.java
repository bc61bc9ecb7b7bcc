package dev.subliminal.theory.linalg;

import java.util.Arrays;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The double-precision product of one rectangle of C, blocked as in GotoBLAS: for each block of
 * {@link #KC} terms, op(B) is packed into column panels of {@link #NR} columns and op(A) into row
 * panels of {@link #MR} rows, and a register-blocked micro-kernel keeps an MR × NR block of sums in vector
 * registers. Every sum runs over p = 0..k−1 in order with one fused multiply-add per term (lane-wise
 * {@code Math.fma}); sums cross KC blocks through a workspace without rounding, and padding rows and
 * columns are zeros that never reach C. So each element is exactly the one {@link Gemm} documents,
 * whatever the rectangle, the block sizes or the vector length.
 */
final class DoubleKernel {

    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** Rows of the micro-kernel. */
    static final int MR = 4;
    /** Columns of the micro-kernel: three vectors. */
    static final int NR = 3 * L;
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
        int c1 = cOff + ld;
        int c2 = c1 + ld;
        int c3 = c2 + ld;
        DoubleVector s00 = DoubleVector.fromArray(S, acc, cOff);
        DoubleVector s01 = DoubleVector.fromArray(S, acc, cOff + L);
        DoubleVector s02 = DoubleVector.fromArray(S, acc, cOff + 2 * L);
        DoubleVector s10 = DoubleVector.fromArray(S, acc, c1);
        DoubleVector s11 = DoubleVector.fromArray(S, acc, c1 + L);
        DoubleVector s12 = DoubleVector.fromArray(S, acc, c1 + 2 * L);
        DoubleVector s20 = DoubleVector.fromArray(S, acc, c2);
        DoubleVector s21 = DoubleVector.fromArray(S, acc, c2 + L);
        DoubleVector s22 = DoubleVector.fromArray(S, acc, c2 + 2 * L);
        DoubleVector s30 = DoubleVector.fromArray(S, acc, c3);
        DoubleVector s31 = DoubleVector.fromArray(S, acc, c3 + L);
        DoubleVector s32 = DoubleVector.fromArray(S, acc, c3 + 2 * L);
        for (int p = 0; p < kc; p++) {
            int bi = bOff + p * NR;
            int ai = aOff + p * MR;
            DoubleVector b0 = DoubleVector.fromArray(S, bp, bi);
            DoubleVector b1 = DoubleVector.fromArray(S, bp, bi + L);
            DoubleVector b2 = DoubleVector.fromArray(S, bp, bi + 2 * L);
            DoubleVector x = DoubleVector.broadcast(S, ap[ai]);
            s00 = x.fma(b0, s00);
            s01 = x.fma(b1, s01);
            s02 = x.fma(b2, s02);
            x = DoubleVector.broadcast(S, ap[ai + 1]);
            s10 = x.fma(b0, s10);
            s11 = x.fma(b1, s11);
            s12 = x.fma(b2, s12);
            x = DoubleVector.broadcast(S, ap[ai + 2]);
            s20 = x.fma(b0, s20);
            s21 = x.fma(b1, s21);
            s22 = x.fma(b2, s22);
            x = DoubleVector.broadcast(S, ap[ai + 3]);
            s30 = x.fma(b0, s30);
            s31 = x.fma(b1, s31);
            s32 = x.fma(b2, s32);
        }
        s00.intoArray(acc, cOff);
        s01.intoArray(acc, cOff + L);
        s02.intoArray(acc, cOff + 2 * L);
        s10.intoArray(acc, c1);
        s11.intoArray(acc, c1 + L);
        s12.intoArray(acc, c1 + 2 * L);
        s20.intoArray(acc, c2);
        s21.intoArray(acc, c2 + L);
        s22.intoArray(acc, c2 + 2 * L);
        s30.intoArray(acc, c3);
        s31.intoArray(acc, c3 + L);
        s32.intoArray(acc, c3 + 2 * L);
    }
}
