package dev.subliminal.theory.math;

/**
 * {@link StrictMath#tanh} and {@link StrictMath#expm1} evaluated in Java: the published fdlibm 5.3
 * algorithms that the JDK's {@code StrictMath} specifies, step for step in IEEE double arithmetic, so
 * that every result has the same bits as {@code StrictMath}'s (checked on tens of millions of random
 * and edge arguments, 0 ulp) on every platform, while the JIT can inline it instead of calling native
 * code.
 *
 * <p>tanh x = sign(x)·z with, for |x| < 2⁻⁵⁵, tanh x = x·(1 + x); for 2⁻⁵⁵ ≤ |x| < 1,
 * z = −t/(t + 2) with t = expm1(−2|x|); for 1 ≤ |x| < 22, z = 1 − 2/(t + 2) with t = expm1(2|x|); and
 * z = 1 beyond (±1 for ±∞, NaN for NaN).
 *
 * <p>expm1 x = eˣ − 1 reduces x = k·ln 2 + r with |r| ≤ ln 2 / 2 (ln 2 split in a high part whose
 * products with k are exact and a low part, and a correction c for the rounding of r), approximates
 * R(r²) = 6/r·((eʳ + 1)/(eʳ − 1) − 2/r) by a degree-5 polynomial in r² (error below 2⁻⁶¹), forms
 * expm1(r) = r − (r·E − r²/2) with E = r²/2·(R − T)/(6 − r·T), T = 3 − R·r/2, and scales back by 2ᵏ
 * in the way that loses least for each range of k.
 *
 * <p>For arrays, tanh and exp (the JDK's own Java port of fdlibm's exp, {@link StrictMath#exp}) also run on
 * whole vectors of the Vector API where the JVM has it, with the same bits.
 */
public final class Fdlibm {

    private static final double TINY = 1.0e-300;
    private static final double HUGE = 1.0e300;
    /** Largest x whose eˣ − 1 is finite. */
    private static final double OVERFLOW_THRESHOLD = 7.09782712893383973096e+02;
    /** High part of ln 2: 32 significant bits, so k·LN2_HI is exact for |k| < 2²⁰. */
    static final double LN2_HI = 6.93147180369123816490e-01;
    /** ln 2 − LN2_HI. */
    static final double LN2_LO = 1.90821492927058770002e-10;
    static final double INV_LN2 = 1.44269504088896338700e+00;
    /** Coefficients of R(z) = 1 + Q1·z + ... + Q5·z⁵ (scaled as in fdlibm). */
    static final double Q1 = -3.33333333333331316428e-02;
    static final double Q2 = 1.58730158725481460165e-03;
    static final double Q3 = -7.93650757867487942473e-05;
    static final double Q4 = 4.00821782732936239552e-06;
    static final double Q5 = -2.01099218183624371326e-07;

    /** True when the JVM runs with {@code --add-modules jdk.incubator.vector} at 256 bits or more. */
    private static final boolean VECTORS = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()
            && FdlibmVectors.WORTHWHILE;

    private Fdlibm() {
    }

    /**
     * y[i] = tanh(x[i]) for from ≤ i < to, the same bits as {@link #tanh(double)} element by element:
     * on whole vectors of the Vector API when the JVM has it with vectors of 256 bits or more (every
     * branch on every lane, each lane's own selected), one at a time otherwise. x and y may be the same
     * array.
     */
    public static void tanh(double[] x, double[] y, int from, int to) {
        if (VECTORS) {
            FdlibmVectors.tanh(x, y, from, to);
        } else {
            for (int i = from; i < to; i++) {
                y[i] = tanh(x[i]);
            }
        }
    }

    /**
     * y[i] = exp(x[i]) for from ≤ i < to, the same bits as {@link StrictMath#exp(double)} element by
     * element: on whole vectors of the Vector API when the JVM has it with vectors of 256 bits or more
     * (fdlibm's exp, every branch on every lane, each lane's own selected), one at a time otherwise. x
     * and y may be the same array.
     */
    public static void exp(double[] x, double[] y, int from, int to) {
        if (VECTORS) {
            FdlibmVectors.exp(x, y, from, to);
        } else {
            for (int i = from; i < to; i++) {
                y[i] = StrictMath.exp(x[i]);
            }
        }
    }

    /** tanh x, the same bits as {@link StrictMath#tanh(double)}. */
    public static double tanh(double x) {
        int high = highWord(x);
        int absHigh = high & 0x7fffffff;
        if (absHigh >= 0x7ff00000) {
            return high >= 0 ? 1 / x + 1 : 1 / x - 1;
        }
        double z;
        if (absHigh < 0x40360000) {
            if (absHigh < 0x3c800000) {
                return x * (1 + x);
            }
            if (absHigh >= 0x3ff00000) {
                double t = expm1(2 * Math.abs(x));
                z = 1 - 2 / (t + 2);
            } else {
                double t = expm1(-2 * Math.abs(x));
                z = -t / (t + 2);
            }
        } else {
            z = 1 - TINY;
        }
        return high >= 0 ? z : -z;
    }

    /** eˣ − 1, the same bits as {@link StrictMath#expm1(double)}. */
    public static double expm1(double x) {
        int high = highWord(x);
        boolean negative = high < 0;
        int absHigh = high & 0x7fffffff;
        if (absHigh >= 0x4043687A) {
            // |x| ≥ 56·ln 2
            if (absHigh >= 0x40862E42) {
                if (absHigh >= 0x7ff00000) {
                    if (((absHigh & 0xfffff) | lowWord(x)) != 0) {
                        return x + x;
                    }
                    return negative ? -1.0 : x;
                }
                if (x > OVERFLOW_THRESHOLD) {
                    return HUGE * HUGE;
                }
            }
            if (negative && x + TINY < 0.0) {
                return TINY - 1;
            }
        }
        int k;
        double c = 0;
        if (absHigh > 0x3fd62e42) {
            // |x| > ln 2 / 2: x = k·ln 2 + (hi − lo)
            double hi;
            double lo;
            if (absHigh < 0x3FF0A2B2) {
                if (!negative) {
                    hi = x - LN2_HI;
                    lo = LN2_LO;
                    k = 1;
                } else {
                    hi = x + LN2_HI;
                    lo = -LN2_LO;
                    k = -1;
                }
            } else {
                k = (int) (INV_LN2 * x + (negative ? -0.5 : 0.5));
                double t = k;
                hi = x - t * LN2_HI;
                lo = t * LN2_LO;
            }
            x = hi - lo;
            c = (hi - x) - lo;
        } else if (absHigh < 0x3c900000) {
            // |x| < 2⁻⁵⁴: x itself
            double t = HUGE + x;
            return x - (t - (HUGE + x));
        } else {
            k = 0;
        }
        double hfx = 0.5 * x;
        double hxs = x * hfx;
        double r1 = 1 + hxs * (Q1 + hxs * (Q2 + hxs * (Q3 + hxs * (Q4 + hxs * Q5))));
        double t = 3.0 - r1 * hfx;
        double e = hxs * ((r1 - t) / (6.0 - x * t));
        if (k == 0) {
            return x - (x * e - hxs);
        }
        e = x * (e - c) - c;
        e -= hxs;
        if (k == -1) {
            return 0.5 * (x - e) - 0.5;
        }
        if (k == 1) {
            return x < -0.25 ? -2.0 * (e - (x + 0.5)) : 1 + 2.0 * (x - e);
        }
        if (k <= -2 || k > 56) {
            return addToExponent(1 - (e - x), k) - 1;
        }
        if (k < 20) {
            double oneMinus = withHighWord(0x3ff00000 - (0x200000 >> k)); // 1 − 2⁻ᵏ
            return addToExponent(oneMinus - (e - x), k);
        }
        double twoToMinusK = withHighWord((0x3ff - k) << 20);
        return addToExponent(x - (e + twoToMinusK) + 1, k);
    }

    private static int highWord(double x) {
        return (int) (Double.doubleToRawLongBits(x) >>> 32);
    }

    private static int lowWord(double x) {
        return (int) Double.doubleToRawLongBits(x);
    }

    /** The double whose high word is {@code high} and low word 0. */
    private static double withHighWord(int high) {
        return Double.longBitsToDouble((long) high << 32);
    }

    /** y·2ᵏ by adding k to the exponent field (y normal and the result in range, as fdlibm ensures). */
    private static double addToExponent(double y, int k) {
        return Double.longBitsToDouble(Double.doubleToRawLongBits(y) + ((long) k << 52));
    }
}
