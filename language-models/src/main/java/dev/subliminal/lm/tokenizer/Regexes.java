package dev.subliminal.lm.tokenizer;

import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Pre-tokenizer patterns, translated from the dialects they are written in (Oniguruma for Hugging
 * Face's {@code tokenizer.json}, Rust's regex crate for tiktoken) to {@link java.util.regex}, so that
 * they match the same text:
 * <ul>
 *   <li>{@code \s} and {@code \S} are the Unicode White_Space property (with U+0085, without
 *       U+FEFF), as in both engines, not Java's ASCII default: {@code \p{IsWhite_Space}};</li>
 *   <li>{@code \d} and {@code \D} are Unicode decimal digits, {@code \p{Nd}};</li>
 *   <li>{@code (?i} is Unicode case-insensitive, {@code (?iu};</li>
 *   <li>Oniguruma's {@code $} (outside a class) is an end of line, {@code (?=\n|\z)}; Rust's is
 *       the end of the text, {@code \z}.</li>
 * </ul>
 * {@code \p{L}}, {@code \p{N}}, possessive quantifiers and atomic groups mean the same in all three.
 */
final class Regexes {

    /** The engine a pattern was written for. */
    enum Dialect {
        ONIGURUMA,
        RUST
    }

    /** GPT-2's pre-tokenizer (also Hugging Face's ByteLevel with use_regex, r50k_base, p50k_base). */
    static final String GPT2 = "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+";

    /** cl100k_base's pre-tokenizer (as tiktoken writes it). */
    static final String CL100K = "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}"
            + "| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";

    private static final java.util.Set<String> BUILT_IN = new java.util.HashSet<>(java.util.List.of(
            translate(GPT2, Dialect.ONIGURUMA), translate(GPT2, Dialect.RUST), translate(CL100K, Dialect.RUST)));

    private Regexes() {
    }

    /** Whether {@code p} is one of the patterns above, which need no guard against runaway backtracking. */
    static boolean isBuiltIn(Pattern p) {
        return BUILT_IN.contains(p.pattern());
    }

    /** Longer patterns are refused: real ones are a few hundred characters, and compiling recurses. */
    static final int MAX_PATTERN = 10_000;

    static Pattern compile(String pattern, Dialect dialect) {
        if (pattern.length() > MAX_PATTERN) {
            throw new IllegalArgumentException("pre-tokenizer pattern of " + pattern.length() + " characters is longer than "
                    + MAX_PATTERN);
        }
        String java = translate(pattern, dialect);
        try {
            return Pattern.compile(java);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("pre-tokenizer pattern " + pattern + " does not compile: "
                    + e.getDescription());
        } catch (StackOverflowError e) {
            throw new IllegalArgumentException("pre-tokenizer pattern nests too deeply to compile");
        }
    }

    static String translate(String p, Dialect dialect) {
        StringBuilder out = new StringBuilder(p.length() + 32);
        int depth = 0; // inside a character class
        for (int i = 0; i < p.length(); i++) {
            char c = p.charAt(i);
            if (c == '\\' && i + 1 < p.length()) {
                char e = p.charAt(++i);
                switch (e) {
                    case 's' -> out.append("\\p{IsWhite_Space}");
                    case 'S' -> out.append("\\P{IsWhite_Space}");
                    case 'd' -> out.append("\\p{Nd}");
                    case 'D' -> out.append("\\P{Nd}");
                    default -> out.append('\\').append(e);
                }
                continue;
            }
            if (c == '[') {
                depth++;
            } else if (c == ']' && depth > 0) {
                depth--;
            } else if (depth == 0 && c == '$') {
                out.append(dialect == Dialect.ONIGURUMA ? "(?=\\n|\\z)" : "\\z");
                continue;
            } else if (depth == 0 && c == '(' && p.startsWith("(?i", i) && !p.startsWith("(?iu", i)) {
                out.append("(?iu");
                i += 2;
                continue;
            }
            out.append(c);
        }
        return out.toString();
    }
}
