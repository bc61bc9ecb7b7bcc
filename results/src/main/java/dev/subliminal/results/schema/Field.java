package dev.subliminal.results.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.subliminal.results.Texts;

/**
 * One named field of a results record, header or configuration, with the JSON type it must have.
 * Writers put values through it and readers get them through it, so each name is written once and
 * every read is checked: a missing field or one of the wrong type is an
 * {@link IllegalArgumentException} naming the field and the value found. Numbers that may be
 * undefined ({@link #numberOrNull}) are written as {@code null} when they are NaN or infinite and
 * read back as NaN.
 */
public final class Field {

    /** The JSON types of fields. */
    public enum Type {
        TEXT("a string"),
        INTEGER("an integer"),
        NUMBER("a number"),
        NUMBER_OR_NULL("a number or null"),
        BOOLEAN("true or false"),
        OBJECT("an object"),
        ARRAY("an array");

        private final String description;

        Type(String description) {
            this.description = description;
        }

        /** The type in words, for messages. */
        public String description() {
            return description;
        }

        boolean accepts(JsonNode v) {
            return switch (this) {
                case TEXT -> v.isTextual();
                case INTEGER -> v.isIntegralNumber() && v.canConvertToLong();
                case NUMBER -> v.isNumber() && Double.isFinite(v.doubleValue());
                case NUMBER_OR_NULL -> v.isNull() || v.isNumber() && Double.isFinite(v.doubleValue());
                case BOOLEAN -> v.isBoolean();
                case OBJECT -> v.isObject();
                case ARRAY -> v.isArray();
            };
        }
    }

    private final String name;
    private final Type type;
    private final boolean optional;

    private Field(String name, Type type, boolean optional) {
        this.name = name;
        this.type = type;
        this.optional = optional;
    }

    /** A string. */
    public static Field text(String name) {
        return new Field(name, Type.TEXT, false);
    }

    /** An integer (no fraction, no exponent). */
    public static Field integer(String name) {
        return new Field(name, Type.INTEGER, false);
    }

    /** A finite number. */
    public static Field number(String name) {
        return new Field(name, Type.NUMBER, false);
    }

    /** A finite number, or {@code null} where the quantity is undefined (read as NaN). */
    public static Field numberOrNull(String name) {
        return new Field(name, Type.NUMBER_OR_NULL, false);
    }

    /** {@code true} or {@code false}. */
    public static Field bool(String name) {
        return new Field(name, Type.BOOLEAN, false);
    }

    /** A JSON object. */
    public static Field object(String name) {
        return new Field(name, Type.OBJECT, false);
    }

    /** A JSON array. */
    public static Field array(String name) {
        return new Field(name, Type.ARRAY, false);
    }

    /** The same field, allowed to be absent. */
    public Field optional() {
        return new Field(name, type, true);
    }

    /** The field's name. */
    public String name() {
        return name;
    }

    /** Its JSON type. */
    public Type type() {
        return type;
    }

    /** Whether it may be absent. */
    public boolean isOptional() {
        return optional;
    }

    /** Whether {@code record} has the field (of any type). */
    public boolean isIn(JsonNode record) {
        return record.has(name);
    }

    /** Checks that {@code record} has the field with its type (or, if optional, lacks it). */
    public void check(JsonNode record) {
        check(record, "");
    }

    /** As {@link #check(JsonNode)}, naming the field {@code prefix + name} in messages (e.g. {@code end.dot}). */
    public void check(JsonNode record, String prefix) {
        JsonNode v = record.get(name);
        if (v == null) {
            if (!optional) {
                throw new IllegalArgumentException("missing field \"" + prefix + name + "\"");
            }
            return;
        }
        if (!type.accepts(v)) {
            throw new IllegalArgumentException("field \"" + prefix + name + "\" is " + Texts.quote(v) + ", expected "
                    + type.description());
        }
    }

    /** The checked value: a present field of the right type; null for an absent optional field. */
    public JsonNode node(JsonNode record) {
        check(record);
        return record.get(name);
    }

    /** A {@link Type#TEXT} value. */
    public String text(JsonNode record) {
        require(Type.TEXT);
        JsonNode v = node(record);
        return v == null ? null : v.textValue();
    }

    /** A {@link Type#INTEGER} value. */
    public long integer(JsonNode record) {
        require(Type.INTEGER);
        return present(record).longValue();
    }

    /** A {@link Type#NUMBER} or {@link Type#NUMBER_OR_NULL} value; null and an absent optional field are NaN. */
    public double number(JsonNode record) {
        if (type != Type.NUMBER && type != Type.NUMBER_OR_NULL) {
            require(Type.NUMBER);
        }
        JsonNode v = node(record);
        return v == null || v.isNull() ? Double.NaN : v.doubleValue();
    }

    /** A {@link Type#BOOLEAN} value. */
    public boolean bool(JsonNode record) {
        require(Type.BOOLEAN);
        return present(record).booleanValue();
    }

    /** A {@link Type#OBJECT} or {@link Type#ARRAY} value; null for an absent optional field. */
    public JsonNode object(JsonNode record) {
        if (type != Type.OBJECT && type != Type.ARRAY) {
            require(Type.OBJECT);
        }
        return node(record);
    }

    /** Puts a string. */
    public void put(ObjectNode o, String value) {
        require(Type.TEXT);
        o.put(name, value);
    }

    /** Puts an integer. */
    public void put(ObjectNode o, long value) {
        require(Type.INTEGER);
        o.put(name, value);
    }

    /** Puts an {@code int} (written as the same digits as a {@code long}). */
    public void put(ObjectNode o, int value) {
        require(Type.INTEGER);
        o.put(name, value);
    }

    /** Puts a number; NaN and infinities as {@code null} for a {@link #numberOrNull} field. */
    public void put(ObjectNode o, double value) {
        if (Double.isFinite(value)) {
            if (type != Type.NUMBER && type != Type.NUMBER_OR_NULL) {
                require(Type.NUMBER);
            }
            o.put(name, value);
        } else if (type == Type.NUMBER_OR_NULL) {
            o.putNull(name);
        } else {
            throw new IllegalArgumentException("field \"" + name + "\" must be a finite number, got " + value);
        }
    }

    /**
     * Puts {@code values} into {@code fields}, one to one, in order (NaN and infinities as null in
     * {@link #numberOrNull} fields).
     */
    public static void putAll(ObjectNode o, java.util.List<Field> fields, double... values) {
        if (fields.size() != values.length) {
            throw new IllegalArgumentException(values.length + " values for the " + fields.size() + " fields " + fields);
        }
        for (int i = 0; i < values.length; i++) {
            fields.get(i).put(o, values[i]);
        }
    }

    /** Puts a boolean. */
    public void put(ObjectNode o, boolean value) {
        require(Type.BOOLEAN);
        o.put(name, value);
    }

    /** Puts an object or array value. */
    public void set(ObjectNode o, JsonNode value) {
        if (!type.accepts(value)) {
            throw new IllegalArgumentException("field \"" + name + "\" must be " + type.description() + ", got "
                    + Texts.quote(value));
        }
        o.set(name, value);
    }

    /** Puts a new, empty object and returns it. */
    public ObjectNode putObject(ObjectNode o) {
        require(Type.OBJECT);
        return o.putObject(name);
    }

    private JsonNode present(JsonNode record) {
        JsonNode v = node(record);
        if (v == null) {
            throw new IllegalArgumentException("missing field \"" + name + "\"");
        }
        return v;
    }

    private void require(Type expected) {
        if (type != expected) {
            throw new IllegalStateException("field \"" + name + "\" is declared " + type + ", not " + expected);
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
