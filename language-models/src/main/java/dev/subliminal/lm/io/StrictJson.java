package dev.subliminal.lm.io;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Strict, bounded JSON for the model formats: a duplicate key, trailing data after the document,
 * {@code NaN}, comments, a nesting deeper than 64 levels or a file larger than the caller's limit is
 * a {@link FormatException} naming the file, never a silently accepted value or an
 * {@link OutOfMemoryError}. The typed accessors below fail the same way when a field is missing or
 * has the wrong type.
 */
public final class StrictJson {

    /** Shared reader and writer. Writing sorts nothing: fields appear in insertion order. */
    public static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxNestingDepth(64)
                            .maxNumberLength(64)
                            .maxStringLength(64 << 20)
                            .build())
                    .build())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .build();

    private StrictJson() {
    }

    /** Reads a whole JSON file of at most {@code maxBytes} bytes. */
    public static JsonNode read(Path file, long maxBytes) {
        return parse(readBounded(file, maxBytes), FormatException.name(file));
    }

    /** Parses one JSON document; {@code source} names it in errors. */
    public static JsonNode parse(byte[] bytes, String source) {
        try {
            JsonNode node = MAPPER.readTree(bytes);
            if (node == null || node.isMissingNode()) {
                throw new FormatException(source, "is empty, expected a JSON document");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new FormatException(source, null, "is not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new FormatException(source, null, "cannot be read: " + e.getMessage(), e);
        }
    }

    /** The bytes of a file that must not exceed {@code maxBytes}. */
    public static byte[] readBounded(Path file, long maxBytes) {
        String name = FormatException.name(file);
        try {
            long size = Files.size(file);
            if (size > maxBytes) {
                throw new FormatException(name, "is " + size + " bytes, more than the limit of " + maxBytes);
            }
            byte[] bytes = Files.readAllBytes(file);
            if (bytes.length > maxBytes) {
                throw new FormatException(name, "grew beyond " + maxBytes + " bytes while being read");
            }
            return bytes;
        } catch (NoSuchFileException e) {
            throw new FormatException(name, null, "does not exist", e);
        } catch (IOException e) {
            throw new FormatException(name, null, "cannot be read: " + e.getMessage(), e);
        }
    }

    /** {@code node} as an object. */
    public static JsonNode object(JsonNode node, String source, String what) {
        if (node == null || !node.isObject()) {
            throw new FormatException(source, what, "must be a JSON object, found " + describe(node));
        }
        return node;
    }

    /** {@code node} as an array. */
    public static JsonNode array(JsonNode node, String source, String what) {
        if (node == null || !node.isArray()) {
            throw new FormatException(source, what, "must be a JSON array, found " + describe(node));
        }
        return node;
    }

    /** {@code node} as a string. */
    public static String string(JsonNode node, String source, String what) {
        if (node == null || !node.isTextual()) {
            throw new FormatException(source, what, "must be a string, found " + describe(node));
        }
        return node.textValue();
    }

    /** {@code node} as a boolean. */
    public static boolean bool(JsonNode node, String source, String what) {
        if (node == null || !node.isBoolean()) {
            throw new FormatException(source, what, "must be true or false, found " + describe(node));
        }
        return node.booleanValue();
    }

    /** {@code node} as an integer in [min, max]; 3.0 or 1e3 are refused as integers. */
    public static long integer(JsonNode node, String source, String what, long min, long max) {
        if (node == null || !node.isIntegralNumber() || !node.canConvertToLong()) {
            throw new FormatException(source, what, "must be an integer, found " + describe(node));
        }
        long v = node.longValue();
        if (v < min || v > max) {
            throw new FormatException(source, what, "= " + v + " is outside [" + min + ", " + max + "]");
        }
        return v;
    }

    /** {@code node} as an int in [min, max]. */
    public static int intValue(JsonNode node, String source, String what, int min, int max) {
        return (int) integer(node, source, what, min, max);
    }

    /** {@code node} as a finite number (an integer is accepted). */
    public static double number(JsonNode node, String source, String what) {
        if (node == null || !node.isNumber()) {
            throw new FormatException(source, what, "must be a number, found " + describe(node));
        }
        double v = node.doubleValue();
        if (!Double.isFinite(v)) {
            throw new FormatException(source, what, "= " + node + " is not a finite number");
        }
        return v;
    }

    /** A short description of a node for error messages. */
    public static String describe(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return "nothing";
        }
        JsonNodeType t = node.getNodeType();
        String text = node.toString();
        if (text.length() > 60) {
            text = text.substring(0, 57) + "...";
        }
        return t.name().toLowerCase(java.util.Locale.ROOT) + " " + text;
    }
}
