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
     * acc[mr × nv·L block at cOff, row stride ld] += Σ_p ap-panel(p) ⊗ bp-panel(p), one fma per term in
     * order of p; the A panel holds mr values per p, the B panel nv·L.
     */
    static void micro(int mr, int nv, int kc, double[] ap, int aOff, double[] bp, int bOff, double[] acc, int cOff,
            int ld) {
        switch (mr * 4 + nv) {
            case 8 * 4 + 3 -> m8x3(kc, ap, aOff, bp, bOff, acc, cOff, ld);
            case 8 * 4 + 2 -> m8x2(kc, ap, aOff, bp, bOff, acc, cOff, ld);
            case 8 * 4 + 1 -> m8x1(kc, ap, aOff, bp, bOff, acc, cOff, ld);
            case 6 * 4 + 2 -> m6x2(kc, ap, aOff, bp, bOff, acc, cOff, ld);
            case 6 * 4 + 1 -> m6x1(kc, ap, aOff, bp, bOff, acc, cOff, ld);
            default -> throw new IllegalStateException("no micro-kernel of " + mr + " × " + nv + " vectors");
        }
    }

    /** The 8 × 3-vector block: 24 accumulators, 3 vectors of B and one broadcast of A. */
    private static void m8x3(int kc, double[] ap, int aOff, double[] bp, int bOff, double[] acc, int cOff, int ld) {
        int c0 = cOff;
        int c1 = cOff + 1 * ld;
        int c2 = cOff + 2 * ld;
        int c3 = cOff + 3 * ld;
        int c4 = cOff + 4 * ld;
        int c5 = cOff + 5 * ld;
        int c6 = cOff + 6 * ld;
        int c7 = cOff + 7 * ld;
        DoubleVector s00 = DoubleVector.fromArray(S, acc, c0), s01 = DoubleVector.fromArray(S, acc, c0 + L), s02 = DoubleVector.fromArray(S, acc, c0 + 2 * L);
        DoubleVector s10 = DoubleVector.fromArray(S, acc, c1), s11 = DoubleVector.fromArray(S, acc, c1 + L), s12 = DoubleVector.fromArray(S, acc, c1 + 2 * L);
        DoubleVector s20 = DoubleVector.fromArray(S, acc, c2), s21 = DoubleVector.fromArray(S, acc, c2 + L), s22 = DoubleVector.fromArray(S, acc, c2 + 2 * L);
        DoubleVector s30 = DoubleVector.fromArray(S, acc, c3), s31 = DoubleVector.fromArray(S, acc, c3 + L), s32 = DoubleVector.fromArray(S, acc, c3 + 2 * L);
        DoubleVector s40 = DoubleVector.fromArray(S, acc, c4), s41 = DoubleVector.fromArray(S, acc, c4 + L), s42 = DoubleVector.fromArray(S, acc, c4 + 2 * L);
        DoubleVector s50 = DoubleVector.fromArray(S, acc, c5), s51 = DoubleVector.fromArray(S, acc, c5 + L), s52 = DoubleVector.fromArray(S, acc, c5 + 2 * L);
        DoubleVector s60 = DoubleVector.fromArray(S, acc, c6), s61 = DoubleVector.fromArray(S, acc, c6 + L), s62 = DoubleVector.fromArray(S, acc, c6 + 2 * L);
        DoubleVector s70 = DoubleVector.fromArray(S, acc, c7), s71 = DoubleVector.fromArray(S, acc, c7 + L), s72 = DoubleVector.fromArray(S, acc, c7 + 2 * L);
        for (int p = 0, ai = aOff, bi = bOff; p < kc; p++, ai += 8, bi += 3 * L) {
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
        s00.intoArray(acc, c0); s01.intoArray(acc, c0 + L); s02.intoArray(acc, c0 + 2 * L);
        s10.intoArray(acc, c1); s11.intoArray(acc, c1 + L); s12.intoArray(acc, c1 + 2 * L);
        s20.intoArray(acc, c2); s21.intoArray(acc, c2 + L); s22.intoArray(acc, c2 + 2 * L);
        s30.intoArray(acc, c3); s31.intoArray(acc, c3 + L); s32.intoArray(acc, c3 + 2 * L);
        s40.intoArray(acc, c4); s41.intoArray(acc, c4 + L); s42.intoArray(acc, c4 + 2 * L);
        s50.intoArray(acc, c5); s51.intoArray(acc, c5 + L); s52.intoArray(acc, c5 + 2 * L);
        s60.intoArray(acc, c6); s61.intoArray(acc, c6 + L); s62.intoArray(acc, c6 + 2 * L);
        s70.intoArray(acc, c7); s71.intoArray(acc, c7 + L); s72.intoArray(acc, c7 + 2 * L);
    }

    /** The 8 × 2-vector block: 16 accumulators, 2 vectors of B and one broadcast of A. */
    private static void m8x2(int kc, double[] ap, int aOff, double[] bp, int bOff, double[] acc, int cOff, int ld) {
        int c0 = cOff;
        int c1 = cOff + 1 * ld;
        int c2 = cOff + 2 * ld;
        int c3 = cOff + 3 * ld;
        int c4 = cOff + 4 * ld;
        int c5 = cOff + 5 * ld;
        int c6 = cOff + 6 * ld;
        int c7 = cOff + 7 * ld;
        DoubleVector s00 = DoubleVector.fromArray(S, acc, c0), s01 = DoubleVector.fromArray(S, acc, c0 + L);
        DoubleVector s10 = DoubleVector.fromArray(S, acc, c1), s11 = DoubleVector.fromArray(S, acc, c1 + L);
        DoubleVector s20 = DoubleVector.fromArray(S, acc, c2), s21 = DoubleVector.fromArray(S, acc, c2 + L);
        DoubleVector s30 = DoubleVector.fromArray(S, acc, c3), s31 = DoubleVector.fromArray(S, acc, c3 + L);
        DoubleVector s40 = DoubleVector.fromArray(S, acc, c4), s41 = DoubleVector.fromArray(S, acc, c4 + L);
        DoubleVector s50 = DoubleVector.fromArray(S, acc, c5), s51 = DoubleVector.fromArray(S, acc, c5 + L);
        DoubleVector s60 = DoubleVector.fromArray(S, acc, c6), s61 = DoubleVector.fromArray(S, acc, c6 + L);
        DoubleVector s70 = DoubleVector.fromArray(S, acc, c7), s71 = DoubleVector.fromArray(S, acc, c7 + L);
        for (int p = 0, ai = aOff, bi = bOff; p < kc; p++, ai += 8, bi += 2 * L) {
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
        s00.intoArray(acc, c0); s01.intoArray(acc, c0 + L);
        s10.intoArray(acc, c1); s11.intoArray(acc, c1 + L);
        s20.intoArray(acc, c2); s21.intoArray(acc, c2 + L);
        s30.intoArray(acc, c3); s31.intoArray(acc, c3 + L);
        s40.intoArray(acc, c4); s41.intoArray(acc, c4 + L);
        s50.intoArray(acc, c5); s51.intoArray(acc, c5 + L);
        s60.intoArray(acc, c6); s61.intoArray(acc, c6 + L);
        s70.intoArray(acc, c7); s71.intoArray(acc, c7 + L);
    }

    /** The 8 × 1-vector block: 8 accumulators, 1 vector of B and one broadcast of A. */
    private static void m8x1(int kc, double[] ap, int aOff, double[] bp, int bOff, double[] acc, int cOff, int ld) {
        int c0 = cOff;
        int c1 = cOff + 1 * ld;
        int c2 = cOff + 2 * ld;
        int c3 = cOff + 3 * ld;
        int c4 = cOff + 4 * ld;
        int c5 = cOff + 5 * ld;
        int c6 = cOff + 6 * ld;
        int c7 = cOff + 7 * ld;
        DoubleVector s00 = DoubleVector.fromArray(S, acc, c0);
        DoubleVector s10 = DoubleVector.fromArray(S, acc, c1);
        DoubleVector s20 = DoubleVector.fromArray(S, acc, c2);
        DoubleVector s30 = DoubleVector.fromArray(S, acc, c3);
        DoubleVector s40 = DoubleVector.fromArray(S, acc, c4);
        DoubleVector s50 = DoubleVector.fromArray(S, acc, c5);
        DoubleVector s60 = DoubleVector.fromArray(S, acc, c6);
        DoubleVector s70 = DoubleVector.fromArray(S, acc, c7);
        for (int p = 0, ai = aOff, bi = bOff; p < kc; p++, ai += 8, bi += L) {
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
        s00.intoArray(acc, c0);
        s10.intoArray(acc, c1);
        s20.intoArray(acc, c2);
        s30.intoArray(acc, c3);
        s40.intoArray(acc, c4);
        s50.intoArray(acc, c5);
        s60.intoArray(acc, c6);
        s70.intoArray(acc, c7);
    }

    /** The 6 × 2-vector block: 12 accumulators, 2 vectors of B and one broadcast of A. */
    private static void m6x2(int kc, double[] ap, int aOff, double[] bp, int bOff, double[] acc, int cOff, int ld) {
        int c0 = cOff;
        int c1 = cOff + 1 * ld;
        int c2 = cOff + 2 * ld;
        int c3 = cOff + 3 * ld;
        int c4 = cOff + 4 * ld;
        int c5 = cOff + 5 * ld;
        DoubleVector s00 = DoubleVector.fromArray(S, acc, c0), s01 = DoubleVector.fromArray(S, acc, c0 + L);
        DoubleVector s10 = DoubleVector.fromArray(S, acc, c1), s11 = DoubleVector.fromArray(S, acc, c1 + L);
        DoubleVector s20 = DoubleVector.fromArray(S, acc, c2), s21 = DoubleVector.fromArray(S, acc, c2 + L);
        DoubleVector s30 = DoubleVector.fromArray(S, acc, c3), s31 = DoubleVector.fromArray(S, acc, c3 + L);
        DoubleVector s40 = DoubleVector.fromArray(S, acc, c4), s41 = DoubleVector.fromArray(S, acc, c4 + L);
        DoubleVector s50 = DoubleVector.fromArray(S, acc, c5), s51 = DoubleVector.fromArray(S, acc, c5 + L);
        for (int p = 0, ai = aOff, bi = bOff; p < kc; p++, ai += 6, bi += 2 * L) {
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
        s00.intoArray(acc, c0); s01.intoArray(acc, c0 + L);
        s10.intoArray(acc, c1); s11.intoArray(acc, c1 + L);
        s20.intoArray(acc, c2); s21.intoArray(acc, c2 + L);
        s30.intoArray(acc, c3); s31.intoArray(acc, c3 + L);
        s40.intoArray(acc, c4); s41.intoArray(acc, c4 + L);
        s50.intoArray(acc, c5); s51.intoArray(acc, c5 + L);
    }

    /** The 6 × 1-vector block: 6 accumulators, 1 vector of B and one broadcast of A. */
    private static void m6x1(int kc, double[] ap, int aOff, double[] bp, int bOff, double[] acc, int cOff, int ld) {
        int c0 = cOff;
        int c1 = cOff + 1 * ld;
        int c2 = cOff + 2 * ld;
        int c3 = cOff + 3 * ld;
        int c4 = cOff + 4 * ld;
        int c5 = cOff + 5 * ld;
        DoubleVector s00 = DoubleVector.fromArray(S, acc, c0);
        DoubleVector s10 = DoubleVector.fromArray(S, acc, c1);
        DoubleVector s20 = DoubleVector.fromArray(S, acc, c2);
        DoubleVector s30 = DoubleVector.fromArray(S, acc, c3);
        DoubleVector s40 = DoubleVector.fromArray(S, acc, c4);
        DoubleVector s50 = DoubleVector.fromArray(S, acc, c5);
        for (int p = 0, ai = aOff, bi = bOff; p < kc; p++, ai += 6, bi += L) {
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
        s00.intoArray(acc, c0);
        s10.intoArray(acc, c1);
        s20.intoArray(acc, c2);
        s30.intoArray(acc, c3);
        s40.intoArray(acc, c4);
        s50.intoArray(acc, c5);
    }
}
