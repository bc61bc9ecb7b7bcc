package dev.subliminal.lm.transformer;

import java.util.Locale;

/**
 * The arithmetic a transformer's passes run in: IEEE binary64 (the check's reference) or binary32
 * (training, and checks of large models). θ, directions and results cross the model contract in
 * double either way; in float32 they are rounded to float on the way in, once (nearest, ties to even).
 */
public enum Precision {
    /** binary32: the blocks generated from the double templates ({@code Float*}), sgemm. */
    FLOAT32,
    /** binary64: the blocks as written ({@code Double*}), dgemm. */
    FLOAT64;

    /** Bytes of one value: 4 or 8. */
    public int bytes() {
        return this == FLOAT32 ? Float.BYTES : Double.BYTES;
    }

    /** Unit roundoff u = 2^−24 (float32) or 2^−53 (float64). */
    public double unitRoundoff() {
        return this == FLOAT32 ? 0x1p-24 : 0x1p-53;
    }

    /** {@code float32} or {@code float64}. */
    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
