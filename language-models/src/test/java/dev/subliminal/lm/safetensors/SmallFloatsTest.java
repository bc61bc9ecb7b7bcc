package dev.subliminal.lm.safetensors;

import static org.assertj.core.api.Assertions.assertThat;

import dev.subliminal.lm.testing.Fixtures;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * F16 and BF16 conversions against independent references: PyTorch's decoding of every bit pattern
 * and its rounding of float32 values (fixtures made by src/test/python/make_safetensors_fixtures.py),
 * BF16 decoding against the binary32 it is the top half of, and F16 rounding against a brute-force
 * nearest-value search.
 */
class SmallFloatsTest {

    private static final String DIR = "/dev/subliminal/lm/safetensors/";

    @Test
    void everyBf16PatternIsTheTopHalfOfItsFloat() {
        for (int bits = 0; bits < 65536; bits++) {
            float reference = Float.intBitsToFloat(bits << 16);
            double mine = SmallFloats.bf16ToDouble(bits);
            if (Float.isNaN(reference)) {
                assertThat(mine).as("pattern %04x", bits).isNaN();
            } else {
                assertThat(Double.doubleToRawLongBits(mine)).as("pattern %04x", bits)
                        .isEqualTo(Double.doubleToRawLongBits(reference));
            }
        }
    }

    @Test
    void everyF16AndBf16PatternDecodesAsPyTorchDecodesIt() {
        try (SafetensorsFile f = SafetensorsFile.parse(Fixtures.bytes(DIR + "all_16bit.safetensors.gz"), "all_16bit")) {
            for (String type : new String[] {"f16", "bf16"}) {
                byte[] raw = f.bytes(type);
                double[] mine = f.readDoubles(type);
                double[] torch = f.readDoubles(type + "_as_f32");
                assertThat(mine).hasSize(65536);
                for (int i = 0; i < 65536; i++) {
                    int bits = (raw[2 * i] & 0xFF) | (raw[2 * i + 1] & 0xFF) << 8;
                    assertThat(bits).isEqualTo(i); // the fixture stores pattern i at index i
                    if (Double.isNaN(torch[i])) {
                        assertThat(mine[i]).as("%s %04x", type, i).isNaN();
                    } else {
                        assertThat(Double.doubleToRawLongBits(mine[i])).as("%s %04x", type, i)
                                .isEqualTo(Double.doubleToRawLongBits(torch[i]));
                    }
                }
            }
        }
    }

    @Test
    void roundingMatchesPyTorchOnTiesNeighboursAndEdges() {
        try (SafetensorsFile f = SafetensorsFile.parse(Fixtures.bytes(DIR + "rounding.safetensors.gz"), "rounding")) {
            double[] source = f.readDoubles("source");
            byte[] f16 = f.bytes("to_f16");
            byte[] bf16 = f.bytes("to_bf16");
            assertThat(source.length).isGreaterThan(18000);
            int nan = 0;
            for (int i = 0; i < source.length; i++) {
                short torch16 = (short) ((f16[2 * i] & 0xFF) | (f16[2 * i + 1] & 0xFF) << 8);
                short torchBf = (short) ((bf16[2 * i] & 0xFF) | (bf16[2 * i + 1] & 0xFF) << 8);
                if (Double.isNaN(source[i])) {
                    nan++;
                    assertThat(SmallFloats.f16ToDouble(SmallFloats.doubleToF16(source[i]))).isNaN();
                    assertThat(SmallFloats.bf16ToDouble(SmallFloats.doubleToBf16(source[i]))).isNaN();
                    continue;
                }
                assertThat(SmallFloats.doubleToF16(source[i])).as("F16 of %s", source[i]).isEqualTo(torch16);
                assertThat(SmallFloats.doubleToBf16(source[i])).as("BF16 of %s", source[i]).isEqualTo(torchBf);
            }
            assertThat(nan).isEqualTo(1);
        }
    }

    @Test
    void f16RoundingOfDoublesIsTheNearestValueTiesToEven() {
        // brute force: all finite non-negative F16 values sorted; the nearest by exact comparison
        double[] values = new double[0x7C00];
        for (int b = 0; b < 0x7C00; b++) {
            values[b] = SmallFloats.f16ToDouble(b); // increasing with the pattern for non-negative values
        }
        SplittableRandom rng = new SplittableRandom(11);
        System.out.println("SmallFloatsTest seed 11");
        for (int k = 0; k < 200_000; k++) {
            double x = Math.scalb(rng.nextDouble(), rng.nextInt(-28, 17));
            if (k % 3 == 0) { // an exact midpoint
                int b = rng.nextInt(0x7BFF);
                x = (values[b] + values[b + 1]) / 2;
            }
            int expected = nearest(values, x);
            assertThat(SmallFloats.doubleToF16(x) & 0xFFFF).as("F16 of %s", x).isEqualTo(expected);
            assertThat(SmallFloats.doubleToF16(-x) & 0xFFFF).as("F16 of %s", -x).isEqualTo(expected | 0x8000);
        }
    }

    private static int nearest(double[] values, double x) {
        double maxPlusHalfUlp = 65504 + 16;
        if (x >= maxPlusHalfUlp) {
            return 0x7C00;
        }
        int i = Arrays.binarySearch(values, x);
        if (i >= 0) {
            return i;
        }
        int hi = -i - 1;
        if (hi == values.length) {
            return values.length - 1;
        }
        int lo = hi - 1;
        double dLo = x - values[lo];
        double dHi = values[hi] - x;
        if (dLo < dHi) {
            return lo;
        }
        if (dHi < dLo) {
            return hi;
        }
        return (lo & 1) == 0 ? lo : hi;
    }

    @Test
    void everyFinitePatternSurvivesARoundTrip() {
        for (int bits = 0; bits < 65536; bits++) {
            double h = SmallFloats.f16ToDouble(bits);
            double b = SmallFloats.bf16ToDouble(bits);
            if (!Double.isNaN(h)) {
                assertThat(SmallFloats.doubleToF16(h) & 0xFFFF).isEqualTo(bits);
            }
            if (!Double.isNaN(b)) {
                assertThat(SmallFloats.doubleToBf16(b) & 0xFFFF).isEqualTo(bits);
            }
        }
    }
}
