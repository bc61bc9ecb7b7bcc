package dev.subliminal.simulation.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.subliminal.simulation.check.CheckConfig;
import dev.subliminal.spec.Setting;
import dev.subliminal.spec.Values;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One cell of a sweep grid: a check configuration and a training regime.
 *
 * @param check the architectures, losses, inputs, ε and α
 * @param regime the steps, the student's optimizer, weight decay and labels
 */
public record SweepCell(CheckConfig check, Regime regime) {

    /** The value of the student's model axes meaning "as the teacher". */
    public static final String SAME = "same";

    /** Every axis a grid may name, in grid order (the first varies slowest): the check's, then the regime's. */
    public static List<Setting<?>> axisSettings() {
        List<Setting<?>> all = new ArrayList<>(CheckConfig.allSettings());
        all.addAll(Regime.SETTINGS);
        return List.copyOf(all);
    }

    /**
     * The cell for one value per named axis, each already in its setting's JSON form; an axis whose
     * value is {@value #SAME} (a student axis) is as the teacher's.
     */
    public static SweepCell of(Map<String, JsonNode> point) {
        Map<String, JsonNode> given = new java.util.LinkedHashMap<>(point);
        given.values().removeIf(v -> v.isTextual() && v.textValue().equals(SAME));
        CheckConfig check = CheckConfig.read(given, Setting::fromJson);
        Values regime = Values.empty();
        for (Setting<?> s : Regime.SETTINGS) {
            regime = put(regime, s, given.get(s.key()));
        }
        return new SweepCell(check, Regime.of(regime));
    }

    private static <T> Values put(Values v, Setting<T> s, JsonNode node) {
        return node == null ? v : v.with(s, s.fromJson(node));
    }

    /**
     * Every axis's value for this cell, in axis order, as the configuration normalizes it: e.g.
     * {@code perturbation} is 0 unless the init is perturbed, {@code temperature} 1 and
     * {@code distill} 0 under squared error, and the student axes name the student's actual architecture.
     */
    public ObjectNode axes() {
        ObjectNode o = check.axes();
        o.setAll(regime.toJson());
        return o;
    }
}
