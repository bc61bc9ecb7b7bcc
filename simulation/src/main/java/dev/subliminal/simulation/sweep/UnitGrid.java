package dev.subliminal.simulation.sweep;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A grid of cells × seeds whose units u = cell·count + (seed − first) are written one record each,
 * in increasing u, to a results file (sweeps of the check, sweeps of the MNIST experiment): what
 * sharding and {@link SweepMerge} need to know of it.
 */
public interface UnitGrid {

    /** The number of units, cells × seeds. */
    long units();

    /** The record key of unit u. */
    String key(long unit);

    /** The header's configuration, with the shard when n &gt; 1. */
    ObjectNode config(Shard shard);
}
