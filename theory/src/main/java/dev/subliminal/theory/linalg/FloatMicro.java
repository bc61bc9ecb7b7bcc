package dev.subliminal.theory.linalg;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API micro-kernel of {@link FloatKernel}: an {@link #MR} × {@link #NR} block of sums
 * (NR = three vectors of the preferred length) held in vector registers across a block of terms,
 * one lane-wise fused multiply-add per term. Loaded only when the JVM has the incubator module.
 */
final class FloatMicro {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** Rows of the block. */
    static final int MR = 4;
    /** Columns of the block: three vectors. */
    static final int NR = 3 * L;

    private FloatMicro() {
    }

    /** acc[MR × NR block] += Σ_p ap-panel(p) ⊗ bp-panel(p), one fma per term in order of p. */
    static void micro(int kc, float[] ap, int aOff, float[] bp, int bOff, float[] acc, int cOff, int ld) {
        int c1 = cOff + ld;
        int c2 = c1 + ld;
        int c3 = c2 + ld;
        FloatVector s00 = FloatVector.fromArray(S, acc, cOff);
        FloatVector s01 = FloatVector.fromArray(S, acc, cOff + L);
        FloatVector s02 = FloatVector.fromArray(S, acc, cOff + 2 * L);
        FloatVector s10 = FloatVector.fromArray(S, acc, c1);
        FloatVector s11 = FloatVector.fromArray(S, acc, c1 + L);
        FloatVector s12 = FloatVector.fromArray(S, acc, c1 + 2 * L);
        FloatVector s20 = FloatVector.fromArray(S, acc, c2);
        FloatVector s21 = FloatVector.fromArray(S, acc, c2 + L);
        FloatVector s22 = FloatVector.fromArray(S, acc, c2 + 2 * L);
        FloatVector s30 = FloatVector.fromArray(S, acc, c3);
        FloatVector s31 = FloatVector.fromArray(S, acc, c3 + L);
        FloatVector s32 = FloatVector.fromArray(S, acc, c3 + 2 * L);
        for (int p = 0; p < kc; p++) {
            int bi = bOff + p * NR;
            int ai = aOff + p * MR;
            FloatVector b0 = FloatVector.fromArray(S, bp, bi);
            FloatVector b1 = FloatVector.fromArray(S, bp, bi + L);
            FloatVector b2 = FloatVector.fromArray(S, bp, bi + 2 * L);
            FloatVector x = FloatVector.broadcast(S, ap[ai]);
            s00 = x.fma(b0, s00);
            s01 = x.fma(b1, s01);
            s02 = x.fma(b2, s02);
            x = FloatVector.broadcast(S, ap[ai + 1]);
            s10 = x.fma(b0, s10);
            s11 = x.fma(b1, s11);
            s12 = x.fma(b2, s12);
            x = FloatVector.broadcast(S, ap[ai + 2]);
            s20 = x.fma(b0, s20);
            s21 = x.fma(b1, s21);
            s22 = x.fma(b2, s22);
            x = FloatVector.broadcast(S, ap[ai + 3]);
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
