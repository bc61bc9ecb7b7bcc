package dev.subliminal.lm.tokenizer;

import dev.subliminal.lm.io.FormatException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * tiktoken's rank files: one token per line, its bytes in base64, a space, its rank (= its id). The
 * rank of merging two adjacent parts is the rank of their concatenation, so the pair table holds,
 * for every token and every split of it into two tokens, (left, right) → (rank, token).
 */
final class TiktokenFile {

    /** Longer tokens are refused (the pair table costs the square of a token's length); real ones are under 200. */
    static final int MAX_TOKEN_BYTES = 4096;

    private TiktokenFile() {
    }

    static Tokenizer parse(byte[] bytes, String source, TiktokenEncoding encoding) {
        Map<String, Integer> tokens = new HashMap<>();
        Map<Integer, String> byRank = new HashMap<>();
        Base64.Decoder base64 = Base64.getDecoder();
        int line = 0;
        int start = 0;
        while (start < bytes.length) {
            int end = start;
            while (end < bytes.length && bytes[end] != '\n') {
                end++;
            }
            line++;
            String text = new String(bytes, start, end - start, StandardCharsets.ISO_8859_1);
            start = end + 1;
            if (text.endsWith("\r")) {
                text = text.substring(0, text.length() - 1);
            }
            int space = text.indexOf(' ');
            if (space <= 0 || space != text.lastIndexOf(' ')) {
                throw new FormatException(source, "line " + line, "must be 'base64-token rank', found '"
                        + abbreviate(text) + "'");
            }
            byte[] token;
            try {
                token = base64.decode(text.substring(0, space));
            } catch (IllegalArgumentException e) {
                throw new FormatException(source, "line " + line, "token '" + abbreviate(text.substring(0, space))
                        + "' is not valid base64");
            }
            int rank;
            try {
                rank = Integer.parseInt(text.substring(space + 1));
            } catch (NumberFormatException e) {
                throw new FormatException(source, "line " + line, "rank '" + abbreviate(text.substring(space + 1))
                        + "' is not an integer");
            }
            if (token.length > MAX_TOKEN_BYTES) {
                throw new FormatException(source, "line " + line, "token of " + token.length + " bytes is longer than "
                        + MAX_TOKEN_BYTES);
            }
            if (rank < 0 || token.length == 0) {
                throw new FormatException(source, "line " + line, "has a negative rank or an empty token");
            }
            String key = Bpe.key(token);
            if (tokens.putIfAbsent(key, rank) != null) {
                throw new FormatException(source, "line " + line, "repeats token '" + text.substring(0, space) + "'");
            }
            if (byRank.putIfAbsent(rank, key) != null) {
                throw new FormatException(source, "line " + line, "repeats rank " + rank);
            }
        }
        if (tokens.isEmpty()) {
            throw new FormatException(source, "holds no tokens");
        }
        for (Map.Entry<String, Integer> s : encoding.specialTokens().entrySet()) {
            if (byRank.containsKey(s.getValue())) {
                throw new FormatException(source, s.getKey(), "special token id " + s.getValue()
                        + " is also the rank of an ordinary token; is this the " + encoding + " rank file?");
            }
        }
        PairTable pairs = new PairTable(tokens.size() * 2);
        for (Map.Entry<String, Integer> t : tokens.entrySet()) {
            String s = t.getKey();
            for (int k = 1; k < s.length(); k++) {
                Integer left = tokens.get(s.substring(0, k));
                Integer right = tokens.get(s.substring(k));
                if (left != null && right != null) {
                    pairs.put(left, right, Bpe.pack(t.getValue(), t.getValue()));
                }
            }
        }
        try {
            return new Tokenizer(new Tokenizer.Parts(tokens, pairs, true,
                    List.of(Regexes.compile(encoding.pattern(), Regexes.Dialect.RUST)), false, false, false,
                    encoding.specialTokens(), Map.of(), Map.of()));
        } catch (IllegalArgumentException e) {
            throw new FormatException(source, null, e.getMessage(), e);
        }
    }

    private static String abbreviate(String s) {
        return s.length() > 40 ? s.substring(0, 37) + "..." : s;
    }
}
