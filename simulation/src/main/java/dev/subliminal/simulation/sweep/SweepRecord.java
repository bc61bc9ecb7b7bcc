package dev.subliminal.simulation.sweep;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.subliminal.simulation.check.CheckConfig;

/**
 * The JSON record of one (cell, seed) in a {@value #SCHEMA} results file ({@code docs/results.md}):
 * {@code key}, {@code cell}, {@code axes}, {@code seed}, {@code epsilon}, {@code alpha}, then the
 * first step's numbers, for K_S > 1 {@code end}, and {@code kinks} (counts of pre-activations exactly
 * at a kink on the trait and student inputs) only when there are any, so that smooth cases' lines are
 * unchanged. A unit whose check failed (a non-finite update)
 * has {@code failure} with the message instead of the numbers. NaN is written as null.
 */
public final class SweepRecord {

    /** The schema name of sweep results files. */
    public static final String SCHEMA = "subliminal.sweep/1";

    private SweepRecord() {
    }

    /** The record of a unit that ran. */
    public static ObjectNode of(SweepGrid grid, long unit, RegimeResult r) {
        ObjectNode o = head(grid, unit);
        outcome(o, r.first());
        number(o, "firstOrder", r.firstOrder());
        number(o, "absoluteError", r.absoluteError());
        number(o, "relativeError", r.relativeError());
        number(o, "traitLossBefore", r.traitLossBefore());
        if (r.end() != null) {
            outcome(o.putObject("end"), r.end());
        }
        if (r.kinks().any()) {
            o.putObject("kinks").put("traitInputs", r.kinks().traitInputs())
                    .put("studentInputs", r.kinks().studentInputs());
        }
        return o;
    }

    private static void outcome(ObjectNode o, RegimeResult.Outcome f) {
        number(o, "dot", f.dot());
        number(o, "cosine", f.cosine());
        number(o, "traitPart", f.traitPart());
        number(o, "traitLossStudent", f.traitLossStudent());
        number(o, "traitLossControl", f.traitLossControl());
        o.put("traitDropsBelowControl", f.traitDropsBelowControl());
    }

    /** The record of a unit whose check failed. */
    public static ObjectNode failure(SweepGrid grid, long unit, String message) {
        ObjectNode o = head(grid, unit);
        o.put("failure", message);
        return o;
    }

    private static ObjectNode head(SweepGrid grid, long unit) {
        int cell = grid.cellOf(unit);
        SweepCell c = grid.cells().get(cell);
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("key", grid.key(unit));
        o.put("cell", cell);
        o.set("axes", c.axes());
        o.put("seed", grid.seedOf(unit));
        o.put("epsilon", c.check().get(CheckConfig.EPSILON));
        o.put("alpha", c.check().get(CheckConfig.ALPHA));
        return o;
    }

    private static void number(ObjectNode o, String name, double v) {
        if (Double.isNaN(v)) {
            o.putNull(name);
        } else {
            o.put(name, v);
        }
    }
}
