package dev.subliminal.simulation.sweep;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.subliminal.results.sweep.SweepSchema;
import java.util.List;

/**
 * A grid of cells × seeds whose units u = cell·count + (seed − first) are written one record each,
 * in increasing u, to a results file (sweeps of the check, sweeps of the MNIST experiment): what
 * sharding and {@link SweepMerge} need to know of it.
 */
public interface UnitGrid {

    /** The grid's cells, in unit order. */
    List<?> cells();

    /** The first seed of every cell. */
    long firstSeed();

    /** Seeds per cell. */
    int seedCount();

    /** The number of units, cells × seeds. */
    default long units() {
        return (long) cells().size() * seedCount();
    }

    /** The cell of unit u. */
    default int cellOf(long unit) {
        return (int) (unit / seedCount());
    }

    /** The seed of unit u. */
    default long seedOf(long unit) {
        return firstSeed() + unit % seedCount();
    }

    /** The record key of unit u. */
    default String key(long unit) {
        return SweepSchema.key(cellOf(unit), seedOf(unit));
    }

    /** The header's configuration, with the shard when n &gt; 1. */
    ObjectNode config(Shard shard);
}
