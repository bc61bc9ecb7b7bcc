package dev.subliminal.lm.tokenizer;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The tiktoken encodings whose rank files this toolkit reads, with what a rank file does not hold:
 * the pre-tokenizer pattern and the special tokens (as in tiktoken's {@code openai_public.py}).
 * {@code gpt2} and {@code r50k_base} share GPT-2's ranks and pattern.
 */
public enum TiktokenEncoding {
    GPT2(Regexes.GPT2, Map.of("<|endoftext|>", 50256)),
    R50K_BASE(Regexes.GPT2, Map.of("<|endoftext|>", 50256)),
    CL100K_BASE(Regexes.CL100K, ordered(
            "<|endoftext|>", 100257, "<|fim_prefix|>", 100258, "<|fim_middle|>", 100259, "<|fim_suffix|>", 100260,
            "<|endofprompt|>", 100276));

    private final String pattern;
    private final Map<String, Integer> specials;

    TiktokenEncoding(String pattern, Map<String, Integer> specials) {
        this.pattern = pattern;
        this.specials = specials;
    }

    /** The pre-tokenizer pattern, in tiktoken's (Rust regex) dialect. */
    public String pattern() {
        return pattern;
    }

    /** The special tokens and their ids. */
    public Map<String, Integer> specialTokens() {
        return specials;
    }

    /** The encoding with this tiktoken name ({@code gpt2}, {@code r50k_base}, {@code cl100k_base}). */
    public static TiktokenEncoding parse(String name) {
        for (TiktokenEncoding e : values()) {
            if (e.name().equalsIgnoreCase(name)) {
                return e;
            }
        }
        throw new IllegalArgumentException("unknown tiktoken encoding '" + name + "'; expected gpt2, r50k_base or cl100k_base");
    }

    private static Map<String, Integer> ordered(Object... kv) {
        Map<String, Integer> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], (Integer) kv[i + 1]);
        }
        return java.util.Collections.unmodifiableMap(m);
    }
}
