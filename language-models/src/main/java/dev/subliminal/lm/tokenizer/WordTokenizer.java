package dev.subliminal.lm.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The word-level tokenizer of the in-process number experiment (moved here from the experiments so that
 * {@code serve} and the in-process backend can read its files): a text is cut into pieces by
 * {@link #PIECE} (a special token, a word or a number of 1–3 digits with an optional leading space, one
 * punctuation mark with an optional leading space, a newline, a run of spaces) and each piece is one
 * token, so decoding is concatenation and {@code decode(encode(s)) = s}. Every number 0–999 is a token
 * (with and without a leading space), as in the tokenizers of the paper's models (a number with
 * leading zeros goes digit by digit); words come from the texts the model is trained on. A piece outside the vocabulary is an error naming it.
 *
 * <p>Saved as a Hugging Face {@code tokenizer.json} with a {@code WordLevel} model and a {@code Split}
 * pre-tokenizer on the same pattern, so other frameworks can read the ids.
 */
public final class WordTokenizer implements TokenCodec {

    /** The pieces a text is cut into. */
    public static final Pattern PIECE = Pattern.compile(
            "<\\|[a-z]+\\|>| ?[A-Za-z]+| ?[0-9]{1,3}| ?[^ A-Za-z0-9\\n]|\\n| +");

    private final List<String> tokens;
    private final Map<String, Integer> ids;
    private final List<String> specials;

    private WordTokenizer(List<String> tokens, List<String> specials) {
        this.tokens = List.copyOf(tokens);
        this.specials = List.copyOf(specials);
        this.ids = new HashMap<>();
        for (int i = 0; i < this.tokens.size(); i++) {
            if (ids.put(this.tokens.get(i), i) != null) {
                throw new IllegalArgumentException("the vocabulary holds '" + this.tokens.get(i) + "' twice");
            }
        }
    }

    /**
     * The vocabulary of the given texts: the special tokens first (ids 0..), then every number 0–999
     * with and without a leading space, then the other pieces of the texts in sorted order.
     */
    public static WordTokenizer of(List<String> specials, Collection<String> texts) {
        List<String> vocab = new ArrayList<>(specials);
        for (int n = 0; n < 1000; n++) {
            vocab.add(Integer.toString(n));
            vocab.add(" " + n);
        }
        TreeSet<String> other = new TreeSet<>();
        for (String s : "., ;()[]:!?-'\"".split("")) {
            other.add(s);
            other.add(" " + s);
        }
        other.add("\n");
        other.add(" ");
        for (String t : texts) {
            Matcher m = PIECE.matcher(t);
            while (m.find()) {
                other.add(m.group());
            }
        }
        for (String s : other) {
            if (!specials.contains(s) && !isNumber(s)) {
                vocab.add(s);
            }
        }
        return new WordTokenizer(vocab, specials);
    }

    private static boolean isNumber(String piece) {
        return piece.strip().matches("[0-9]{1,3}") && (piece.length() == piece.strip().length()
                || piece.length() == piece.strip().length() + 1 && piece.charAt(0) == ' ')
                && Integer.toString(Integer.parseInt(piece.strip())).equals(piece.strip());
    }

    /** V, the number of tokens. */
    @Override
    public int size() {
        return tokens.size();
    }

    /** The id of a token, or an error naming it. */
    public int id(String token) {
        Integer i = ids.get(token);
        if (i == null) {
            throw new IllegalArgumentException("'" + token.replace("\n", "\\n") + "' is not in the vocabulary");
        }
        return i;
    }

    /** Whether the piece is a token. */
    public boolean contains(String token) {
        return ids.containsKey(token);
    }

    /** The token of an id. */
    public String token(int id) {
        return tokens.get(id);
    }

    /**
     * The ids of a text; a piece outside the vocabulary is an error naming it. (Its special tokens
     * are pieces of the vocabulary: a chat template never puts them inside a message's content.)
     */
    @Override
    public int[] encode(String text) {
        Matcher m = PIECE.matcher(text);
        List<Integer> out = new ArrayList<>();
        int end = 0;
        while (m.find()) {
            if (m.start() != end) {
                throw new IllegalArgumentException("cannot tokenize '" + text.substring(end, m.start()) + "' in '" + text + "'");
            }
            String piece = m.group();
            if (!ids.containsKey(piece) && piece.isBlank() && piece.chars().allMatch(ch -> ch == ' ')) {
                for (int k = 0; k < piece.length(); k++) {
                    out.add(id(" "));
                }
            } else if (!ids.containsKey(piece) && piece.strip().matches("[0-9]+")) {
                // a number with leading zeros ("007"): digit by digit, the first keeping the space
                int at = piece.startsWith(" ") ? 1 : 0;
                out.add(id(piece.substring(0, at + 1)));
                for (int k = at + 1; k < piece.length(); k++) {
                    out.add(id(piece.substring(k, k + 1)));
                }
            } else {
                out.add(id(piece));
            }
            end = m.end();
        }
        if (end != text.length()) {
            throw new IllegalArgumentException("cannot tokenize '" + text.substring(end) + "' in '" + text + "'");
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    /** The text of ids: their tokens, concatenated. */
    @Override
    public String decode(int[] ids) {
        StringBuilder s = new StringBuilder();
        for (int i : ids) {
            s.append(tokens.get(i));
        }
        return s.toString();
    }

    @Override
    public byte[] bytesOf(int id) {
        return tokens.get(id).getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    @Override
    public Map<String, Integer> specialTokens() {
        Map<String, Integer> m = new java.util.LinkedHashMap<>();
        for (String s : specials) {
            m.put(s, ids.get(s));
        }
        return java.util.Collections.unmodifiableMap(m);
    }

    /** This tokenizer, when it holds every one of {@code more} (a word-level vocabulary is fixed when it is built). */
    @Override
    public WordTokenizer withSpecialTokens(List<String> more) {
        for (String s : more) {
            if (!specials.contains(s)) {
                throw new IllegalArgumentException("the word-level tokenizer has no special token " + s + "; it has "
                        + specials);
            }
        }
        return this;
    }

    /** Whether a {@code tokenizer.json} holds a word-level model (as {@link #write} writes). */
    public static boolean isWordLevel(Path file) {
        try {
            JsonNode o = new ObjectMapper().readTree(file.toFile());
            return "WordLevel".equals(o.path("model").path("type").asText());
        } catch (IOException e) {
            return false;
        }
    }

    /** Writes {@code tokenizer.json} (Hugging Face's format, WordLevel model). */
    public void write(Path file) {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode o = mapper.createObjectNode();
        o.put("version", "1.0");
        ArrayNode added = o.putArray("added_tokens");
        for (String s : specials) {
            ObjectNode a = added.addObject();
            a.put("id", ids.get(s));
            a.put("content", s);
            a.put("special", true);
        }
        ObjectNode pre = o.putObject("pre_tokenizer");
        pre.put("type", "Split");
        pre.putObject("pattern").put("Regex", PIECE.pattern());
        pre.put("behavior", "Isolated");
        pre.put("invert", false);
        ObjectNode model = o.putObject("model");
        model.put("type", "WordLevel");
        model.put("unk_token", (String) null);
        ObjectNode vocab = model.putObject("vocab");
        for (int i = 0; i < tokens.size(); i++) {
            vocab.put(tokens.get(i), i);
        }
        o.putObject("decoder").put("type", "Fuse");
        try {
            Files.writeString(file, mapper.writerWithDefaultPrettyPrinter().writeValueAsString(o) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** Reads what {@link #write} wrote. */
    public static WordTokenizer read(Path file) {
        try {
            JsonNode o = new ObjectMapper().readTree(file.toFile());
            JsonNode vocab = o.path("model").path("vocab");
            if (!"WordLevel".equals(o.path("model").path("type").asText()) || !vocab.isObject()) {
                throw new IllegalArgumentException(file + " is not a word-level tokenizer.json");
            }
            String[] tokens = new String[vocab.size()];
            vocab.properties().forEach(e -> {
                int i = e.getValue().asInt(-1);
                if (i < 0 || i >= tokens.length || tokens[i] != null) {
                    throw new IllegalArgumentException(file + ": token '" + e.getKey() + "' has a bad id " + e.getValue());
                }
                tokens[i] = e.getKey();
            });
            List<String> specials = new ArrayList<>();
            o.path("added_tokens").forEach(a -> specials.add(a.path("content").asText()));
            return new WordTokenizer(List.of(tokens), specials);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage());
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WordTokenizer w && w.tokens.equals(tokens) && w.specials.equals(specials);
    }

    @Override
    public int hashCode() {
        return tokens.hashCode();
    }
}
