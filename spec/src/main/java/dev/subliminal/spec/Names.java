package dev.subliminal.spec;

import java.util.Locale;

/**
 * The name under which an enum constant appears in settings, grids, records and on the command
 * line: lower case with '-' for '_' ({@code NORMAL_FAN_IN} is {@code normal-fan-in}). Every choice
 * setting derives its names here, so no enum carries its own name or parser.
 */
public final class Names {

    private Names() {
    }

    /** The name of a constant. */
    public static String of(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
