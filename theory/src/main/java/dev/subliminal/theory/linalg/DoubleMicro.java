package dev.subliminal.theory.linalg;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API micro-kernels of {@link DoubleKernel}: an MR × NV-vector block of sums held in
 * vector registers across a block of terms, one lane-wise fused multiply-add per term in order of p.
 * Each shape is written for a register file ({@link Blocking}): 8 × 3 vectors (24 accumulators) for
 * the 32 registers of AVX-512 and NEON, 6 × 2 (12 accumulators) for the 16 of AVX2, and narrower
 * blocks (8 × 2, 8 × 1, 6 × 1) for outputs narrower than a full block and for the last columns.
 * Loaded only when the JVM has the incubator module.
 *
 * <p>The source of a precision twin: {@code FloatMicro} is generated from this file at build time
 * (docs/precision-twins.md).
 */
final class DoubleMicro {

    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
    /** Lanes of a vector. */
    static final int L = S.length();

    private DoubleMicro() {
    }

    /**
     * acc[mr × nv·L tile at cOff, rows one after the other] += Σ_p ap-panel(p) ⊗ bp-panel(p), one fma
     * per term in order of p; the A panel holds mr values per p, the B panel nv·L. The tile is
     * contiguous so that its rows sit at constant offsets, which leaves the integer registers to the loop.
     */
    static void micro(int mr, int nv, int kc, double[] ap, int aOff, double[] bp, int bOff, double[] acc, int cOff) {
        switch (mr * 4 + nv) {
            case 8 * 4 + 3 -> m8x3(kc, ap, aOff, bp, bOff, acc, cOff);
            case 8 * 4 + 2 -> m8x2(kc, ap, aOff, bp, bOff, acc, cOff);
            case 8 * 4 + 1 -> m8x1(kc, ap, aOff, bp, bOff, acc, cOff);
            case 6 * 4 + 2 -> m6x2(kc, ap, aOff, bp, bOff, acc, cOff);
            case 6 * 4 + 1 -> m6x1(kc, ap, aOff, bp, bOff, acc, cOff);
            default -> throw new IllegalStateException("no micro-kernel of " + mr + " × " + nv + " vectors");
        }
    }

    /** The 8 × 3-vector block: 24 accumulators, 3 vectors of B and one broadcast of A. */
    private static void m8x3(int kc, double[] ap, int aOff, double[] bp, int bOff, double[] acc, int cOff) {
        DoubleVector s00 = DoubleVector.fromArray(S, acc, cOff), s01 = DoubleVector.fromArray(S, acc, cOff + L), s02 = DoubleVector.fromArray(S, acc, cOff + 2 * L);
        DoubleVector s10 = DoubleVector.fromArray(S, acc, cOff + 3 * L), s11 = DoubleVector.fromArray(S, acc, cOff + 4 * L), s12 = DoubleVector.fromArray(S, acc, cOff + 5 * L);
        DoubleVector s20 = DoubleVector.fromArray(S, acc, cOff + 6 * L), s21 = DoubleVector.fromArray(S, acc, cOff + 7 * L), s22 = DoubleVector.fromArray(S, acc, cOff + 8 * L);
        DoubleVector s30 = DoubleVector.fromArray(S, acc, cOff + 9 * L), s31 = DoubleVector.fromArray(S, acc, cOff + 10 * L), s32 = DoubleVector.fromArray(S, acc, cOff + 11 * L);
        DoubleVector s40 = DoubleVector.fromArray(S, acc, cOff + 12 * L), s41 = DoubleVector.fromArray(S, acc, cOff + 13 * L), s42 = DoubleVector.fromArray(S, acc, cOff + 14 * L);
        DoubleVector s50 = DoubleVector.fromArray(S, acc, cOff + 15 * L), s51 = DoubleVector.fromArray(S, acc, cOff + 16 * L), s52 = DoubleVector.fromArray(S, acc, cOff + 17 * L);
        DoubleVector s60 = DoubleVector.fromArray(S, acc, cOff + 18 * L), s61 = DoubleVector.fromArray(S, acc, cOff + 19 * L), s62 = DoubleVector.fromArray(S, acc, cOff + 20 * L);
        DoubleVector s70 = DoubleVector.fromArray(S, acc, cOff + 21 * L), s71 = DoubleVector.fromArray(S, acc, cOff + 22 * L), s72 = DoubleVector.fromArray(S, acc, cOff + 23 * L);
        for (int p = 0; p < kc; p++) {
            int ai = aOff + p * 8;
            int bi = bOff + p * 3 * L;
            DoubleVector b0 = DoubleVector.fromArray(S, bp, bi);
            DoubleVector b1 = DoubleVector.fromArray(S, bp, bi + L);
            DoubleVector b2 = DoubleVector.fromArray(S, bp, bi + 2 * L);
            DoubleVector x = DoubleVector.broadcast(S, ap[ai]);
            s00 = x.fma(b0, s00); s01 = x.fma(b1, s01); s02 = x.fma(b2, s02);
            x = DoubleVector.broadcast(S, ap[ai + 1]);
            s10 = x.fma(b0, s10); s11 = x.fma(b1, s11); s12 = x.fma(b2, s12);
            x = DoubleVector.broadcast(S, ap[ai + 2]);
            s20 = x.fma(b0, s20); s21 = x.fma(b1, s21); s22 = x.fma(b2, s22);
            x = DoubleVector.broadcast(S, ap[ai + 3]);
            s30 = x.fma(b0, s30); s31 = x.fma(b1, s31); s32 = x.fma(b2, s32);
            x = DoubleVector.broadcast(S, ap[ai + 4]);
            s40 = x.fma(b0, s40); s41 = x.fma(b1, s41); s42 = x.fma(b2, s42);
            x = DoubleVector.broadcast(S, ap[ai + 5]);
            s50 = x.fma(b0, s50); s51 = x.fma(b1, s51); s52 = x.fma(b2, s52);
            x = DoubleVector.broadcast(S, ap[ai + 6]);
            s60 = x.fma(b0, s60); s61 = x.fma(b1, s61); s62 = x.fma(b2, s62);
            x = DoubleVector.broadcast(S, ap[ai + 7]);
            s70 = x.fma(b0, s70); s71 = x.fma(b1, s71); s72 = x.fma(b2, s72);
        }
        s00.intoArray(acc, cOff); s01.intoArray(acc, cOff + L); s02.intoArray(acc, cOff + 2 * L);
        s10.intoArray(acc, cOff + 3 * L); s11.intoArray(acc, cOff + 4 * L); s12.intoArray(acc, cOff + 5 * L);
        s20.intoArray(acc, cOff + 6 * L); s21.intoArray(acc, cOff + 7 * L); s22.intoArray(acc, cOff + 8 * L);
        s30.intoArray(acc, cOff + 9 * L); s31.intoArray(acc, cOff + 10 * L); s32.intoArray(acc, cOff + 11 * L);
        s40.intoArray(acc, cOff + 12 * L); s41.intoArray(acc, cOff + 13 * L); s42.intoArray(acc, cOff + 14 * L);
        s50.intoArray(acc, cOff + 15 * L); s51.intoArray(acc, cOff + 16 * L); s52.intoArray(acc, cOff + 17 * L);
        s60.intoArray(acc, cOff + 18 * L); s61.intoArray(acc, cOff + 19 * L); s62.intoArray(acc, cOff + 20 * L);
        s70.intoArray(acc, cOff + 21 * L); s71.intoArray(acc, cOff + 22 * L); s72.intoArray(acc, cOff + 23 * L);
    }

    /** The 8 × 2-vector block: 16 accumulators, 2 vectors of B and one broadcast of A. */
    private static void m8x2(int kc, double[] ap, int aOff, double[] bp, int bOff, double[] acc, int cOff) {
        DoubleVector s00 = DoubleVector.fromArray(S, acc, cOff), s01 = DoubleVector.fromArray(S, acc, cOff + L);
        DoubleVector s10 = DoubleVector.fromArray(S, acc, cOff + 2 * L), s11 = DoubleVector.fromArray(S, acc, cOff + 3 * L);
        DoubleVector s20 = DoubleVector.fromArray(S, acc, cOff + 4 * L), s21 = DoubleVector.fromArray(S, acc, cOff + 5 * L);
        DoubleVector s30 = DoubleVector.fromArray(S, acc, cOff + 6 * L), s31 = DoubleVector.fromArray(S, acc, cOff + 7 * L);
        DoubleVector s40 = DoubleVector.fromArray(S, acc, cOff + 8 * L), s41 = DoubleVector.fromArray(S, acc, cOff + 9 * L);
        DoubleVector s50 = DoubleVector.fromArray(S, acc, cOff + 10 * L), s51 = DoubleVector.fromArray(S, acc, cOff + 11 * L);
        DoubleVector s60 = DoubleVector.fromArray(S, acc, cOff + 12 * L), s61 = DoubleVector.fromArray(S, acc, cOff + 13 * L);
        DoubleVector s70 = DoubleVector.fromArray(S, acc, cOff + 14 * L), s71 = DoubleVector.fromArray(S, acc, cOff + 15 * L);
        for (int p = 0; p < kc; p++) {
            int ai = aOff + p * 8;
            int bi = bOff + p * 2 * L;
            DoubleVector b0 = DoubleVector.fromArray(S, bp, bi);
            DoubleVector b1 = DoubleVector.fromArray(S, bp, bi + L);
            DoubleVector x = DoubleVector.broadcast(S, ap[ai]);
            s00 = x.fma(b0, s00); s01 = x.fma(b1, s01);
            x = DoubleVector.broadcast(S, ap[ai + 1]);
            s10 = x.fma(b0, s10); s11 = x.fma(b1, s11);
            x = DoubleVector.broadcast(S, ap[ai + 2]);
            s20 = x.fma(b0, s20); s21 = x.fma(b1, s21);
            x = DoubleVector.broadcast(S, ap[ai + 3]);
            s30 = x.fma(b0, s30); s31 = x.fma(b1, s31);
            x = DoubleVector.broadcast(S, ap[ai + 4]);
            s40 = x.fma(b0, s40); s41 = x.fma(b1, s41);
            x = DoubleVector.broadcast(S, ap[ai + 5]);
            s50 = x.fma(b0, s50); s51 = x.fma(b1, s51);
            x = DoubleVector.broadcast(S, ap[ai + 6]);
            s60 = x.fma(b0, s60); s61 = x.fma(b1, s61);
            x = DoubleVector.broadcast(S, ap[ai + 7]);
            s70 = x.fma(b0, s70); s71 = x.fma(b1, s71);
        }
        s00.intoArray(acc, cOff); s01.intoArray(acc, cOff + L);
        s10.intoArray(acc, cOff + 2 * L); s11.intoArray(acc, cOff + 3 * L);
        s20.intoArray(acc, cOff + 4 * L); s21.intoArray(acc, cOff + 5 * L);
        s30.intoArray(acc, cOff + 6 * L); s31.intoArray(acc, cOff + 7 * L);
        s40.intoArray(acc, cOff + 8 * L); s41.intoArray(acc, cOff + 9 * L);
        s50.intoArray(acc, cOff + 10 * L); s51.intoArray(acc, cOff + 11 * L);
        s60.intoArray(acc, cOff + 12 * L); s61.intoArray(acc, cOff + 13 * L);
        s70.intoArray(acc, cOff + 14 * L); s71.intoArray(acc, cOff + 15 * L);
    }

    /** The 8 × 1-vector block: 8 accumulators, 1 vector of B and one broadcast of A. */
    private static void m8x1(int kc, double[] ap, int aOff, double[] bp, int bOff, double[] acc, int cOff) {
        DoubleVector s00 = DoubleVector.fromArray(S, acc, cOff);
        DoubleVector s10 = DoubleVector.fromArray(S, acc, cOff + L);
        DoubleVector s20 = DoubleVector.fromArray(S, acc, cOff + 2 * L);
        DoubleVector s30 = DoubleVector.fromArray(S, acc, cOff + 3 * L);
        DoubleVector s40 = DoubleVector.fromArray(S, acc, cOff + 4 * L);
        DoubleVector s50 = DoubleVector.fromArray(S, acc, cOff + 5 * L);
        DoubleVector s60 = DoubleVector.fromArray(S, acc, cOff + 6 * L);
        DoubleVector s70 = DoubleVector.fromArray(S, acc, cOff + 7 * L);
        for (int p = 0; p < kc; p++) {
            int ai = aOff + p * 8;
            int bi = bOff + p * L;
            DoubleVector b0 = DoubleVector.fromArray(S, bp, bi);
            DoubleVector x = DoubleVector.broadcast(S, ap[ai]);
            s00 = x.fma(b0, s00);
            x = DoubleVector.broadcast(S, ap[ai + 1]);
            s10 = x.fma(b0, s10);
            x = DoubleVector.broadcast(S, ap[ai + 2]);
            s20 = x.fma(b0, s20);
            x = DoubleVector.broadcast(S, ap[ai + 3]);
            s30 = x.fma(b0, s30);
            x = DoubleVector.broadcast(S, ap[ai + 4]);
            s40 = x.fma(b0, s40);
            x = DoubleVector.broadcast(S, ap[ai + 5]);
            s50 = x.fma(b0, s50);
            x = DoubleVector.broadcast(S, ap[ai + 6]);
            s60 = x.fma(b0, s60);
            x = DoubleVector.broadcast(S, ap[ai + 7]);
            s70 = x.fma(b0, s70);
        }
        s00.intoArray(acc, cOff);
        s10.intoArray(acc, cOff + L);
        s20.intoArray(acc, cOff + 2 * L);
        s30.intoArray(acc, cOff + 3 * L);
        s40.intoArray(acc, cOff + 4 * L);
        s50.intoArray(acc, cOff + 5 * L);
        s60.intoArray(acc, cOff + 6 * L);
        s70.intoArray(acc, cOff + 7 * L);
    }

    /** The 6 × 2-vector block: 12 accumulators, 2 vectors of B and one broadcast of A. */
    private static void m6x2(int kc, double[] ap, int aOff, double[] bp, int bOff, double[] acc, int cOff) {
        DoubleVector s00 = DoubleVector.fromArray(S, acc, cOff), s01 = DoubleVector.fromArray(S, acc, cOff + L);
        DoubleVector s10 = DoubleVector.fromArray(S, acc, cOff + 2 * L), s11 = DoubleVector.fromArray(S, acc, cOff + 3 * L);
        DoubleVector s20 = DoubleVector.fromArray(S, acc, cOff + 4 * L), s21 = DoubleVector.fromArray(S, acc, cOff + 5 * L);
        DoubleVector s30 = DoubleVector.fromArray(S, acc, cOff + 6 * L), s31 = DoubleVector.fromArray(S, acc, cOff + 7 * L);
        DoubleVector s40 = DoubleVector.fromArray(S, acc, cOff + 8 * L), s41 = DoubleVector.fromArray(S, acc, cOff + 9 * L);
        DoubleVector s50 = DoubleVector.fromArray(S, acc, cOff + 10 * L), s51 = DoubleVector.fromArray(S, acc, cOff + 11 * L);
        for (int p = 0; p < kc; p++) {
            int ai = aOff + p * 6;
            int bi = bOff + p * 2 * L;
            DoubleVector b0 = DoubleVector.fromArray(S, bp, bi);
            DoubleVector b1 = DoubleVector.fromArray(S, bp, bi + L);
            DoubleVector x = DoubleVector.broadcast(S, ap[ai]);
            s00 = x.fma(b0, s00); s01 = x.fma(b1, s01);
            x = DoubleVector.broadcast(S, ap[ai + 1]);
            s10 = x.fma(b0, s10); s11 = x.fma(b1, s11);
            x = DoubleVector.broadcast(S, ap[ai + 2]);
            s20 = x.fma(b0, s20); s21 = x.fma(b1, s21);
            x = DoubleVector.broadcast(S, ap[ai + 3]);
            s30 = x.fma(b0, s30); s31 = x.fma(b1, s31);
            x = DoubleVector.broadcast(S, ap[ai + 4]);
            s40 = x.fma(b0, s40); s41 = x.fma(b1, s41);
            x = DoubleVector.broadcast(S, ap[ai + 5]);
            s50 = x.fma(b0, s50); s51 = x.fma(b1, s51);
        }
        s00.intoArray(acc, cOff); s01.intoArray(acc, cOff + L);
        s10.intoArray(acc, cOff + 2 * L); s11.intoArray(acc, cOff + 3 * L);
        s20.intoArray(acc, cOff + 4 * L); s21.intoArray(acc, cOff + 5 * L);
        s30.intoArray(acc, cOff + 6 * L); s31.intoArray(acc, cOff + 7 * L);
        s40.intoArray(acc, cOff + 8 * L); s41.intoArray(acc, cOff + 9 * L);
        s50.intoArray(acc, cOff + 10 * L); s51.intoArray(acc, cOff + 11 * L);
    }

    /** The 6 × 1-vector block: 6 accumulators, 1 vector of B and one broadcast of A. */
    private static void m6x1(int kc, double[] ap, int aOff, double[] bp, int bOff, double[] acc, int cOff) {
        DoubleVector s00 = DoubleVector.fromArray(S, acc, cOff);
        DoubleVector s10 = DoubleVector.fromArray(S, acc, cOff + L);
        DoubleVector s20 = DoubleVector.fromArray(S, acc, cOff + 2 * L);
        DoubleVector s30 = DoubleVector.fromArray(S, acc, cOff + 3 * L);
        DoubleVector s40 = DoubleVector.fromArray(S, acc, cOff + 4 * L);
        DoubleVector s50 = DoubleVector.fromArray(S, acc, cOff + 5 * L);
        for (int p = 0; p < kc; p++) {
            int ai = aOff + p * 6;
            int bi = bOff + p * L;
            DoubleVector b0 = DoubleVector.fromArray(S, bp, bi);
            DoubleVector x = DoubleVector.broadcast(S, ap[ai]);
            s00 = x.fma(b0, s00);
            x = DoubleVector.broadcast(S, ap[ai + 1]);
            s10 = x.fma(b0, s10);
            x = DoubleVector.broadcast(S, ap[ai + 2]);
            s20 = x.fma(b0, s20);
            x = DoubleVector.broadcast(S, ap[ai + 3]);
            s30 = x.fma(b0, s30);
            x = DoubleVector.broadcast(S, ap[ai + 4]);
            s40 = x.fma(b0, s40);
            x = DoubleVector.broadcast(S, ap[ai + 5]);
            s50 = x.fma(b0, s50);
        }
        s00.intoArray(acc, cOff);
        s10.intoArray(acc, cOff + L);
        s20.intoArray(acc, cOff + 2 * L);
        s30.intoArray(acc, cOff + 3 * L);
        s40.intoArray(acc, cOff + 4 * L);
        s50.intoArray(acc, cOff + 5 * L);
    }
}
