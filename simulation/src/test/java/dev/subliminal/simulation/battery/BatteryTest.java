package dev.subliminal.simulation.battery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.subliminal.simulation.check.CheckCase;
import dev.subliminal.theory.check.CheckResult;
import java.util.List;
import org.junit.jupiter.api.Test;

class BatteryTest {

    @Test
    void resultsDoNotDependOnTheThreadCount() {
        List<BatteryRow> rows = Battery.standard();
        List<RowSummary> one = Battery.run(rows, 11, 24, 1);
        List<RowSummary> two = Battery.run(rows, 11, 24, 2);
        // record equality compares the medians with Double.compare, i.e. bit for bit
        assertThat(two).isEqualTo(one);
    }

    @Test
    void summaryCountsMatchTheIndividualChecks() {
        BatteryRow row = Battery.standard().get(4);
        int seeds = 30;
        RowSummary s = Battery.run(List.of(row), 100, seeds, 2).get(0);
        int positive = 0;
        int drops = 0;
        for (int i = 0; i < seeds; i++) {
            CheckResult r = new CheckCase(row.config(), 100 + i).run();
            positive += r.traitPart() > 0 ? 1 : 0;
            drops += r.traitLossStudent() < r.traitLossControl() ? 1 : 0;
        }
        assertThat(s.positiveTraitPart().successes()).isEqualTo(positive);
        assertThat(s.dropsBelowControl().successes()).isEqualTo(drops);
        assertThat(s.seeds()).isEqualTo(seeds);
    }

    @Test
    void otherArchitectureRowsHaveNoParameterSpaceComparison() {
        BatteryRow row = Battery.standard().get(Battery.standard().size() - 1);
        assertThat(row.config().otherArchitecture()).isTrue();
        RowSummary s = Battery.run(List.of(row), 1, 5, 1).get(0);
        assertThat(s.positiveDot().trials()).isZero();
        assertThat(s.dropsBelowControl().trials()).isEqualTo(5);
    }
}
