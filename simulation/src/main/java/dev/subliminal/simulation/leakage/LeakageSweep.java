package dev.subliminal.simulation.leakage;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.subliminal.results.leakage.LeakageSchema;
import dev.subliminal.results.schema.Field;
import dev.subliminal.results.schema.Schema;
import dev.subliminal.results.store.ResultStore;
import dev.subliminal.results.sweep.SweepSchema;
import dev.subliminal.simulation.sweep.Shard;
import dev.subliminal.simulation.sweep.SweepRunner;

/**
 * Runs a shard of a leakage sweep into a results store ({@value LeakageSchema#NAME}) through the sweeps'
 * one runner ({@link SweepRunner#run(dev.subliminal.simulation.sweep.UnitGrid, Shard, ResultStore, int,
 * java.util.function.LongFunction, SweepRunner.Listener)}): units in parallel, records appended in
 * increasing unit order, so a killed run resumes with the rest and the file does not depend on the
 * thread count.
 */
public final class LeakageSweep {

    private LeakageSweep() {
    }

    /** Runs the units of {@code shard} missing from {@code store} on {@code threads} threads. */
    public static void run(LeakageGrid grid, Shard shard, ResultStore store, int threads, SweepRunner.Listener listener) {
        SweepRunner.run(grid, shard, store, threads, u -> record(grid, u), listener);
    }

    /** The record of one unit. */
    public static ObjectNode record(LeakageGrid grid, long unit) {
        int cell = grid.cellOf(unit);
        LeakageRun.Result r = LeakageRun.run(grid.cells().get(cell), grid.seedOf(unit));
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        Schema.KEY.put(o, grid.key(unit));
        SweepSchema.CELL.put(o, cell);
        SweepSchema.AXES.set(o, LeakageGrid.axes(grid.cells().get(cell)));
        SweepSchema.SEED.put(o, grid.seedOf(unit));
        LeakageSchema.HELD_OUT.put(o, r.heldOut());
        Field.putAll(o, LeakageSchema.FRACTIONS, r.teacherAccuracy(), r.teacherHeldOut(), r.student(), r.agreement(),
                r.hardLabel(), r.labelEntropy());
        return o;
    }
}
