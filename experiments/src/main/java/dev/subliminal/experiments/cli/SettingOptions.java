package dev.subliminal.experiments.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.subliminal.simulation.check.CheckConfig;
import dev.subliminal.spec.ModelFamilies;
import dev.subliminal.spec.Setting;
import dev.subliminal.spec.Values;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/**
 * Command-line options derived from settings: one option per setting, named by its flag, with its
 * help, its accepted values, its default and when it applies. Commands that take a check's
 * configuration ({@code check}, {@code certify}) add {@link CheckConfig#allSettings()} through
 * {@link CheckOptions}; {@link #check} reads them back into a validated configuration.
 */
final class SettingOptions {

    /** Reads command-line text; errors name the flag. */
    private static final CheckConfig.Reader FROM_TEXT = new CheckConfig.Reader() {
        @Override
        public <T> T read(Setting<T> setting, JsonNode value) {
            return setting.parse(value.textValue());
        }

        @Override
        public String name(Setting<?> setting) {
            return setting.flag();
        }
    };

    private SettingOptions() {
    }

    /** Adds an option for each setting to {@code spec}. */
    static void add(CommandSpec spec, List<Setting<?>> settings) {
        for (Setting<?> s : settings) {
            spec.addOption(OptionSpec.builder(s.flag()).paramLabel(s.type().label()).type(String.class)
                    .description(help(s)).build());
        }
    }

    private static String help(Setting<?> s) {
        StringBuilder h = new StringBuilder(s.help());
        if (!s.unit().isEmpty()) {
            h.append(" [").append(s.unit()).append(']');
        }
        h.append(s.type().choices().isEmpty() ? "" : ": " + String.join(", ", s.type().choices()));
        if (s.defaultValue() != null) {
            h.append(" (default: ").append(format(s, s.defaultValue())).append(')');
        }
        if (!s.condition().isEmpty()) {
            h.append("; only when ").append(s.condition());
        }
        return h.append('.').toString();
    }

    private static <T> String format(Setting<T> s, Object value) {
        @SuppressWarnings("unchecked")
        T t = (T) value;
        return s.format(t);
    }

    /** The values given on the command line for these settings (the others take their defaults). */
    static Values values(ParseResult parsed, List<Setting<?>> settings) {
        Values v = Values.empty();
        for (Setting<?> s : settings) {
            if (parsed.hasMatchedOption(s.flag())) {
                v = put(v, s, parsed.matchedOptionValue(s.flag(), ""));
            }
        }
        return v;
    }

    private static <T> Values put(Values v, Setting<T> s, String text) {
        return v.with(s, s.parse(text));
    }

    /** The values given on the command line for these settings, by key, as text. */
    static Map<String, JsonNode> given(ParseResult parsed, List<Setting<?>> settings) {
        Map<String, JsonNode> given = new LinkedHashMap<>();
        for (Setting<?> s : settings) {
            if (parsed.hasMatchedOption(s.flag())) {
                given.put(s.key(), TextNode.valueOf(parsed.matchedOptionValue(s.flag(), "")));
            }
        }
        return given;
    }

    /**
     * The check's configuration from the command line; a setting given where it does not apply (a
     * student setting without another architecture is fine; {@code --distill} under mse, an
     * activation of a linear model are not) is an error naming it.
     */
    static CheckConfig check(ParseResult parsed) {
        List<Setting<?>> settings = CheckConfig.allSettings();
        Map<String, JsonNode> given = given(parsed, settings);
        CheckConfig c = CheckConfig.read(given, FROM_TEXT);
        for (Setting<?> s : ModelFamilies.settings()) {
            if (given.containsKey(s.key()) && !c.teacher().family().settings().contains(s)) {
                throw new IllegalArgumentException(s.flag() + " is not a setting of a " + c.teacher().family().name()
                        + " model");
            }
            if (given.containsKey(s.key()) && !s.appliesTo(c.teacher().values())) {
                throw new IllegalArgumentException(s.flag() + " applies only when " + s.condition());
            }
            Setting<?> twin = ModelFamilies.student(s);
            if (given.containsKey(twin.key()) && !c.student().family().settings().contains(s)) {
                throw new IllegalArgumentException(twin.flag() + " is not a setting of a "
                        + c.student().family().name() + " model");
            }
        }
        for (Setting<?> s : CheckConfig.SETTINGS) {
            if (given.containsKey(s.key()) && !s.appliesTo(c.values())) {
                throw new IllegalArgumentException(s.flag() + " applies only when " + s.condition());
            }
        }
        return c;
    }

    /** Adds the check's settings as options to every command whose {@code @Command} names this transformer. */
    static final class CheckOptions implements CommandLine.IModelTransformer {
        @Override
        public CommandSpec transform(CommandSpec spec) {
            add(spec, CheckConfig.allSettings());
            return spec;
        }
    }

    /**
     * The settings {@code certify} takes: the families that have an interval form, with their
     * settings narrowed to what certificates support (the certifiable activations), no student of
     * another architecture, and ε described as what it is there (the point where {@code --exact}
     * checks its identity; interval certificates find their own range).
     */
    static List<Setting<?>> certifySettings() {
        List<String> families = ModelFamilies.all().stream().filter(f -> !f.certifiableSettings().isEmpty())
                .map(f -> f.name()).toList();
        List<Setting<?>> settings = new java.util.ArrayList<>();
        settings.add(ModelFamilies.MODEL.narrowed(dev.subliminal.spec.SettingType.name(() -> families)));
        Map<String, Setting<?>> family = new LinkedHashMap<>();
        for (var f : ModelFamilies.all()) {
            f.certifiableSettings().forEach(s -> family.putIfAbsent(s.key(), s));
        }
        settings.addAll(family.values());
        for (Setting<?> s : CheckConfig.SETTINGS) {
            settings.add(s == CheckConfig.EPSILON ? CheckConfig.EPSILON.withHelp("ε at which --exact checks its identity "
                    + "and compares the double-precision result; interval certificates find their own range (0, ε*] "
                    + "and do not use it") : s);
        }
        return List.copyOf(settings);
    }

    /**
     * The axes a sweep grid may list, one line each with its help, choices and default: the same
     * settings as {@code check}'s options (the key in camel case) and the regimes beyond the theorem.
     */
    private static final int HELP_WIDTH = 79;
    private static final int HELP_INDENT = 22;

    static List<String> axesHelp() {
        return axesHelp(dev.subliminal.simulation.sweep.SweepCell.axisSettings());
    }

    /** The help lines of these settings as axes: key, then help, wrapped. */
    static List<String> axesHelp(List<Setting<?>> settings) {
        List<String> lines = new java.util.ArrayList<>();
        for (Setting<?> s : settings) {
            String indent = " ".repeat(HELP_INDENT);
            String first = String.format(java.util.Locale.ROOT, "  %-" + (HELP_INDENT - 3) + "s ", s.key());
            String[] wrapped = dev.subliminal.reports.table.TextTable.wrap(help(s), HELP_WIDTH - HELP_INDENT).split("\n");
            for (int i = 0; i < wrapped.length; i++) {
                lines.add((i == 0 ? first : indent) + wrapped[i]);
            }
        }
        return lines;
    }

    /** The help of {@code sweep}: its axes and examples after the options. */
    static final class SweepHelp implements CommandLine.IModelTransformer {
        @Override
        public CommandSpec transform(CommandSpec spec) {
            List<String> footer = new java.util.ArrayList<>();
            footer.add("Axes (keys of a grid's axes; unlisted axes take their default; the grid format is in "
                    + "docs/sweeps.md):");
            footer.addAll(axesHelp());
            footer.add("");
            footer.add("Axes of a soft-label leakage grid (experiment: leakage; docs/sweeps.md):");
            footer.addAll(axesHelp(dev.subliminal.simulation.leakage.LeakageConfig.SETTINGS));
            footer.add("");
            footer.add("Examples:");
            footer.add("  ./subliminal sweep sweeps/epsilon.yaml --threads 2");
            footer.add("  ./subliminal sweep sweeps/theorem.yaml --shard 0/16 --out runs/theorem/shard-0.jsonl");
            footer.add("  ./subliminal summarize epsilon.jsonl --wide");
            spec.usageMessage().footer(footer.toArray(String[]::new));
            return spec;
        }
    }

    /** Adds {@link #certifySettings} as options ({@code certify}). */
    static final class CertifyOptions implements CommandLine.IModelTransformer {
        @Override
        public CommandSpec transform(CommandSpec spec) {
            add(spec, certifySettings());
            return spec;
        }
    }
}
