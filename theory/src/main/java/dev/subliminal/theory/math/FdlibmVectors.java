package dev.subliminal.theory.math;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link Fdlibm#tanh} and {@link StrictMath#exp} on whole vectors of the Vector API: the same operations
 * lane by lane, each branch of fdlibm's tanh, expm1 and exp evaluated on every lane and the lane's own
 * branch selected, so every result has the bits of the scalar algorithm (and so of {@link
 * StrictMath#tanh}, {@link StrictMath#exp}). Vectors with a lane outside the ranges handled here (NaN or
 * ±∞ for tanh, |x| ≥ 700 for exp) are left to the scalar code. Loaded only when the JVM has the
 * incubator module.
 *
 * <p>The shape of the code keeps C2 (JDK 17) from compiling the vector loops into slow code, which it
 * did depending on what the JVM had run before: the same tanh took 5 ns per element in a fresh JVM and
 * 20–30 after Gemm products had run (so in the language-model check), because its vector operations or
 * its final store fell back to the Vector API's Java code ({@code -XX:+PrintInlining},
 * {@code -XX:+PrintIntrinsics}):
 * <ul>
 *   <li>No vector passes into or out of a method of this class. The k of the reduction, once a helper
 *       shared by exp and tanh, was inlined into both only until it had been compiled on its own ("already
 *       compiled into a big method"); then its result was a boxed vector of unknown shape. It is written
 *       out in both loops.</li>
 *   <li>A loop holds the vector code only: a vector with a lane out of range goes to a scalar method of
 *       its own, and the last partial vector through the same vector code in a padded copy (each lane's
 *       result depends on that lane alone, so the same bits). A scalar tail in the loop's method, made hot
 *       by short ranges (a row of 50,257 logits leaves one element), was inlined and used up the
 *       compiler's node budget ({@code NodeCountInliningCutoff}).</li>
 *   <li>The JVM's {@code -XX:PerMethodTrapLimit=1000} (jvm.options, which ./subliminal and the benchmark
 *       scripts pass): the Vector API's shared entry points collect class-check traps from all vector
 *       code, and past the default limit of 100 C2 left the species of the final store unresolved
 *       ("missing constant").</li>
 * </ul>
 * With all three, tanh ran at 5.0–5.1 ns per element (8 lanes) after float products, as in a fresh JVM.
 * After products of both precisions it is not always so: 6.5–20 ns over seven JVMs (2026-12-04; the code
 * alone 27.8, the option alone 20.7), the slow ones with the final store's species still unresolved, so
 * the third cause is narrowed, not removed. The language-model check's GELU went from 26 to 7.6 ns per
 * element (docs/language-models.md).
 */
final class FdlibmVectors {

    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /**
     * Whether whole vectors beat the scalar code: from 4 lanes (256 bits) on. At 128 bits (2 lanes) the
     * JDK 17 Vector API leaves some of these operations to slow Java fallbacks.
     */
    static final boolean WORTHWHILE = L >= 4;

    /** |x| above this (high word 0x3fd62e42, any low word) is reduced by k·ln 2, k ≠ 0. */
    private static final double HALF_LN2_BOUND = Double.longBitsToDouble(0x3fd62e4300000000L);
    /** |x| below this (high word 0x3FF0A2B2) with a reduction takes k = ±1. */
    private static final double ONE_AND_HALF_LN2_BOUND = Double.longBitsToDouble(0x3FF0A2B200000000L);
    private static final double TINY_TANH = 0x1p-55;
    private static final double TWO_52 = 0x1p52;
    /** 1.5·2⁵²: adding it to an integer-valued double of magnitude below 2⁵¹ puts the integer in the low bits. */
    private static final double SHIFTER = 0x1.8p52;
    private static final long SHIFTER_BITS = Double.doubleToRawLongBits(SHIFTER);

    /** exp: |x| below this on every lane keeps to the branches below (no overflow, k ≥ −1021, no NaN). */
    private static final double EXP_RANGE = 700;
    /** exp: |x| below 2⁻²⁸ (high word 0x3e300000) gives 1 + x. */
    private static final double EXP_TINY = 0x1p-28;
    /** exp's polynomial in r² (fdlibm's P1..P5). */
    private static final double P1 = 1.66666666666666019037e-01;
    private static final double P2 = -2.77777777770155933842e-03;
    private static final double P3 = 6.61375632143793436117e-05;
    private static final double P4 = -1.65339022054652515390e-06;
    private static final double P5 = 4.13813679705723846039e-08;

    private FdlibmVectors() {
    }

    /** A loop of whole vectors: out[i] = f(in[i]) for from ≤ i < to, to − from a multiple of L; in may be out. */
    @FunctionalInterface
    private interface VectorLoop {
        void apply(double[] in, double[] out, int from, int to);
    }

    /**
     * out[i] = f(in[i]) for from ≤ i < to by a loop of whole vectors, the last partial vector through the
     * same loop in a padded copy (each lane's result depends on that lane alone, so the same bits): the
     * loop holds no scalar tail (see the class comment).
     */
    private static void inVectors(VectorLoop loop, double[] in, double[] out, int from, int to) {
        int end = to - (to - from) % L;
        loop.apply(in, out, from, end);
        if (end < to) {
            double[] lanes = new double[L];
            System.arraycopy(in, end, lanes, 0, to - end);
            loop.apply(lanes, lanes, 0, L);
            System.arraycopy(lanes, 0, out, end, to - end);
        }
    }

    /**
     * y[i] = exp(x[i]) for from ≤ i < to with the bits of {@link StrictMath#exp} (fdlibm's e_exp.c, as
     * the JDK's {@code FdLibm.Exp} evaluates it): x = k·ln 2 + r with |r| ≤ ln 2 / 2 (k = ±1 for
     * |x| < 1.5·ln 2, k = (int) (x/ln 2 ± 1/2) beyond, r = hi − lo with hi = x − k·LN2_HI exact and
     * lo = k·LN2_LO; k = 0 and r = x for |x| ≤ ln 2 / 2), c = r − r²(P1 + r²(P2 + ... r²P5)), then
     * 1 − ((r·c)/(c − 2) − r) for k = 0 and (1 − ((lo − (r·c)/(2 − c)) − hi))·2ᵏ otherwise (k added to the
     * exponent bits), and 1 + x for |x| < 2⁻²⁸. Every branch runs on every lane. x and y may be the same
     * array.
     */
    static void exp(double[] in, double[] out, int from, int to) {
        inVectors(FdlibmVectors::expVectors, in, out, from, to);
    }

    /** out[i] = exp(in[i]) for from ≤ i < to, to − from a multiple of L (class comment); in may be out. */
    private static void expVectors(double[] in, double[] out, int from, int to) {
        for (int i = from; i < to; i += L) {
            DoubleVector x = DoubleVector.fromArray(S, in, i);
            DoubleVector a = x.abs();
            if (!a.compare(VectorOperators.LT, EXP_RANGE).allTrue()) {
                expLanes(in, out, i);
                continue;
            }
            VectorMask<Double> unreduced = a.compare(VectorOperators.LT, HALF_LN2_BOUND);
            // fdlibm's k in x = k·ln 2 + r: 0 on the lanes left unreduced, ±1 below 1.5·ln 2 (high word
            // 0x3FF0A2B2), beyond k = (int) (x/ln 2 ± 1/2) truncated toward zero (written out here and
            // in tanh: see the class comment)
            VectorMask<Double> negative = x.compare(VectorOperators.LT, 0.0);
            DoubleVector y = x.mul(Fdlibm.INV_LN2).add(DoubleVector.broadcast(S, 0.5).blend(-0.5, negative));
            DoubleVector ay = y.abs();
            DoubleVector r = ay.add(TWO_52).sub(TWO_52);
            DoubleVector kAbs = r.blend(r.sub(1.0), r.compare(VectorOperators.GT, ay));
            DoubleVector k = kAbs.blend(kAbs.neg(), negative)
                    .blend(DoubleVector.broadcast(S, 1.0).blend(-1.0, negative),
                            a.compare(VectorOperators.LT, ONE_AND_HALF_LN2_BOUND))
                    .blend(0.0, unreduced);
            // hi = x − k·LN2_HI (exact; for k = ±1 the same as x ∓ LN2_HI), lo = k·LN2_LO
            DoubleVector hi = x.sub(k.mul(Fdlibm.LN2_HI));
            DoubleVector lo = k.mul(Fdlibm.LN2_LO);
            DoubleVector xr = hi.sub(lo).blend(x, unreduced);
            DoubleVector t = xr.mul(xr);
            DoubleVector c = xr.sub(t.mul(t.mul(t.mul(t.mul(t.mul(P5).add(P4)).add(P3)).add(P2)).add(P1)));
            DoubleVector rc = xr.mul(c);
            DoubleVector one1 = DoubleVector.broadcast(S, 1.0);
            DoubleVector unscaled = one1.sub(rc.div(c.sub(2.0)).sub(xr));
            DoubleVector scaled = one1.sub(lo.sub(rc.div(DoubleVector.broadcast(S, 2.0).sub(c))).sub(hi));
            LongVector kBits = k.add(SHIFTER).reinterpretAsLongs().sub(SHIFTER_BITS);
            scaled = scaled.reinterpretAsLongs().add(kBits.lanewise(VectorOperators.LSHL, 52)).reinterpretAsDoubles();
            DoubleVector e = scaled.blend(unscaled, unreduced);
            e.blend(one1.add(x), a.compare(VectorOperators.LT, EXP_TINY)).intoArray(out, i);
        }
    }

    /** out[i + j] = StrictMath.exp(in[i + j]) for j < L, one at a time: a vector with a lane out of range. */
    private static void expLanes(double[] in, double[] out, int i) {
        for (int j = i; j < i + L; j++) {
            out[j] = StrictMath.exp(in[j]);
        }
    }

    /**
     * y[i] = tanh(x[i]) for from ≤ i < to: tanh's branches, and expm1 of its arguments x in
     * (−2, −2⁻⁵⁴] ∪ [2, 44), fdlibm's reduction and reconstruction, every branch on every lane (a lane's
     * results of other branches are discarded).
     */
    static void tanh(double[] in, double[] out, int from, int to) {
        inVectors(FdlibmVectors::tanhVectors, in, out, from, to);
    }

    /** out[i] = tanh(in[i]) for from ≤ i < to, to − from a multiple of L (class comment); in may be out. */
    private static void tanhVectors(double[] in, double[] out, int from, int to) {
        for (int i = from; i < to; i += L) {
            DoubleVector v = DoubleVector.fromArray(S, in, i);
            DoubleVector a = v.abs();
            if (!a.compare(VectorOperators.LT, Double.POSITIVE_INFINITY).allTrue()) {
                tanhLanes(in, out, i);
                continue;
            }
            VectorMask<Double> big = a.compare(VectorOperators.GE, 1.0);
            DoubleVector twoA = a.add(a);
            DoubleVector x = twoA.blend(twoA.neg(), big.not());
            // expm1(x)
            DoubleVector ax = x.abs();
            VectorMask<Double> unreduced = ax.compare(VectorOperators.LT, HALF_LN2_BOUND);
            // fdlibm's k in x = k·ln 2 + r: 0 on the lanes left unreduced, ±1 below 1.5·ln 2 (high word
            // 0x3FF0A2B2), beyond k = (int) (x/ln 2 ± 1/2) truncated toward zero (written out here and
            // in exp: see the class comment)
            VectorMask<Double> negative = x.compare(VectorOperators.LT, 0.0);
            DoubleVector y = x.mul(Fdlibm.INV_LN2).add(DoubleVector.broadcast(S, 0.5).blend(-0.5, negative));
            DoubleVector ay = y.abs();
            DoubleVector r = ay.add(TWO_52).sub(TWO_52);
            DoubleVector kAbs = r.blend(r.sub(1.0), r.compare(VectorOperators.GT, ay));
            DoubleVector k = kAbs.blend(kAbs.neg(), negative)
                    .blend(DoubleVector.broadcast(S, 1.0).blend(-1.0, negative),
                            ax.compare(VectorOperators.LT, ONE_AND_HALF_LN2_BOUND))
                    .blend(0.0, unreduced);
            // hi = x − k·LN2_HI (exact; for k = ±1 the same as x ∓ LN2_HI), lo = k·LN2_LO
            DoubleVector hi = x.sub(k.mul(Fdlibm.LN2_HI));
            DoubleVector lo = k.mul(Fdlibm.LN2_LO);
            DoubleVector xr = hi.sub(lo);
            DoubleVector c = hi.sub(xr).sub(lo);
            xr = xr.blend(x, unreduced);
            c = c.blend(0.0, unreduced);

            DoubleVector hfx = xr.mul(0.5);
            DoubleVector hxs = xr.mul(hfx);
            DoubleVector r1 = hxs.mul(Fdlibm.Q5).add(Fdlibm.Q4).mul(hxs).add(Fdlibm.Q3).mul(hxs).add(Fdlibm.Q2).mul(hxs)
                    .add(Fdlibm.Q1).mul(hxs).add(1.0);
            DoubleVector q = DoubleVector.broadcast(S, 3.0).sub(r1.mul(hfx));
            DoubleVector e = hxs.mul(r1.sub(q).div(DoubleVector.broadcast(S, 6.0).sub(xr.mul(q))));
            DoubleVector zero = xr.sub(xr.mul(e).sub(hxs));

            e = xr.mul(e.sub(c)).sub(c).sub(hxs);
            DoubleVector xMinusE = xr.sub(e);
            DoubleVector minusOne = xMinusE.mul(0.5).sub(0.5);
            DoubleVector plusOne = DoubleVector.broadcast(S, 1.0).add(xMinusE.mul(2.0))
                    .blend(e.sub(xr.add(0.5)).mul(-2.0), xr.compare(VectorOperators.LT, -0.25));
            DoubleVector eMinusX = e.sub(xr);
            // 2^-k and 1 − 2^-k, exact for 1 ≤ k ≤ 1022
            LongVector kBits = k.add(SHIFTER).reinterpretAsLongs().sub(SHIFTER_BITS);
            DoubleVector twoToMinusK = LongVector.broadcast(LongVector.SPECIES_PREFERRED, 1023L).sub(kBits)
                    .lanewise(VectorOperators.LSHL, 52).reinterpretAsDoubles();
            // y·2ᵏ by adding k to the exponent bits, as fdlibm does
            LongVector exponent = kBits.lanewise(VectorOperators.LSHL, 52);
            DoubleVector wide = DoubleVector.broadcast(S, 1.0).sub(eMinusX).reinterpretAsLongs().add(exponent)
                    .reinterpretAsDoubles().sub(1.0);
            DoubleVector below20 = DoubleVector.broadcast(S, 1.0).sub(twoToMinusK).sub(eMinusX).reinterpretAsLongs()
                    .add(exponent).reinterpretAsDoubles();
            DoubleVector above20 = xr.sub(e.add(twoToMinusK)).add(1.0).reinterpretAsLongs().add(exponent)
                    .reinterpretAsDoubles();

            DoubleVector result = above20.blend(below20, k.compare(VectorOperators.LT, 20.0));
            result = result.blend(wide, k.compare(VectorOperators.LE, -2.0).or(k.compare(VectorOperators.GT, 56.0)));
            result = result.blend(plusOne, k.compare(VectorOperators.EQ, 1.0));
            result = result.blend(minusOne, k.compare(VectorOperators.EQ, -1.0));
            DoubleVector t = result.blend(zero, k.compare(VectorOperators.EQ, 0.0));
            // tanh
            DoubleVector tPlus2 = t.add(2.0);
            DoubleVector zBig = DoubleVector.broadcast(S, 1.0).sub(DoubleVector.broadcast(S, 2.0).div(tPlus2));
            DoubleVector zSmall = t.neg().div(tPlus2);
            DoubleVector z = zSmall.blend(zBig, big);
            z = z.blend(1.0, a.compare(VectorOperators.GE, 22.0));
            z = z.blend(z.neg(), v.compare(VectorOperators.LT, 0.0));
            z.blend(v.mul(v.add(1.0)), a.compare(VectorOperators.LT, TINY_TANH)).intoArray(out, i);
        }
    }

    /** out[i + j] = Fdlibm.tanh(in[i + j]) for j < L, one at a time: a vector with a NaN or infinite lane. */
    private static void tanhLanes(double[] in, double[] out, int i) {
        for (int j = i; j < i + L; j++) {
            out[j] = Fdlibm.tanh(in[j]);
        }
    }
}
