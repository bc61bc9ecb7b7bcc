package dev.subliminal.simulation.sweep;

import dev.subliminal.simulation.check.CheckConfig;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.subliminal.results.store.Header;
import dev.subliminal.results.sweep.SweepSchema;
import dev.subliminal.results.sweep.SweepSummary;
import org.junit.jupiter.api.Test;

/** The sweep summary of records written by the real record writer, against the numbers put into them. */
class SweepSummaryTest {

    @Test
    void cellRatesAndTheOrderOfConvergenceComeFromTheRecords() {
        // absolute error = c_seed·ε^2 exactly in log space up to rounding: every per-seed slope is 2
        SweepGrid grid = SweepGridTest.grid("seeds: 4\naxes:\n  epsilon: [1e-3, 1e-2, 1e-1]\n  init: [same]\n");
        SweepSummary.Accumulator records = new SweepSummary.Accumulator();
        records.header(new Header(null, SweepSchema.NAME, grid.config(Shard.all()), MissingNode.getInstance()));
        for (long u = 0; u < grid.units(); u++) {
            int cell = grid.cellOf(u);
            double eps = grid.cells().get(cell).check().get(CheckConfig.EPSILON);
            long seed = grid.seedOf(u);
            double err = seed * eps * eps;
            RegimeResult.Outcome first = new RegimeResult.Outcome(seed == 1 ? -1 : 1, 0.1 * seed, 1, 1, seed == 4 ? 0 : 2);
            ObjectNode r = SweepRecord.of(grid, u, new RegimeResult(1, first, 1, err, err, null));
            records.record(r);
        }
        SweepSummary s = records.summary();
        assertThat(s.cells()).hasSize(3);
        SweepSummary.Cell c = s.cells().get(1);
        assertThat(c.label()).isEqualTo("epsilon=0.01");
        assertThat(c.positiveDot().successes()).isEqualTo(3);
        assertThat(c.dropsBelowControl().successes()).isEqualTo(3);
        assertThat(c.cosine().mean()).isCloseTo(0.25, within(1e-15));
        assertThat(c.medianCosine()).isCloseTo(0.25, within(1e-15));
        assertThat(c.endPositiveDot()).isNull();
        assertThat(s.convergence()).hasSize(1);
        SweepSummary.Convergence order = s.convergence().get(0);
        assertThat(order.epsilons()).containsExactly(1e-3, 1e-2, 1e-1);
        assertThat(order.slope().count()).isEqualTo(4);
        assertThat(order.slope().mean()).isCloseTo(2, within(1e-12));
        assertThat(order.slope().upper() - order.slope().lower()).isLessThan(1e-10);
    }
}
