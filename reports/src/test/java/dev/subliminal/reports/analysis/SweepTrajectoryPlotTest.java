package dev.subliminal.reports.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.subliminal.reports.Fixtures;
import dev.subliminal.reports.plot.Plot;
import dev.subliminal.results.store.ResultsReader;
import java.util.List;
import org.jfree.chart.plot.XYPlot;
import org.jfree.data.xy.XYDataset;
import org.junit.jupiter.api.Test;

/**
 * A check sweep with trajectories ({@code recordEvery} &gt; 0, fixture {@code sweep-trajectory.jsonl}
 * written by {@code sweep}, its grid beside it): a figure per column, a line per cell whose points
 * are the means over seeds of the records' trajectories, recomputed here from the raw lines.
 */
class SweepTrajectoryPlotTest {

    @Test
    void eachCellsLineIsTheMeanOverSeedsOfItsRecordsTrajectories() {
        SweepAnalysis a = new SweepAnalysis();
        ResultsReader.read(Fixtures.of("sweep-trajectory.jsonl"), a);
        List<JsonNode> records = Fixtures.records(Fixtures.of("sweep-trajectory.jsonl"));
        List<Plot> plots = a.plots();
        assertThat(plots).extracting(Plot::name).contains("sweep-trajectory-cosine", "sweep-trajectory-gamma",
                "sweep-trajectory-signal", "sweep-trajectory-residual", "sweep-trajectory-traitloss");
        Plot gamma = plots.stream().filter(p -> p.name().equals("sweep-trajectory-gamma")).findFirst().orElseThrow();
        assertThat(gamma.caption()).contains("n = 5 seeds").contains("95% interval");
        XYDataset d = ((XYPlot) gamma.panels().get(0).plot()).getDataset();
        assertThat(d.getSeriesCount()).isEqualTo(2);
        for (int cell = 0; cell < 2; cell++) {
            int c = cell;
            // points at steps 2, 4, 6 (step 0 has no γ)
            for (int i = 0; i < 3; i++) {
                int k = i + 1;
                double mean = records.stream().filter(r -> r.get("cell").asInt() == c)
                        .mapToDouble(r -> r.at("/trajectory/gamma/" + k).doubleValue()).average().orElseThrow();
                assertThat(d.getXValue(cell, i)).isEqualTo(2.0 * k);
                assertThat(d.getYValue(cell, i)).isCloseTo(mean, within(1e-12 * Math.abs(mean)));
            }
        }
    }
}
