package dev.subliminal.spec;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * One setting, declared once: its key (in grids and records, e.g. {@code traitSamples}), its type,
 * default, help text and unit. Everything else is derived from it: the command-line flag
 * ({@code --trait-samples}), the sweep axis of the same name, the record field, the validation
 * message ("--trait-samples: expected an integer ≥ 1, got 0") and the flag in a replay line.
 *
 * <p>A replay line names a setting when it {@link #appliesTo applies} to the configuration and either
 * is {@link Replay#ALWAYS always} written or differs from its default.
 *
 * @param <T> the value type
 */
public final class Setting<T> {

    /** When a replay command line writes the setting. */
    public enum Replay {
        /** Always (when it applies): the settings that say what was run. */
        ALWAYS,
        /** Only when its value differs from the default. */
        IF_CHANGED
    }

    private final String key;
    private final SettingType<T> type;
    private final T defaultValue;
    private final String help;
    private final String unit;
    private final Replay replay;
    private final Predicate<Values> applies;
    private final String condition;

    private Setting(String key, SettingType<T> type, T defaultValue, String help, String unit, Replay replay,
            Predicate<Values> applies, String condition) {
        if (!key.matches("[a-z][A-Za-z0-9]*")) {
            throw new IllegalArgumentException("a setting key is lowerCamelCase, got '" + key + "'");
        }
        this.key = key;
        this.type = Objects.requireNonNull(type);
        this.defaultValue = defaultValue == null ? null : type.validate(defaultValue);
        this.help = Objects.requireNonNull(help);
        this.unit = unit;
        this.replay = replay;
        this.applies = applies;
        this.condition = condition;
    }

    /** A setting that is always replayed and always applies. */
    public static <T> Setting<T> of(String key, SettingType<T> type, T defaultValue, String help) {
        return new Setting<>(key, type, defaultValue, help, "", Replay.ALWAYS, v -> true, "");
    }

    /** This setting, replayed only when changed from its default. */
    public Setting<T> replayedIfChanged() {
        return new Setting<>(key, type, defaultValue, help, unit, Replay.IF_CHANGED, applies, condition);
    }

    /**
     * This setting, applying (and replayed) only to configurations that pass {@code when}, which
     * {@code condition} states for help texts and errors (e.g. {@code --loss ce}).
     */
    public Setting<T> appliesWhen(String condition, Predicate<Values> when) {
        return new Setting<>(key, type, defaultValue, help, unit, replay, when, condition);
    }

    /**
     * This setting with a narrower type: the same key, help and default (which the narrower type must
     * accept), for a command that supports only some of its values.
     */
    public Setting<T> narrowed(SettingType<T> narrower) {
        return new Setting<>(key, narrower, defaultValue, help, unit, replay, applies, condition);
    }

    /** This setting with another help text, for a command where it means something narrower. */
    public Setting<T> withHelp(String newHelp) {
        return new Setting<>(key, type, defaultValue, newHelp, unit, replay, applies, condition);
    }

    /** This setting with a unit, shown in help. */
    public Setting<T> withUnit(String u) {
        return new Setting<>(key, type, defaultValue, help, u, replay, applies, condition);
    }

    /** This setting under another key with another help text (the student's twin of a model setting). */
    public Setting<T> renamed(String newKey, String newHelp) {
        return new Setting<>(newKey, type, defaultValue, newHelp, unit, replay, applies, condition);
    }

    /** The key in grids and records. */
    public String key() {
        return key;
    }

    /** The command-line flag: {@code --} and the key in kebab case. */
    public String flag() {
        return "--" + key.replaceAll("([A-Z])", "-$1").toLowerCase(Locale.ROOT);
    }

    public SettingType<T> type() {
        return type;
    }

    /** The default, or null when the setting has none (it must then be derived or given). */
    public T defaultValue() {
        return defaultValue;
    }

    public String help() {
        return help;
    }

    public String unit() {
        return unit;
    }

    public Replay replay() {
        return replay;
    }

    /** When the setting applies, e.g. {@code --loss ce}; empty when it always does. */
    public String condition() {
        return condition;
    }

    /** Whether the setting means something for this configuration. */
    public boolean appliesTo(Values values) {
        return applies.test(values);
    }

    /** Parses command-line text; the error names the flag. */
    public T parse(String text) {
        try {
            return type.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(flag() + ": " + e.getMessage(), e);
        }
    }

    /** Reads a JSON value; the error names the key. */
    public T fromJson(JsonNode node) {
        try {
            return type.fromJson(node);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(key + ": " + e.getMessage(), e);
        }
    }

    /** The JSON form of a value of this setting. */
    public JsonNode toJson(T value) {
        return type.toJson(value);
    }

    /** The command-line text of a value of this setting. */
    public String format(T value) {
        return type.format(value);
    }

    /** Casts a value read from {@link Values} (the type is checked when values are stored). */
    @SuppressWarnings("unchecked")
    T cast(Object value) {
        return (T) value;
    }

    @Override
    public String toString() {
        return key;
    }
}
