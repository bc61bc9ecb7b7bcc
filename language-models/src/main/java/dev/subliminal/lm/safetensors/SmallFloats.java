package dev.subliminal.lm.safetensors;

/**
 * The 16-bit floating formats of checkpoints, decoded exactly to {@code double} and encoded from
 * {@code double} with one rounding to nearest, ties to even.
 *
 * <p>Both are binary floating formats with a sign bit, {@code e} exponent bits of bias
 * 2^(e−1) − 1 and {@code m} fraction bits: F16 (IEEE binary16) has e = 5, m = 10; BF16 (the top half
 * of a binary32) has e = 8, m = 7. A pattern with exponent field E and fraction f is
 * (−1)^s · 2^(1−bias−m) · f when E = 0 (subnormal), (−1)^s · 2^(E−bias−m) · (2^m + f) otherwise,
 * and ±∞ or NaN when E is all ones. NaN encodes as the quiet pattern with the top fraction bit set
 * and the sign kept, as PyTorch does.
 */
public final class SmallFloats {

    private SmallFloats() {
    }

    private static final Format F16 = new Format(5, 10);
    private static final Format BF16 = new Format(8, 7);

    /** The value of an F16 pattern (the low 16 bits of {@code bits}). */
    public static double f16ToDouble(int bits) {
        return F16.decode(bits);
    }

    /** The value of a BF16 pattern (the low 16 bits of {@code bits}). */
    public static double bf16ToDouble(int bits) {
        return BF16.decode(bits);
    }

    /** The F16 pattern nearest to {@code x} (ties to even; beyond the largest finite value, ±∞). */
    public static short doubleToF16(double x) {
        return (short) F16.encode(x);
    }

    /** The BF16 pattern nearest to {@code x} (ties to even; beyond the largest finite value, ±∞). */
    public static short doubleToBf16(double x) {
        return (short) BF16.encode(x);
    }

    /** One binary format with {@code e} exponent bits and {@code m} fraction bits (e + m = 15). */
    private static final class Format {
        private final int m;
        private final int bias;
        private final int maxField;
        /** Values at or above this round to infinity: the largest finite value plus half its ulp. */
        private final double overflow;
        /** The smallest normal value, 2^(1−bias). */
        private final double minNormal;
        private final double[] table = new double[1 << 16];

        Format(int e, int m) {
            this.m = m;
            this.bias = (1 << (e - 1)) - 1;
            this.maxField = (1 << e) - 1;
            // largest finite: (2 − 2^−m)·2^bias; halfway to the next binade step: (2 − 2^−(m+1))·2^bias
            this.overflow = Math.scalb(2 - Math.scalb(1.0, -(m + 1)), bias);
            this.minNormal = Math.scalb(1.0, 1 - bias);
            for (int bits = 0; bits < table.length; bits++) {
                table[bits] = formula(bits);
            }
        }

        double decode(int bits) {
            return table[bits & 0xFFFF];
        }

        private double formula(int bits) {
            int sign = (bits >>> 15) & 1;
            int field = (bits >>> m) & maxField;
            int fraction = bits & ((1 << m) - 1);
            double magnitude;
            if (field == 0) {
                magnitude = Math.scalb((double) fraction, 1 - bias - m);
            } else if (field == maxField) {
                magnitude = fraction == 0 ? Double.POSITIVE_INFINITY : Double.NaN;
            } else {
                magnitude = Math.scalb((double) ((1 << m) + fraction), field - bias - m);
            }
            return sign == 1 ? -magnitude : magnitude;
        }

        int encode(double x) {
            int sign = (Double.doubleToRawLongBits(x) < 0) ? 1 << 15 : 0;
            double a = Math.abs(x);
            if (Double.isNaN(x)) {
                return sign | (maxField << m) | (1 << (m - 1));
            }
            if (a >= overflow) {
                return sign | (maxField << m);
            }
            if (a < minNormal) {
                // a multiple of the subnormal unit 2^(1−bias−m); rint rounds ties to even, and the
                // scaling by a power of two is exact for every double in this range
                long q = (long) Math.rint(Math.scalb(a, bias - 1 + m));
                return sign | (int) q; // q = 2^m gives the smallest normal pattern, as it should
            }
            int exp = Math.getExponent(a);
            long q = (long) Math.rint(Math.scalb(a, m - exp)); // in [2^m, 2^(m+1)]
            if (q == (1L << (m + 1))) {
                q >>= 1;
                exp++;
            }
            int field = exp + bias;
            return sign | (field << m) | (int) (q - (1L << m));
        }
    }
}
