package dev.subliminal.simulation.sweep;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.subliminal.results.check.CheckSchema;
import dev.subliminal.results.schema.Field;
import dev.subliminal.results.schema.Schema;
import dev.subliminal.results.sweep.SweepSchema;
import dev.subliminal.simulation.check.CheckConfig;

/**
 * The JSON record of one (cell, seed) in a {@value SweepSchema#NAME} results file
 * ({@code docs/results.md}, fields declared in {@link SweepSchema}): {@code key}, {@code cell},
 * {@code axes}, {@code seed}, {@code epsilon}, {@code alpha}, then the first step's numbers, for
 * K_S > 1 {@code end}, and {@code kinks} (counts of pre-activations exactly at a kink on the trait and
 * student inputs) only when there are any, so that smooth cases' lines are unchanged. A unit whose
 * check failed (a non-finite update) has {@code failure} with the message instead of the numbers. NaN
 * is written as null.
 */
public final class SweepRecord {

    private SweepRecord() {
    }

    /** The record of a unit that ran. */
    public static ObjectNode of(SweepGrid grid, long unit, RegimeResult r) {
        ObjectNode o = head(grid, unit);
        outcome(o, r.first());
        Field.putAll(o, SweepSchema.PREDICTION, r.firstOrder(), r.absoluteError(), r.relativeError(),
                r.traitLossBefore());
        if (r.end() != null) {
            outcome(SweepSchema.END.putObject(o), r.end());
        }
        if (r.trajectory() != null) {
            SweepSchema.putColumns(SweepSchema.TRAJECTORY.putObject(o), SweepSchema.TRAJECTORY_COLUMNS,
                    r.trajectory().stream().map(p -> new double[] {p.step(), p.dot(), p.cosine(), p.gamma(), p.signal(),
                        p.residual(), p.traitLoss()}).toList());
        }
        if (r.kinks().any()) {
            o.putObject("kinks").put("traitInputs", r.kinks().traitInputs())
                    .put("studentInputs", r.kinks().studentInputs());
        }
        return o;
    }

    private static void outcome(ObjectNode o, RegimeResult.Outcome f) {
        Field.putAll(o, SweepSchema.OUTCOME_NUMBERS, f.dot(), f.cosine(), f.traitPart(), f.traitLossStudent(),
                f.traitLossControl());
        CheckSchema.TRAIT_DROPS_BELOW_CONTROL.put(o, f.traitDropsBelowControl());
    }

    /** The record of a unit whose check failed. */
    public static ObjectNode failure(SweepGrid grid, long unit, String message) {
        ObjectNode o = head(grid, unit);
        SweepSchema.FAILURE.put(o, message);
        return o;
    }

    private static ObjectNode head(SweepGrid grid, long unit) {
        int cell = grid.cellOf(unit);
        SweepCell c = grid.cells().get(cell);
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        Schema.KEY.put(o, grid.key(unit));
        SweepSchema.CELL.put(o, cell);
        SweepSchema.AXES.set(o, c.axes());
        SweepSchema.SEED.put(o, grid.seedOf(unit));
        SweepSchema.EPSILON.put(o, c.check().get(CheckConfig.EPSILON));
        SweepSchema.ALPHA.put(o, c.check().get(CheckConfig.ALPHA));
        return o;
    }
}
