package dev.subliminal.lm.tokenizer;

/**
 * UTF-8 decoding with replacement as the WHATWG Encoding Standard and Rust's
 * {@code String::from_utf8_lossy} do it: each maximal subpart of an ill-formed sequence (a lead
 * byte and the continuation bytes that were valid for it so far) becomes one U+FFFD, and decoding
 * resumes at the byte that broke the sequence. Java's own decoder replaces some ill-formed
 * sequences (encoded surrogates, for instance) as a whole, which would differ.
 */
final class Utf8 {

    private Utf8() {
    }

    static String decode(byte[] b) {
        StringBuilder out = new StringBuilder(b.length);
        int i = 0;
        while (i < b.length) {
            int lead = b[i] & 0xFF;
            if (lead < 0x80) {
                out.append((char) lead);
                i++;
                continue;
            }
            int need;
            int lower = 0x80;
            int upper = 0xBF;
            int cp;
            if (lead >= 0xC2 && lead <= 0xDF) {
                need = 1;
                cp = lead & 0x1F;
            } else if (lead >= 0xE0 && lead <= 0xEF) {
                need = 2;
                cp = lead & 0x0F;
                if (lead == 0xE0) {
                    lower = 0xA0;
                } else if (lead == 0xED) {
                    upper = 0x9F;
                }
            } else if (lead >= 0xF0 && lead <= 0xF4) {
                need = 3;
                cp = lead & 0x07;
                if (lead == 0xF0) {
                    lower = 0x90;
                } else if (lead == 0xF4) {
                    upper = 0x8F;
                }
            } else {
                out.append('\uFFFD');
                i++;
                continue;
            }
            int j = i + 1;
            boolean ok = true;
            for (int k = 0; k < need; k++, j++) {
                if (j >= b.length) {
                    ok = false;
                    break;
                }
                int c = b[j] & 0xFF;
                if (c < lower || c > upper) {
                    ok = false;
                    break;
                }
                lower = 0x80;
                upper = 0xBF;
                cp = (cp << 6) | (c & 0x3F);
            }
            if (ok) {
                out.appendCodePoint(cp);
            } else {
                out.append('\uFFFD');
            }
            i = j;
        }
        return out.toString();
    }
}
