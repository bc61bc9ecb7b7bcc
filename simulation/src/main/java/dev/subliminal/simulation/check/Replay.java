package dev.subliminal.simulation.check;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.subliminal.simulation.check.CheckCase;
import dev.subliminal.simulation.check.CheckConfig;
import dev.subliminal.simulation.sweep.Regime;
import dev.subliminal.simulation.sweep.SweepCell;
import dev.subliminal.spec.Architecture;
import dev.subliminal.spec.ModelFamilies;
import dev.subliminal.spec.Setting;
import dev.subliminal.spec.Values;
import java.nio.file.Path;

/**
 * The command lines that reproduce a case, derived from the settings: {@code ./subliminal check}
 * with the model's settings, the student's when it differs, then every check setting that applies
 * and is either always written or changed from its default; or, for a regime the check has no
 * options for, a one-cell, one-seed sweep grid.
 */
public final class Replay {

    private Replay() {
    }

    /** {@code ./subliminal check ...} for a case whose student inputs are drawn, not read from a file. */
    public static String check(CheckCase c) {
        return check(c, null);
    }

    /** {@code ./subliminal check ...}; with {@code data} the student inputs are read from that file. */
    public static String check(CheckCase c, Path data) {
        CheckConfig config = c.config();
        StringBuilder s = new StringBuilder("./subliminal check");
        flag(s, ModelFamilies.MODEL, config.teacher().family().name());
        flags(s, config.teacher(), false);
        if (config.otherArchitecture()) {
            flag(s, ModelFamilies.STUDENT_MODEL, config.student().family().name());
            flags(s, config.student(), true);
        }
        Values v = config.values();
        for (Setting<?> setting : CheckConfig.SETTINGS) {
            if (data != null && (setting == CheckConfig.INPUTS || setting == CheckConfig.SAMPLES)) {
                continue;
            }
            write(s, setting, v);
        }
        if (data != null) {
            s.append(" --data ").append(data);
        }
        return s.append(" --seed ").append(c.seed()).toString();
    }

    /**
     * A command that replays a case under a regime: the check's line in the theorem's regime, else a
     * one-cell, one-seed sweep grid written to {@code case.json}.
     */
    public static String run(CheckCase c, Regime regime) {
        if (regime.equals(Regime.theorem())) {
            return check(c);
        }
        ObjectNode grid = JsonNodeFactory.instance.objectNode();
        grid.putObject("seeds").put("first", c.seed()).put("count", 1);
        grid.set("axes", new SweepCell(c.config(), regime).axes());
        return "echo '" + grid + "' > case.json && ./subliminal sweep case.json";
    }

    private static void flags(StringBuilder s, Architecture a, boolean student) {
        for (Setting<?> setting : a.family().settings()) {
            write(s, setting, a.values(), student);
        }
    }

    private static <T> void write(StringBuilder s, Setting<T> setting, Values v) {
        write(s, setting, v, false);
    }

    /** Writes {@code setting}'s value from {@code v} under its own flag or its student twin's. */
    private static <T> void write(StringBuilder s, Setting<T> setting, Values v, boolean student) {
        T value = v.get(setting);
        if (!setting.appliesTo(v)
                || setting.replay() == Setting.Replay.IF_CHANGED && value.equals(setting.defaultValue())) {
            return;
        }
        flag(s, student ? ModelFamilies.student(setting) : setting, value);
    }

    private static <T> void flag(StringBuilder s, Setting<T> setting, T value) {
        s.append(' ').append(setting.flag()).append(' ').append(setting.format(value));
    }
}
