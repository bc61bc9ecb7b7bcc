package dev.subliminal.theory.text;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The names under which enum constants appear on the command line and in result files: lower case
 * with '-' for '_' ({@code NORMAL_FAN_IN} is {@code normal-fan-in}).
 */
public final class EnumNames {

    private EnumNames() {
    }

    /** The command-line name of a constant. */
    public static String of(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The constant with this command-line name; the error names the bad value and lists the accepted ones. */
    public static <E extends Enum<E>> E parse(Class<E> type, String text, String what) {
        String key = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        for (E e : type.getEnumConstants()) {
            if (of(e).equals(key)) {
                return e;
            }
        }
        throw new IllegalArgumentException("unknown " + what + " '" + text + "'; expected one of "
                + Arrays.stream(type.getEnumConstants()).map(EnumNames::of).collect(Collectors.joining(", ")));
    }
}
