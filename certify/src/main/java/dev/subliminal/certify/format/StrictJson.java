package dev.subliminal.certify.format;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A strict reader of one JSON document, for files whose content is checked rather than trusted:
 * exactly one document (trailing data or a second document is an error), no duplicate keys, no NaN
 * or infinities, and bounded sizes so that a hostile file is refused at once instead of exhausting
 * time or memory: at most {@value #MAX_BYTES} bytes, nesting depth {@value #MAX_DEPTH}, numbers of
 * at most {@value #MAX_NUMBER_CHARS} characters and strings of at most {@value #MAX_STRING_CHARS}.
 * {@link Node} reads typed fields and names the path of every error.
 */
public final class StrictJson {

    /** Largest file read: 256 MiB. */
    public static final long MAX_BYTES = 256L << 20;

    /** Deepest nesting of arrays and objects. */
    public static final int MAX_DEPTH = 16;

    /** Longest number literal (a double in shortest form takes at most 24). */
    public static final int MAX_NUMBER_CHARS = 40;

    /** Longest string. */
    public static final int MAX_STRING_CHARS = 100_000;

    private static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxDocumentLength(MAX_BYTES)
                    .maxNestingDepth(MAX_DEPTH).maxNumberLength(MAX_NUMBER_CHARS).maxStringLength(MAX_STRING_CHARS)
                    .maxNameLength(200).build())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private StrictJson() {
    }

    /** Reads {@code file}; errors (no file, too large, malformed) name the file and the problem. */
    public static JsonNode read(Path file) {
        try {
            if (Files.size(file) > MAX_BYTES) {
                throw new IllegalArgumentException(file + " holds " + Files.size(file) + " bytes, more than the "
                        + MAX_BYTES + " a certificate may have");
            }
            try (InputStream in = Files.newInputStream(file)) {
                return parse(MAPPER.readTree(in), file.toString());
            }
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(file + ": no such file", e);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(file + " is not one well-formed JSON document: " + firstLine(e), e);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** Parses {@code text} as one document. */
    public static JsonNode parse(String text) {
        try {
            return parse(MAPPER.readTree(text), "the text");
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not one well-formed JSON document: " + firstLine(e), e);
        }
    }

    private static JsonNode parse(JsonNode root, String what) {
        if (root == null || root.isMissingNode()) {
            throw new IllegalArgumentException(what + " is empty");
        }
        return root;
    }

    private static String firstLine(JsonProcessingException e) {
        return String.valueOf(e.getOriginalMessage()).lines().findFirst().orElse("");
    }

    /** A value in a document and its path ({@code claims[1].enclosure}), with strict typed access. */
    public record Node(JsonNode json, String path) {

        /** The document's root. */
        public static Node root(JsonNode json) {
            return new Node(json, "");
        }

        /** An object whose field names are exactly {@code names} (in any order). */
        public Node object(String... names) {
            if (!json.isObject()) {
                throw bad("must be an object");
            }
            Set<String> want = new LinkedHashSet<>(List.of(names));
            for (Iterator<String> it = json.fieldNames(); it.hasNext(); ) {
                String k = it.next();
                if (!want.contains(k)) {
                    throw at(k).bad("is not a field of the format, which the verifier cannot check");
                }
            }
            for (String k : want) {
                if (!json.has(k)) {
                    throw at(k).bad("is missing");
                }
            }
            return this;
        }

        /** The field {@code name} (which must exist). */
        public Node get(String name) {
            JsonNode v = json.get(name);
            if (v == null) {
                throw at(name).bad("is missing");
            }
            return at(name).with(v);
        }

        /** The elements of an array of exactly {@code length} elements (−1: any number). */
        public List<Node> array(int length) {
            if (!json.isArray()) {
                throw bad("must be an array");
            }
            if (length >= 0 && json.size() != length) {
                throw bad("must hold " + length + " elements, not " + json.size());
            }
            List<Node> out = new ArrayList<>(json.size());
            for (int i = 0; i < json.size(); i++) {
                out.add(new Node(json.get(i), path + "[" + i + "]"));
            }
            return out;
        }

        /** A string. */
        public String text() {
            if (!json.isTextual()) {
                throw bad("must be a string");
            }
            return json.textValue();
        }

        /** A boolean, {@code true} or {@code false}. */
        public boolean bool() {
            if (!json.isBoolean()) {
                throw bad("must be true or false");
            }
            return json.booleanValue();
        }

        /** A finite number. */
        public double number() {
            if (!json.isNumber() || !Double.isFinite(json.doubleValue())) {
                throw bad("must be a finite number");
            }
            return json.doubleValue();
        }

        /** A finite number, or null (read as NaN). */
        public double numberOrNull() {
            return json.isNull() ? Double.NaN : number();
        }

        /** An integer that fits a long. */
        public long integer() {
            if (!json.isIntegralNumber() || !json.canConvertToLong()) {
                throw bad("must be an integer");
            }
            return json.longValue();
        }

        /** True when the value is JSON null. */
        public boolean isNull() {
            return json.isNull();
        }

        /** An error that names this path: "malformed certificate: {path} {problem}". */
        public IllegalArgumentException bad(String problem) {
            return new IllegalArgumentException("malformed certificate: " + (path.isEmpty() ? "the document"
                    : dev.subliminal.results.Texts.quote(path))
                    + " " + problem);
        }

        private Node at(String name) {
            return new Node(json, path.isEmpty() ? name : path + "." + name);
        }

        private Node with(JsonNode v) {
            return new Node(v, path);
        }
    }
}
