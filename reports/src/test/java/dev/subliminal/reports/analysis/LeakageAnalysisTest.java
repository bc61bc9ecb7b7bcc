package dev.subliminal.reports.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.subliminal.reports.Fixtures;
import dev.subliminal.reports.plot.Plot;
import dev.subliminal.results.stats.Proportion;
import dev.subliminal.results.store.ResultsReader;
import java.util.List;
import java.util.Locale;
import org.jfree.chart.plot.XYPlot;
import org.jfree.data.xy.XYDataset;
import org.junit.jupiter.api.Test;

/**
 * A leakage sweep written by {@code sweep} (fixture {@code leakage-sweep.jsonl}, its grid beside it):
 * the plotted held-out accuracies are each cell's mean over seeds, recomputed here from the raw lines,
 * one panel per model (never pooled), and the table's pooled hits match a Wilson interval computed here.
 */
class LeakageAnalysisTest {

    private static LeakageAnalysis read() {
        LeakageAnalysis a = new LeakageAnalysis();
        ResultsReader.read(Fixtures.of("leakage-sweep.jsonl"), a);
        return a;
    }

    private static double mean(List<JsonNode> records, String model, int samples, double temperature, String field) {
        return records.stream().filter(r -> r.at("/axes/model").asText().equals(model)
                && r.at("/axes/samples").asInt() == samples && r.at("/axes/temperature").asDouble() == temperature)
                .mapToDouble(r -> r.get(field).doubleValue()).average().orElseThrow();
    }

    @Test
    void heldOutAccuracyAgainstTIsEachCellsMeanOverSeedsWithAPanelPerModel() {
        List<JsonNode> records = Fixtures.records(Fixtures.of("leakage-sweep.jsonl"));
        List<Plot> plots = read().plots();
        assertThat(plots).extracting(Plot::name).containsExactly("leakage-accuracy");
        Plot p = plots.get(0);
        assertThat(p.caption()).contains("n = 3 seeds", "95% interval", "a colour per sample count", "dimension 5");
        assertThat(p.panels()).hasSize(2);
        String[] models = {"logistic", "mlp"};
        for (int panel = 0; panel < 2; panel++) {
            XYDataset d = ((XYPlot) p.panels().get(panel).plot()).getDataset();
            // samples 8 (soft, hard), samples 16 (soft, hard), chance
            assertThat(d.getSeriesCount()).isEqualTo(5);
            assertThat(d.getSeriesKey(0)).isEqualTo("samples 8, soft labels");
            assertThat(d.getSeriesKey(3)).isEqualTo("samples 16, hard labels");
            for (int i = 0; i < 2; i++) {
                double t = i == 0 ? 0.5 : 5;
                assertThat(d.getXValue(0, i)).isEqualTo(t);
                assertThat(d.getYValue(0, i)).isCloseTo(mean(records, models[panel], 8, t, "student"), within(1e-12));
                assertThat(d.getYValue(3, i)).isCloseTo(mean(records, models[panel], 16, t, "hardLabel"), within(1e-12));
            }
            assertThat(d.getYValue(4, 0)).isEqualTo(1.0 / 3);
        }
    }

    @Test
    void theTableHasARowPerCellWithPooledWilsonHits() {
        List<JsonNode> records = Fixtures.records(Fixtures.of("leakage-sweep.jsonl"));
        Table t = read().tables().get(0);
        assertThat(t.rows()).hasSize(8);
        assertThat(t.header().subList(0, 3)).containsExactly("model", "samples", "temperature");
        List<String> row = t.rows().get(7); // mlp, samples 16, T = 5
        assertThat(row.subList(0, 3)).containsExactly("mlp", "16", "5");
        long hits = records.stream().filter(r -> r.get("cell").asInt() == 7)
                .mapToLong(r -> Math.round(r.get("student").doubleValue() * r.get("heldOutPoints").asLong())).sum();
        double[] w = Proportion.of(hits, 30).wilson95();
        assertThat(row.get(6)).isEqualTo(String.format(Locale.ROOT, "%.3f [%.3f, %.3f]", hits / 30.0, w[0], w[1]));
    }
}
