package dev.subliminal.reports.read;

import com.fasterxml.jackson.databind.JsonNode;

/** Typed access to the fields of a record, with errors that name the field. */
public final class Fields {

    private Fields() {
    }

    /** The field, which must be present. */
    public static JsonNode required(JsonNode record, String name) {
        JsonNode v = record.get(name);
        if (v == null) {
            throw new IllegalArgumentException("missing field \"" + name + "\"");
        }
        return v;
    }

    /** A number; {@code null} (undefined) is NaN. */
    public static double number(JsonNode record, String name) {
        JsonNode v = required(record, name);
        if (v.isNull()) {
            return Double.NaN;
        }
        if (!v.isNumber()) {
            throw new IllegalArgumentException("field \"" + name + "\" is " + v + ", expected a number or null");
        }
        return v.doubleValue();
    }

    /** A boolean; {@code null} (undefined) is absent. */
    public static Boolean bool(JsonNode record, String name) {
        JsonNode v = required(record, name);
        if (v.isNull()) {
            return null;
        }
        if (!v.isBoolean()) {
            throw new IllegalArgumentException("field \"" + name + "\" is " + v + ", expected true, false or null");
        }
        return v.booleanValue();
    }

    /** A string. */
    public static String text(JsonNode record, String name) {
        JsonNode v = required(record, name);
        if (!v.isTextual()) {
            throw new IllegalArgumentException("field \"" + name + "\" is " + v + ", expected a string");
        }
        return v.textValue();
    }

    /** An object. */
    public static JsonNode object(JsonNode record, String name) {
        JsonNode v = required(record, name);
        if (!v.isObject()) {
            throw new IllegalArgumentException("field \"" + name + "\" is " + v + ", expected an object");
        }
        return v;
    }
}
