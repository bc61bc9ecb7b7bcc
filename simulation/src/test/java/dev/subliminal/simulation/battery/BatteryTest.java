package dev.subliminal.simulation.battery;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.subliminal.simulation.check.CheckCase;
import dev.subliminal.results.store.ResultStore;
import dev.subliminal.results.sweep.SweepSchema;
import dev.subliminal.simulation.sweep.Shard;
import dev.subliminal.simulation.sweep.SweepGrid;
import dev.subliminal.simulation.sweep.SweepRecord;
import dev.subliminal.simulation.sweep.SweepRunner;
import dev.subliminal.results.sweep.SweepSummary;
import dev.subliminal.theory.check.CheckResult;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BatteryTest {

    @TempDir
    Path dir;

    private SweepSummary run(List<BatteryRow> rows, long first, int seeds) {
        SweepGrid grid = Battery.grid(rows, first, seeds);
        Path file = dir.resolve("battery-" + first + "-" + rows.size() + ".jsonl");
        ObjectMapper mapper = new ObjectMapper();
        try (ResultStore store = ResultStore.open(file, SweepSchema.SCHEMA, grid.config(Shard.all()),
                mapper.createObjectNode())) {
            SweepRunner.run(grid, Shard.all(), store, 2, (done, total) -> { });
        }
        return SweepSummary.of(file);
    }

    @Test
    void eachRowIsOneCellWhoseCountsMatchTheIndividualChecks() {
        List<BatteryRow> rows = Battery.standard();
        int seeds = 12;
        SweepSummary s = run(rows, 100, seeds);
        assertThat(s.cells()).hasSize(rows.size());
        for (int row = 0; row < rows.size(); row++) {
            int dot = 0;
            int trait = 0;
            int drops = 0;
            for (int i = 0; i < seeds; i++) {
                CheckResult r = new CheckCase(rows.get(row).config(), 100 + i).run();
                dot += r.dot() > 0 ? 1 : 0;
                trait += r.traitPart() > 0 ? 1 : 0;
                drops += r.traitLossStudent() < r.traitLossControl() ? 1 : 0;
            }
            SweepSummary.Cell c = s.cells().get(row);
            assertThat(c.index()).isEqualTo(row);
            assertThat(c.dropsBelowControl().successes()).as(rows.get(row).label()).isEqualTo(drops);
            if (rows.get(row).config().otherArchitecture()) {
                assertThat(c.positiveDot().trials()).isZero();
                assertThat(c.positiveTraitPart().trials()).isZero();
            } else {
                assertThat(c.positiveDot().successes()).as(rows.get(row).label()).isEqualTo(dot);
                assertThat(c.positiveTraitPart().successes()).as(rows.get(row).label()).isEqualTo(trait);
                assertThat(c.positiveTraitPart().trials()).isEqualTo(seeds);
            }
        }
    }
}
