package dev.subliminal.spec;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Values of settings, immutable, in the order they were given. A setting without a value reads as its
 * default. Two {@code Values} are equal when they hold equal values under the same keys in the same
 * order.
 */
public final class Values {

    private static final Values EMPTY = new Values(Map.of());

    private final Map<Setting<?>, Object> values;

    private Values(Map<Setting<?>, Object> values) {
        this.values = values;
    }

    /** No values: every setting reads as its default. */
    public static Values empty() {
        return EMPTY;
    }

    /** The value of {@code s}: the one given, else its default; an error if it has neither. */
    public <T> T get(Setting<T> s) {
        Object v = values.get(s);
        if (v == null) {
            if (s.defaultValue() == null) {
                throw new IllegalArgumentException("no value for " + s.key());
            }
            return s.defaultValue();
        }
        return s.cast(v);
    }

    /** Whether a value was given for {@code s}. */
    public boolean has(Setting<?> s) {
        return values.containsKey(s);
    }

    /** These values with {@code s} set to {@code value} (validated), keeping the order of the others. */
    public <T> Values with(Setting<T> s, T value) {
        Objects.requireNonNull(value, s.key());
        Map<Setting<?>, Object> copy = new LinkedHashMap<>(values);
        copy.put(s, s.type().validate(value));
        return new Values(Collections.unmodifiableMap(copy));
    }

    /** These values and then those of {@code more} (which win where both have a value). */
    public Values and(Values more) {
        Map<Setting<?>, Object> copy = new LinkedHashMap<>(values);
        copy.putAll(more.values);
        return new Values(Collections.unmodifiableMap(copy));
    }

    /** Only the values of these settings, in this order (defaults filled in where none was given). */
    public Values select(List<Setting<?>> settings) {
        Map<Setting<?>, Object> out = new LinkedHashMap<>();
        for (Setting<?> s : settings) {
            Object v = values.containsKey(s) ? values.get(s) : s.defaultValue();
            if (v != null) {
                out.put(s, v);
            }
        }
        return new Values(Collections.unmodifiableMap(out));
    }

    /** The settings with a value, in order. */
    public List<Setting<?>> settings() {
        return List.copyOf(values.keySet());
    }

    /** {@code {key: value, ...}} in order, each value in its setting's JSON form. */
    public ObjectNode toJson() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        values.forEach((s, v) -> o.set(s.key(), json(s, v)));
        return o;
    }

    private static <T> com.fasterxml.jackson.databind.JsonNode json(Setting<T> s, Object v) {
        return s.toJson(s.cast(v));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Values v && List.copyOf(v.values.entrySet()).equals(List.copyOf(values.entrySet()));
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    @Override
    public String toString() {
        return toJson().toString();
    }
}
