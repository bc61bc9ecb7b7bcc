package dev.subliminal.spec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.subliminal.results.Texts;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * How the values of one kind of setting are read (from command-line text or from a grid or record's
 * JSON), validated and written back. Every error is an {@link IllegalArgumentException} whose message
 * says what was expected and echoes at most {@value #ECHO} characters of what was given; the caller
 * adds the setting's name.
 *
 * @param <T> the value type
 */
public interface SettingType<T> {

    /** The longest part of a bad value an error message repeats. */
    int ECHO = 40;

    /** The value written as command-line text. */
    T parse(String text);

    /** The value in a grid or record; numbers may be given as strings (YAML reads {@code 1e-4} as one). */
    T fromJson(JsonNode node);

    /** The normalized JSON form written into records and headers. */
    JsonNode toJson(T value);

    /** The command-line text form, which {@link #parse} reads back to the same value. */
    String format(T value);

    /** What a valid value is, e.g. {@code an integer ≥ 1} or {@code one of tanh, relu}. */
    String describe();

    /** The placeholder of a value in help texts, e.g. {@code N} or {@code tanh|relu}. */
    default String label() {
        return choices().isEmpty() ? "VALUE" : String.join("|", choices());
    }

    /** The accepted names of a choice; empty for other types. */
    default List<String> choices() {
        return List.of();
    }

    /** Whether a JSON array of numbers is one value of this type (a list of sizes) rather than a list of values. */
    default boolean readsArrays() {
        return false;
    }

    /** Throws unless the value is valid (types built by a parser are valid by construction). */
    default T validate(T value) {
        return parse(format(value));
    }

    /**
     * At most {@link #ECHO} characters of a bad value, quoted, with line breaks and other control
     * characters escaped (a line feed as backslash-n, others as a backslash-u code) so that the
     * message stays one line.
     */
    static String echo(Object given) {
        String s = String.valueOf(given);
        return "'" + (s.length() > ECHO ? Texts.oneLine(s.substring(0, ECHO)) + "…' (" + s.length() + " characters)"
                : Texts.oneLine(s) + "'");
    }

    /** An integer in [min, max]. */
    static SettingType<Integer> integer(int min, int max) {
        return new Numbers.Numeric<>() {
            @Override
            Integer check(double x) {
                if (x != Math.rint(x) || x < min || x > max) {
                    throw new IllegalArgumentException("expected " + describe() + ", got " + Numbers.text(x));
                }
                return (int) x;
            }

            @Override
            public JsonNode toJson(Integer value) {
                return IntNode.valueOf(value);
            }

            @Override
            public String format(Integer value) {
                return Integer.toString(value);
            }

            @Override
            public String label() {
                return "N";
            }

            @Override
            public String describe() {
                return max == Integer.MAX_VALUE ? "an integer ≥ " + min : "an integer in [" + min + ", " + max + "]";
            }
        };
    }

    /** A 64-bit integer (a seed), any value. */
    static SettingType<Long> seed() {
        return new SettingType<>() {
            @Override
            public Long parse(String text) {
                try {
                    return Long.parseLong(text.strip());
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("expected " + describe() + ", got " + echo(text));
                }
            }

            @Override
            public Long fromJson(JsonNode node) {
                if (node.isIntegralNumber() && node.canConvertToLong()) {
                    return node.longValue();
                }
                if (node.isTextual()) {
                    return parse(node.textValue());
                }
                throw new IllegalArgumentException("expected " + describe() + ", got " + echo(node));
            }

            @Override
            public JsonNode toJson(Long value) {
                return LongNode.valueOf(value);
            }

            @Override
            public String format(Long value) {
                return Long.toString(value);
            }

            @Override
            public String label() {
                return "SEED";
            }

            @Override
            public String describe() {
                return "an integer from " + Long.MIN_VALUE + " to " + Long.MAX_VALUE;
            }
        };
    }

    /** A finite real number ≥ 0, or > 0 when {@code positive}. */
    static SettingType<Double> real(boolean positive) {
        return new Numbers.Numeric<>() {
            @Override
            Double check(double x) {
                if (!Double.isFinite(x) || x < 0 || (positive && x == 0)) {
                    throw new IllegalArgumentException("expected " + describe() + ", got " + Numbers.text(x));
                }
                return x;
            }

            @Override
            public JsonNode toJson(Double value) {
                return DoubleNode.valueOf(value);
            }

            @Override
            public String format(Double value) {
                return Double.toString(value);
            }

            @Override
            public String label() {
                return "X";
            }

            @Override
            public String describe() {
                return positive ? "a finite number > 0" : "a finite number ≥ 0";
            }
        };
    }

    /** true or false. */
    static SettingType<Boolean> bool() {
        return new SettingType<>() {
            @Override
            public Boolean parse(String text) {
                String t = text.strip().toLowerCase(java.util.Locale.ROOT);
                if (t.equals("true") || t.equals("false")) {
                    return t.equals("true");
                }
                throw new IllegalArgumentException("expected " + describe() + ", got " + echo(text));
            }

            @Override
            public Boolean fromJson(JsonNode node) {
                if (node.isBoolean()) {
                    return node.booleanValue();
                }
                if (node.isTextual()) {
                    return parse(node.textValue());
                }
                throw new IllegalArgumentException("expected " + describe() + ", got " + echo(node));
            }

            @Override
            public JsonNode toJson(Boolean value) {
                return com.fasterxml.jackson.databind.node.BooleanNode.valueOf(value);
            }

            @Override
            public String format(Boolean value) {
                return value.toString();
            }

            @Override
            public String describe() {
                return "true or false";
            }

            @Override
            public List<String> choices() {
                return List.of("true", "false");
            }
        };
    }

    /** One of an enum's constants, by {@link Names#of} name. */
    static <E extends Enum<E>> SettingType<E> choice(Class<E> type) {
        return choice(type, e -> true);
    }

    /**
     * One of the enum's constants that {@code allowed} accepts (a command that supports only some
     * of them, such as the certifiable activations); the others are refused by name.
     */
    static <E extends Enum<E>> SettingType<E> choice(Class<E> type, java.util.function.Predicate<E> allowed) {
        return new SettingType<>() {
            @Override
            public E parse(String text) {
                String key = text.strip().toLowerCase(java.util.Locale.ROOT);
                for (E e : type.getEnumConstants()) {
                    if (Names.of(e).equals(key) && allowed.test(e)) {
                        return e;
                    }
                }
                throw new IllegalArgumentException("unknown value " + echo(text) + "; expected " + describe());
            }

            @Override
            public E fromJson(JsonNode node) {
                if (!node.isTextual()) {
                    throw new IllegalArgumentException("expected a name, " + describe() + ", got " + echo(node));
                }
                return parse(node.textValue());
            }

            @Override
            public JsonNode toJson(E value) {
                return TextNode.valueOf(Names.of(value));
            }

            @Override
            public String format(E value) {
                return Names.of(value);
            }

            @Override
            public String describe() {
                return "one of " + String.join(", ", choices());
            }

            @Override
            public List<String> choices() {
                return Arrays.stream(type.getEnumConstants()).filter(allowed).map(Names::of).toList();
            }
        };
    }

    /** One of a list of names known only at run time (the registered model families). */
    static SettingType<String> name(Supplier<List<String>> names) {
        return new SettingType<>() {
            @Override
            public String parse(String text) {
                String key = text.strip().toLowerCase(java.util.Locale.ROOT);
                if (!names.get().contains(key)) {
                    throw new IllegalArgumentException("unknown value " + echo(text) + "; expected " + describe());
                }
                return key;
            }

            @Override
            public String fromJson(JsonNode node) {
                if (!node.isTextual()) {
                    throw new IllegalArgumentException("expected a name, " + describe() + ", got " + echo(node));
                }
                return parse(node.textValue());
            }

            @Override
            public JsonNode toJson(String value) {
                return TextNode.valueOf(value);
            }

            @Override
            public String format(String value) {
                return value;
            }

            @Override
            public String describe() {
                return "one of " + String.join(", ", choices());
            }

            @Override
            public List<String> choices() {
                return names.get();
            }
        };
    }

    /**
     * Layer sizes (d, h_1, ..., n), each in [1, max], at least {@code minCount} of them: written
     * {@code 4,8,3} on the command line and in records, {@code "4,8,3"} or {@code [4, 8, 3]} in grids.
     */
    static SettingType<Sizes> sizes(int minCount, int max) {
        return new SettingType<>() {
            @Override
            public Sizes parse(String text) {
                String[] parts = text.split(",", -1);
                int[] sizes = new int[parts.length];
                for (int i = 0; i < parts.length; i++) {
                    String p = parts[i].strip();
                    if (!p.matches("[0-9]{1,10}")) {
                        throw new IllegalArgumentException(echo(parts[i]) + " is not a size; expected " + describe());
                    }
                    long v = Long.parseLong(p);
                    if (v < 1 || v > max) {
                        throw new IllegalArgumentException("size " + v + " is out of range; expected " + describe());
                    }
                    sizes[i] = (int) v;
                }
                if (sizes.length < minCount) {
                    throw new IllegalArgumentException(echo(text) + " has " + sizes.length
                            + (sizes.length == 1 ? " size" : " sizes") + "; expected " + describe());
                }
                return new Sizes(sizes);
            }

            @Override
            public Sizes fromJson(JsonNode node) {
                if (node.isTextual()) {
                    return parse(node.textValue());
                }
                if (node.isArray() && node.size() > 0) {
                    StringBuilder s = new StringBuilder();
                    for (JsonNode e : node) {
                        if (!e.isIntegralNumber()) {
                            throw new IllegalArgumentException(echo(e) + " is not a size; expected " + describe());
                        }
                        s.append(s.length() == 0 ? "" : ",").append(e.asText());
                    }
                    return parse(s.toString());
                }
                throw new IllegalArgumentException("expected " + describe() + ", got " + echo(node));
            }

            @Override
            public JsonNode toJson(Sizes value) {
                return TextNode.valueOf(value.toString());
            }

            @Override
            public String format(Sizes value) {
                return value.toString();
            }

            @Override
            public String label() {
                return "D,H,...,N";
            }

            @Override
            public boolean readsArrays() {
                return true;
            }

            @Override
            public String describe() {
                return "at least " + minCount + " comma-separated sizes in [1, " + max + "], inputs first, outputs last,"
                        + " such as 4,8,3";
            }
        };
    }

    /** Layer sizes, an immutable int list. */
    record Sizes(int[] values) {
        public Sizes {
            values = values.clone();
        }

        @Override
        public int[] values() {
            return values.clone();
        }

        /** The i-th size. */
        public int get(int i) {
            return values[i];
        }

        /** How many sizes. */
        public int count() {
            return values.length;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Sizes s && Arrays.equals(s.values, values);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(values);
        }

        @Override
        public String toString() {
            return Arrays.stream(values).mapToObj(Integer::toString).collect(Collectors.joining(","));
        }
    }

    /** Number parsing shared by the numeric types. */
    final class Numbers {
        private Numbers() {
        }

        /** A numeric type: text and JSON (numbers, or strings holding them) become a double, then {@link #check}. */
        abstract static class Numeric<T> implements SettingType<T> {
            /** The value of x, or an error saying what was expected. */
            abstract T check(double x);

            @Override
            public T parse(String text) {
                return check(Numbers.parse(text, this));
            }

            @Override
            public T fromJson(JsonNode node) {
                return check(Numbers.fromJson(node, this));
            }
        }

        static double parse(String text, SettingType<?> type) {
            String t = text.strip();
            if (t.length() <= 64) {
                try {
                    return Double.parseDouble(t);
                } catch (NumberFormatException e) {
                    // reported below
                }
            }
            throw new IllegalArgumentException("expected " + type.describe() + ", got " + echo(text));
        }

        static double fromJson(JsonNode node, SettingType<?> type) {
            if (node.isNumber()) {
                return node.doubleValue();
            }
            if (node.isTextual()) {
                return parse(node.textValue(), type);
            }
            throw new IllegalArgumentException("expected " + type.describe() + ", got " + echo(node));
        }

        static String text(double x) {
            return x == Math.rint(x) && Math.abs(x) < 1e15 ? Long.toString((long) x) : Double.toString(x);
        }
    }
}
