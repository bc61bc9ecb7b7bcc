package dev.subliminal.lm.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import dev.subliminal.lm.io.FormatException;
import dev.subliminal.lm.io.StrictJson;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Hugging Face's {@code tokenizer.json}, for byte-level BPE models. Accepted: {@code model} of type
 * BPE ({@code vocab}, {@code merges} as "a b" strings or [a, b] pairs, {@code ignore_merges}); a
 * {@code normalizer} that is null or NFC; a {@code pre_tokenizer} that is ByteLevel, or a Sequence
 * of Split (Regex or String pattern, behavior Isolated) steps ending in ByteLevel; a ByteLevel or
 * null {@code decoder}; {@code added_tokens} with their {@code special} flags. Anything else that
 * would change the ids (byte fallback, Metaspace, other normalizers or split behaviours, stripping
 * added tokens, ...) is refused by name rather than ignored. {@code post_processor},
 * {@code truncation} and {@code padding} do not affect {@link Tokenizer#encode} (which adds no BOS or
 * EOS) and are ignored.
 */
final class TokenizerJson {

    private static final Set<String> TOP = Set.of("version", "truncation", "padding", "added_tokens", "normalizer",
            "pre_tokenizer", "post_processor", "decoder", "model");

    private TokenizerJson() {
    }

    static Tokenizer parse(byte[] json, String source) {
        JsonNode root = StrictJson.object(StrictJson.parse(json, source), source, null);
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!TOP.contains(key)) {
                throw new FormatException(source, key, "unknown field of tokenizer.json");
            }
        }
        JsonNode model = StrictJson.object(root.get("model"), source, "model");
        String type = model.has("type") ? StrictJson.string(model.get("type"), source, "model.type") : "BPE";
        if (!type.equals("BPE")) {
            throw new FormatException(source, "model.type", "is " + type + "; only byte-level BPE is supported");
        }
        if (model.has("byte_fallback") && StrictJson.bool(model.get("byte_fallback"), source, "model.byte_fallback")) {
            throw new FormatException(source, "model.byte_fallback", "is true (a SentencePiece-style BPE); only byte-level BPE is supported");
        }
        for (String affix : new String[] {"continuing_subword_prefix", "end_of_word_suffix"}) {
            JsonNode a = model.get(affix);
            if (a != null && !a.isNull() && !StrictJson.string(a, source, "model." + affix).isEmpty()) {
                throw new FormatException(source, "model." + affix, "is '" + a.asText() + "'; not supported");
            }
        }
        JsonNode dropout = model.get("dropout");
        if (dropout != null && !dropout.isNull() && StrictJson.number(dropout, source, "model.dropout") != 0) {
            throw new FormatException(source, "model.dropout", "is " + dropout + "; BPE dropout is random and not supported");
        }
        boolean ignoreMerges = model.has("ignore_merges")
                && StrictJson.bool(model.get("ignore_merges"), source, "model.ignore_merges");

        // added tokens
        Map<String, Integer> specials = new LinkedHashMap<>();
        Map<String, Integer> added = new LinkedHashMap<>();
        Map<Integer, String> addedIds = new HashMap<>();
        if (root.has("added_tokens") && !root.get("added_tokens").isNull()) {
            for (JsonNode t : StrictJson.array(root.get("added_tokens"), source, "added_tokens")) {
                StrictJson.object(t, source, "added_tokens[]");
                String content = StrictJson.string(t.get("content"), source, "added_tokens[].content");
                int id = StrictJson.intValue(t.get("id"), source, content, 0, Integer.MAX_VALUE - 1);
                if (content.isEmpty()) {
                    throw new FormatException(source, "added_tokens", "holds an empty token (id " + id + ")");
                }
                for (String flag : new String[] {"single_word", "lstrip", "rstrip"}) {
                    if (t.has(flag) && StrictJson.bool(t.get(flag), source, content + "." + flag)) {
                        throw new FormatException(source, content, flag + " = true is not supported");
                    }
                }
                boolean special = t.has("special") && StrictJson.bool(t.get("special"), source, content + ".special");
                if (specials.containsKey(content) || added.containsKey(content)) {
                    throw new FormatException(source, content, "is listed twice in added_tokens");
                }
                String other = addedIds.put(id, content);
                if (other != null) {
                    throw new FormatException(source, content, "has id " + id + ", already the id of '" + other + "'");
                }
                (special ? specials : added).put(content, id);
            }
        }

        // vocabulary: byte-level strings → ids
        JsonNode vocab = StrictJson.object(model.get("vocab"), source, "model.vocab");
        Map<String, Integer> tokens = new HashMap<>(vocab.size() * 2);
        Map<Integer, byte[]> extraBytes = new HashMap<>();
        Map<String, Integer> byText = new HashMap<>(vocab.size() * 2);
        Map<Integer, String> byId = new HashMap<>(vocab.size() * 2);
        for (Iterator<Map.Entry<String, JsonNode>> it = vocab.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            int id = StrictJson.intValue(e.getValue(), source, "model.vocab." + e.getKey(), 0, Integer.MAX_VALUE - 1);
            String other = byId.put(id, e.getKey());
            if (other != null) {
                throw new FormatException(source, "model.vocab." + e.getKey(), "has id " + id + ", already the id of '"
                        + other + "'");
            }
            byText.put(e.getKey(), id);
            String addedContent = addedIds.get(id);
            if (addedContent != null) {
                if (!addedContent.equals(e.getKey())
                        && !ByteLevel.encode(addedContent.getBytes(StandardCharsets.UTF_8)).equals(e.getKey())) {
                    throw new FormatException(source, addedContent, "is added with id " + id
                            + ", the id of vocabulary token '" + e.getKey() + "'");
                }
                continue; // an added token also listed in the vocabulary: it is matched as added, never by BPE
            }
            byte[] bytes = ByteLevel.decode(e.getKey());
            if (bytes == null || bytes.length == 0) {
                // not a byte-level string: BPE never yields it; decoding gives its text
                extraBytes.put(id, e.getKey().getBytes(StandardCharsets.UTF_8));
            } else {
                Integer dup = tokens.put(Bpe.key(bytes), id);
                if (dup != null) {
                    throw new FormatException(source, "model.vocab." + e.getKey(), "repeats the bytes of id " + dup);
                }
            }
        }
        for (Map.Entry<String, Integer> a : addedIds.entrySet().stream()
                .collect(java.util.stream.Collectors.toMap(Map.Entry::getValue, Map.Entry::getKey)).entrySet()) {
            Integer inVocab = byText.get(a.getKey());
            if (inVocab != null && !inVocab.equals(a.getValue())) {
                throw new FormatException(source, a.getKey(), "is added with id " + a.getValue()
                        + " but the vocabulary gives it id " + inVocab);
            }
        }

        // merges, in rank order
        JsonNode merges = StrictJson.array(model.get("merges"), source, "model.merges");
        PairTable pairs = new PairTable(merges.size());
        int rank = 0;
        for (JsonNode m : merges) {
            String a;
            String b;
            if (m.isTextual()) {
                String[] parts = m.textValue().split(" ", -1);
                if (parts.length != 2 || parts[0].isEmpty() || parts[1].isEmpty()) {
                    throw new FormatException(source, "model.merges[" + rank + "]", "'" + m.textValue()
                            + "' is not two tokens separated by one space");
                }
                a = parts[0];
                b = parts[1];
            } else if (m.isArray() && m.size() == 2 && m.get(0).isTextual() && m.get(1).isTextual()) {
                a = m.get(0).textValue();
                b = m.get(1).textValue();
            } else {
                throw new FormatException(source, "model.merges[" + rank + "]", "must be \"a b\" or [a, b], found "
                        + StrictJson.describe(m));
            }
            Integer ia = byText.get(a);
            Integer ib = byText.get(b);
            Integer merged = byText.get(a + b);
            if (ia == null || ib == null || merged == null) {
                throw new FormatException(source, "model.merges[" + rank + "]", "merges '" + a + "' and '" + b
                        + "', but " + (ia == null ? "'" + a + "'" : ib == null ? "'" + b + "'" : "'" + a + b + "'")
                        + " is not in the vocabulary");
            }
            if (addedIds.containsKey(merged)) {
                throw new FormatException(source, "model.merges[" + rank + "]", "yields added token '" + a + b
                        + "'; plain text could then produce it");
            }
            pairs.put(ia, ib, Bpe.pack(rank, merged)); // a repeated pair keeps its last rank, as Hugging Face does
            rank++;
        }

        // normalizer
        boolean nfc = false;
        JsonNode normalizer = root.get("normalizer");
        if (normalizer != null && !normalizer.isNull()) {
            for (JsonNode n : steps(normalizer, source, "normalizer", "normalizers")) {
                String t = StrictJson.string(n.get("type"), source, "normalizer.type");
                if (!t.equals("NFC")) {
                    throw new FormatException(source, "normalizer", "type " + t + " is not supported (only NFC)");
                }
                nfc = true;
            }
        }

        // pre-tokenizer: Split steps, then ByteLevel
        JsonNode pre = root.get("pre_tokenizer");
        if (pre == null || pre.isNull()) {
            throw new FormatException(source, "pre_tokenizer", "is missing; a byte-level BPE needs a ByteLevel pre-tokenizer");
        }
        List<Pattern> splits = new ArrayList<>();
        Boolean byteLevelRegex = null;
        boolean addPrefixSpace = false;
        for (JsonNode step : steps(pre, source, "pre_tokenizer", "pretokenizers")) {
            String t = StrictJson.string(step.get("type"), source, "pre_tokenizer.type");
            if (byteLevelRegex != null) {
                throw new FormatException(source, "pre_tokenizer", "has a " + t + " step after ByteLevel; not supported");
            }
            switch (t) {
                case "Split" -> splits.add(split(step, source));
                case "ByteLevel" -> {
                    byteLevelRegex = !step.has("use_regex") || StrictJson.bool(step.get("use_regex"), source,
                            "pre_tokenizer.use_regex");
                    addPrefixSpace = step.has("add_prefix_space") && StrictJson.bool(step.get("add_prefix_space"),
                            source, "pre_tokenizer.add_prefix_space");
                }
                default -> throw new FormatException(source, "pre_tokenizer", "type " + t
                        + " is not supported (Split and ByteLevel are)");
            }
        }
        if (byteLevelRegex == null) {
            throw new FormatException(source, "pre_tokenizer", "has no ByteLevel step; only byte-level BPE is supported");
        }

        JsonNode decoder = root.get("decoder");
        if (decoder != null && !decoder.isNull()) {
            String t = StrictJson.string(decoder.get("type"), source, "decoder.type");
            if (!t.equals("ByteLevel")) {
                throw new FormatException(source, "decoder", "type " + t + " is not supported (only ByteLevel)");
            }
        }
        try {
            return new Tokenizer(new Tokenizer.Parts(tokens, pairs, ignoreMerges, splits, byteLevelRegex, addPrefixSpace,
                    nfc, specials, added, extraBytes));
        } catch (IllegalArgumentException e) {
            throw new FormatException(source, "model.vocab", e.getMessage(), e);
        }
    }

    /** A component or the list of a Sequence of them. */
    private static List<JsonNode> steps(JsonNode node, String source, String what, String listField) {
        StrictJson.object(node, source, what);
        String type = StrictJson.string(node.get("type"), source, what + ".type");
        List<JsonNode> out = new ArrayList<>();
        if (type.equals("Sequence")) {
            for (JsonNode n : StrictJson.array(node.get(listField), source, what + "." + listField)) {
                out.addAll(steps(n, source, what, listField));
            }
        } else {
            out.add(node);
        }
        return out;
    }

    private static Pattern split(JsonNode step, String source) {
        String behavior = step.has("behavior") ? StrictJson.string(step.get("behavior"), source, "pre_tokenizer.behavior")
                : "Isolated";
        if (!behavior.equals("Isolated")) {
            throw new FormatException(source, "pre_tokenizer", "Split behavior " + behavior + " is not supported (only Isolated)");
        }
        if (step.has("invert") && StrictJson.bool(step.get("invert"), source, "pre_tokenizer.invert")) {
            throw new FormatException(source, "pre_tokenizer", "Split with invert = true is not supported");
        }
        JsonNode pattern = StrictJson.object(step.get("pattern"), source, "pre_tokenizer.pattern");
        try {
            if (pattern.has("Regex")) {
                return Regexes.compile(StrictJson.string(pattern.get("Regex"), source, "pre_tokenizer.pattern.Regex"),
                        Regexes.Dialect.ONIGURUMA);
            }
            if (pattern.has("String")) {
                return Pattern.compile(Pattern.quote(StrictJson.string(pattern.get("String"), source,
                        "pre_tokenizer.pattern.String")));
            }
        } catch (IllegalArgumentException e) {
            throw new FormatException(source, "pre_tokenizer.pattern", e.getMessage(), e);
        }
        throw new FormatException(source, "pre_tokenizer.pattern", "must hold Regex or String");
    }
}
