package dev.subliminal.simulation.sweep;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The JSON record of one (cell, seed) in a {@value #SCHEMA} results file ({@code docs/results.md}):
 * {@code key}, {@code cell}, {@code axes}, {@code seed}, {@code epsilon}, {@code alpha}, then the
 * first step's numbers and, for K_S > 1, {@code end}. A unit whose check failed (a non-finite update)
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
        RegimeResult.Outcome f = r.first();
        number(o, "dot", f.dot());
        number(o, "cosine", f.cosine());
        number(o, "traitPart", f.traitPart());
        number(o, "firstOrder", r.firstOrder());
        number(o, "absoluteError", r.absoluteError());
        number(o, "relativeError", r.relativeError());
        number(o, "traitLossBefore", r.traitLossBefore());
        number(o, "traitLossStudent", f.traitLossStudent());
        number(o, "traitLossControl", f.traitLossControl());
        o.put("traitDropsBelowControl", f.traitDropsBelowControl());
        if (r.end() != null) {
            RegimeResult.Outcome e = r.end();
            ObjectNode end = o.putObject("end");
            number(end, "dot", e.dot());
            number(end, "cosine", e.cosine());
            number(end, "traitPart", e.traitPart());
            number(end, "traitLossStudent", e.traitLossStudent());
            number(end, "traitLossControl", e.traitLossControl());
            end.put("traitDropsBelowControl", e.traitDropsBelowControl());
        }
        return o;
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
        o.put("epsilon", c.check().epsilon());
        o.put("alpha", c.check().alpha());
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
