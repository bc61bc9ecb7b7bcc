package dev.subliminal.lm.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Lossy UTF-8 decoding: well-formed input decodes as Java's strict decoder does, and ill-formed
 * input follows the Unicode / WHATWG table of maximal subparts (Unicode Standard §3.9, Table 3-8).
 */
class Utf8Test {

    @Test
    void wellFormedTextIsDecodedExactly() {
        SplittableRandom rng = new SplittableRandom(3);
        System.out.println("Utf8Test seed 3");
        for (int k = 0; k < 2000; k++) {
            StringBuilder s = new StringBuilder();
            for (int i = 0; i < 20; i++) {
                int cp = rng.nextInt(0x110000);
                if (cp >= 0xD800 && cp <= 0xDFFF) {
                    continue;
                }
                s.appendCodePoint(cp);
            }
            byte[] bytes = s.toString().getBytes(StandardCharsets.UTF_8);
            assertThat(Utf8.decode(bytes)).isEqualTo(s.toString());
        }
    }

    @Test
    void illFormedSequencesFollowTheMaximalSubpartRule() {
        // Unicode Standard, Table 3-8: "61 F1 80 80 E1 80 C2 62 80 63 80 BF 64" decodes as
        // a FFFD FFFD FFFD b FFFD c FFFD FFFD d
        assertThat(Utf8.decode(bytes(0x61, 0xF1, 0x80, 0x80, 0xE1, 0x80, 0xC2, 0x62, 0x80, 0x63, 0x80, 0xBF, 0x64)))
                .isEqualTo("a\uFFFD\uFFFD\uFFFDb\uFFFDc\uFFFD\uFFFDd");
        assertThat(Utf8.decode(bytes(0xED, 0xA0, 0x80))).isEqualTo("\uFFFD\uFFFD\uFFFD");
        assertThat(Utf8.decode(bytes(0xC0, 0xAF))).isEqualTo("\uFFFD\uFFFD");
        assertThat(Utf8.decode(bytes(0xF4, 0x90, 0x80, 0x80))).isEqualTo("\uFFFD\uFFFD\uFFFD\uFFFD");
        assertThat(Utf8.decode(bytes(0xF0, 0x9F, 0x98))).isEqualTo("\uFFFD");
        assertThat(Utf8.decode(bytes(0xE2, 0x28, 0xA1))).isEqualTo("\uFFFD(\uFFFD");
    }

    private static byte[] bytes(int... v) {
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = (byte) v[i];
        }
        return b;
    }
}
