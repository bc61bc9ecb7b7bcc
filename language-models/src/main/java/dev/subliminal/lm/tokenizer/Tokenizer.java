package dev.subliminal.lm.tokenizer;

import dev.subliminal.lm.io.FormatException;
import dev.subliminal.lm.io.StrictJson;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A byte-level BPE tokenizer (GPT-2, GPT-3.5/4's cl100k, Llama 3, Qwen2): text → token ids → text.
 *
 * <p>Encoding a text: (1) split out added tokens: the non-special ones always, special tokens only
 * when the caller allows them (leftmost, longest first); (2) normalize each remaining segment (NFC
 * when the file asks); (3) pre-tokenize it with the regex splits of the file (each match and each
 * gap between matches is a piece); (4) encode each piece's UTF-8 bytes by {@link Bpe byte-pair
 * merges}. {@link #encode(String)} never yields a special token, whatever the text holds: the
 * string {@code <|endoftext|>} in plain text is encoded as the characters it is made of. Decoding
 * concatenates the tokens' bytes and reads them as UTF-8, replacing each invalid sequence with
 * U+FFFD as the references (tiktoken, Hugging Face) do.
 *
 * <p>Read from Hugging Face's {@code tokenizer.json} ({@link #fromTokenizerJson}) or from a tiktoken
 * rank file with its encoding's pattern and special tokens ({@link #fromTiktoken}). Pieces are
 * cached (piece → ids), so repeated words cost one hash lookup. Instances are immutable and
 * thread-safe.
 */
public final class Tokenizer implements TokenCodec {

    private static final int CACHE_LIMIT = 200_000;
    private static final int CACHE_PIECE_LIMIT = 256;

    private final Bpe bpe;
    private final List<Pattern> splits;
    private final boolean byteLevelRegex;
    private final boolean addPrefixSpace;
    private final boolean nfc;
    private final byte[][] idBytes;
    private final Map<String, Integer> specials;
    private final Map<String, Integer> added;
    private final Pattern addedOnly;
    private final Pattern addedAndSpecials;
    private final ConcurrentHashMap<String, int[]> cache = new ConcurrentHashMap<>();

    /** Everything a tokenizer is made of, as the two file readers produce it. */
    record Parts(Map<String, Integer> tokens, PairTable pairs, boolean ignoreMerges,
            List<Pattern> splits, boolean byteLevelRegex, boolean addPrefixSpace, boolean nfc,
            Map<String, Integer> specials, Map<String, Integer> added, Map<Integer, byte[]> extraBytes) {
    }

    Tokenizer(Parts p) {
        this.bpe = new Bpe(p.tokens(), p.pairs(), p.ignoreMerges());
        this.splits = List.copyOf(p.splits());
        this.byteLevelRegex = p.byteLevelRegex();
        this.addPrefixSpace = p.addPrefixSpace();
        this.nfc = p.nfc();
        this.specials = Collections.unmodifiableMap(new LinkedHashMap<>(p.specials()));
        this.added = Collections.unmodifiableMap(new LinkedHashMap<>(p.added()));
        int max = -1;
        for (int id : p.tokens().values()) {
            max = Math.max(max, id);
        }
        for (int id : p.specials().values()) {
            max = Math.max(max, id);
        }
        for (int id : p.added().values()) {
            max = Math.max(max, id);
        }
        for (int id : p.extraBytes().keySet()) {
            max = Math.max(max, id);
        }
        long count = (long) p.tokens().size() + p.specials().size() + p.added().size() + p.extraBytes().size();
        if (max + 1L > 2 * count + 65536) {
            throw new IllegalArgumentException("token ids are sparse: the largest is " + max + " for " + count + " tokens");
        }
        this.idBytes = new byte[max + 1][];
        p.tokens().forEach((k, id) -> idBytes[id] = k.getBytes(StandardCharsets.ISO_8859_1));
        p.extraBytes().forEach((id, b) -> idBytes[id] = b);
        p.added().forEach((k, id) -> idBytes[id] = k.getBytes(StandardCharsets.UTF_8));
        p.specials().forEach((k, id) -> idBytes[id] = k.getBytes(StandardCharsets.UTF_8));
        this.addedOnly = alternation(added.keySet());
        Set<String> both = new java.util.HashSet<>(added.keySet());
        both.addAll(specials.keySet());
        this.addedAndSpecials = alternation(both);
    }

    /** Reads a Hugging Face {@code tokenizer.json} (at most 256 MB). */
    public static Tokenizer fromTokenizerJson(Path file) {
        return TokenizerJson.parse(StrictJson.readBounded(file, 256L << 20), FormatException.name(file));
    }

    /** Parses the bytes of a {@code tokenizer.json}; {@code source} names it in errors (fuzzing entry point). */
    public static Tokenizer parseTokenizerJson(byte[] json, String source) {
        return TokenizerJson.parse(json, source);
    }

    /** Reads a tiktoken rank file (base64 token, space, rank per line) for a known encoding. */
    public static Tokenizer fromTiktoken(Path rankFile, TiktokenEncoding encoding) {
        return TiktokenFile.parse(StrictJson.readBounded(rankFile, 64L << 20), FormatException.name(rankFile), encoding);
    }

    /** Parses the bytes of a tiktoken rank file; {@code source} names it in errors (fuzzing entry point). */
    public static Tokenizer parseTiktoken(byte[] ranks, String source, TiktokenEncoding encoding) {
        return TiktokenFile.parse(ranks, source, encoding);
    }

    /** The ids of plain text: special tokens are never produced, whatever the text holds. */
    @Override
    public int[] encode(String text) {
        return encodeWith(text, addedOnly);
    }

    /** The ids of a text in which every special token is recognised. */
    public int[] encodeWithSpecials(String text) {
        return encodeWith(text, addedAndSpecials);
    }

    /** The ids of a text in which the special tokens of {@code allowed} (and only those) are recognised. */
    public int[] encode(String text, Set<String> allowed) {
        for (String s : allowed) {
            if (!specials.containsKey(s)) {
                throw new IllegalArgumentException("'" + s + "' is not a special token of this tokenizer; it has "
                        + specials.keySet());
            }
        }
        Set<String> both = new java.util.HashSet<>(added.keySet());
        both.addAll(allowed);
        return encodeWith(text, alternation(both));
    }

    private int[] encodeWith(String text, Pattern tokensPattern) {
        IntList out = new IntList(text.length() / 3 + 4);
        if (tokensPattern == null) {
            ordinary(text, out);
            return out.toArray();
        }
        Matcher m = tokensPattern.matcher(text);
        int at = 0;
        while (m.find()) {
            if (m.start() > at) {
                ordinary(text.substring(at, m.start()), out);
            }
            Integer id = specials.get(m.group());
            out.add(id != null ? id : added.get(m.group()));
            at = m.end();
        }
        if (at < text.length()) {
            ordinary(text.substring(at), out);
        }
        return out.toArray();
    }

    /** Normalization, pre-tokenization and BPE of a segment with no added tokens in it. */
    private void ordinary(String segment, IntList out) {
        String s = nfc ? Normalizer.normalize(segment, Normalizer.Form.NFC) : segment;
        List<String> pieces = List.of(s);
        for (Pattern p : splits) {
            pieces = split(pieces, p);
        }
        if (addPrefixSpace) {
            List<String> spaced = new ArrayList<>(pieces.size());
            for (String piece : pieces) {
                spaced.add(piece.startsWith(" ") ? piece : " " + piece);
            }
            pieces = spaced;
        }
        if (byteLevelRegex) {
            pieces = split(pieces, GPT2_PATTERN);
        }
        for (String piece : pieces) {
            out.addAll(piece(piece));
        }
    }

    private static final Pattern GPT2_PATTERN = Regexes.compile(Regexes.GPT2, Regexes.Dialect.ONIGURUMA);

    /**
     * Each match and each gap between matches, in order ("Isolated"). For a pattern read from a
     * file the text is read through a {@link BoundedText}, so a pattern that backtracks
     * catastrophically (a hostile {@code tokenizer.json}) fails with an error instead of hanging;
     * one that recurses beyond the stack fails too.
     */
    private static List<String> split(List<String> pieces, Pattern p) {
        List<String> out = new ArrayList<>();
        for (String s : pieces) {
            try {
                splitOne(s, p, out);
            } catch (StackOverflowError e) {
                throw new IllegalArgumentException("the pre-tokenizer pattern " + p
                        + " recurses too deeply on a piece of " + s.length() + " characters");
            }
        }
        return out;
    }

    private static void splitOne(String s, Pattern p, List<String> out) {
        {
            Matcher m = p.matcher(Regexes.isBuiltIn(p) ? s : new BoundedText(s, p));
            int at = 0;
            while (m.find()) {
                if (m.end() == m.start()) {
                    continue; // an empty match splits nothing
                }
                if (m.start() > at) {
                    out.add(s.substring(at, m.start()));
                }
                out.add(m.group());
                at = m.end();
            }
            if (at < s.length()) {
                out.add(s.substring(at));
            }
        }
    }

    /**
     * A string whose characters may be read at most 1000·(length + 100) times: ample for any sane
     * pre-tokenizer pattern (GPT-2's reads each character a few times), fatal to exponential
     * backtracking.
     */
    private static final class BoundedText implements CharSequence {
        private final String s;
        private final Pattern pattern;
        private long budget;

        BoundedText(String s, Pattern pattern) {
            this.s = s;
            this.pattern = pattern;
            this.budget = 1000L * (s.length() + 100);
        }

        @Override
        public char charAt(int index) {
            if (--budget < 0) {
                throw new IllegalArgumentException("the pre-tokenizer pattern " + pattern
                        + " backtracks without end on a piece of " + s.length() + " characters");
            }
            return s.charAt(index);
        }

        @Override
        public int length() {
            return s.length();
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return s.subSequence(start, end);
        }

        @Override
        public String toString() {
            return s;
        }
    }

    private int[] piece(String piece) {
        int[] ids = cache.get(piece);
        if (ids != null) {
            return ids;
        }
        ids = bpe.encode(utf8(piece));
        if (piece.length() <= CACHE_PIECE_LIMIT) {
            if (cache.size() >= CACHE_LIMIT) {
                cache.clear();
            }
            cache.put(piece, ids);
        }
        return ids;
    }

    /** UTF-8, with each unpaired surrogate replaced by U+FFFD (as JavaScript's TextEncoder does). */
    static byte[] utf8(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isSurrogate(c)) {
                boolean paired = Character.isHighSurrogate(c) && i + 1 < s.length()
                        && Character.isLowSurrogate(s.charAt(i + 1));
                if (!paired) {
                    StringBuilder b = new StringBuilder(s.length());
                    for (int j = 0; j < s.length(); j++) {
                        char d = s.charAt(j);
                        if (Character.isHighSurrogate(d) && j + 1 < s.length() && Character.isLowSurrogate(s.charAt(j + 1))) {
                            b.append(d).append(s.charAt(++j));
                        } else {
                            b.append(Character.isSurrogate(d) ? '\uFFFD' : d);
                        }
                    }
                    return b.toString().getBytes(StandardCharsets.UTF_8);
                }
                i++;
            }
        }
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** The text of some ids; invalid UTF-8 runs become U+FFFD. */
    @Override
    public String decode(int[] ids) {
        return Utf8.decode(decodeBytes(ids));
    }

    /** The bytes of some ids, concatenated. */
    public byte[] decodeBytes(int[] ids) {
        int n = 0;
        for (int id : ids) {
            n += bytesOf(id).length;
        }
        byte[] out = new byte[n];
        int at = 0;
        for (int id : ids) {
            byte[] b = bytesOf(id);
            System.arraycopy(b, 0, out, at, b.length);
            at += b.length;
        }
        return out;
    }

    /** The bytes of one token. */
    @Override
    public byte[] bytesOf(int id) {
        byte[] b = id >= 0 && id < idBytes.length ? idBytes[id] : null;
        if (b == null) {
            throw new IllegalArgumentException("token id " + id + " is not in the vocabulary (ids 0.." + (idBytes.length - 1) + ")");
        }
        return b;
    }

    /** One more than the largest id: the number of rows an embedding table needs. */
    @Override
    public int size() {
        return idBytes.length;
    }

    /** The special tokens and their ids. */
    @Override
    public Map<String, Integer> specialTokens() {
        return specials;
    }

    /** Whether {@code id} is a special token. */
    @Override
    public boolean isSpecial(int id) {
        return specials.containsValue(id);
    }

    /** The id of a special token. */
    @Override
    public int specialId(String token) {
        Integer id = specials.get(token);
        if (id == null) {
            throw new IllegalArgumentException("'" + token + "' is not a special token of this tokenizer; it has "
                    + specials.keySet());
        }
        return id;
    }

    /**
     * This tokenizer with more special tokens; each one it does not have yet gets the next free id
     * (from {@link #size()} on), in the order given.
     */
    @Override
    public Tokenizer withSpecialTokens(List<String> tokens) {
        Map<String, Integer> more = new LinkedHashMap<>(specials);
        int next = idBytes.length;
        for (String t : tokens) {
            if (t == null || t.isEmpty()) {
                throw new IllegalArgumentException("a special token must not be empty");
            }
            if (!more.containsKey(t)) {
                if (added.containsKey(t)) {
                    throw new IllegalArgumentException("'" + t + "' is already an added (non-special) token");
                }
                more.put(t, next++);
            }
        }
        return new Tokenizer(this, more);
    }

    private Tokenizer(Tokenizer base, Map<String, Integer> specials) {
        this.bpe = base.bpe;
        this.splits = base.splits;
        this.byteLevelRegex = base.byteLevelRegex;
        this.addPrefixSpace = base.addPrefixSpace;
        this.nfc = base.nfc;
        this.added = base.added;
        this.specials = Collections.unmodifiableMap(specials);
        int max = base.idBytes.length - 1;
        for (int id : specials.values()) {
            max = Math.max(max, id);
        }
        this.idBytes = Arrays.copyOf(base.idBytes, max + 1);
        specials.forEach((k, id) -> idBytes[id] = k.getBytes(StandardCharsets.UTF_8));
        this.addedOnly = base.addedOnly;
        Set<String> both = new java.util.HashSet<>(added.keySet());
        both.addAll(specials.keySet());
        this.addedAndSpecials = alternation(both);
    }

    /** Literal alternatives, longest first, or {@code null} for none. */
    private static Pattern alternation(Set<String> tokens) {
        if (tokens.isEmpty()) {
            return null;
        }
        return Pattern.compile(tokens.stream().sorted(Comparator.comparingInt(String::length).reversed()
                .thenComparing(Comparator.naturalOrder())).map(Pattern::quote).collect(Collectors.joining("|")));
    }

    /** A growable int array. */
    private static final class IntList {
        private int[] a;
        private int n;

        IntList(int capacity) {
            a = new int[Math.max(8, capacity)];
        }

        void add(int v) {
            if (n == a.length) {
                a = Arrays.copyOf(a, a.length * 2);
            }
            a[n++] = v;
        }

        void addAll(int[] v) {
            if (n + v.length > a.length) {
                a = Arrays.copyOf(a, Math.max(a.length * 2, n + v.length));
            }
            System.arraycopy(v, 0, a, n, v.length);
            n += v.length;
        }

        int[] toArray() {
            return Arrays.copyOf(a, n);
        }
    }
}
