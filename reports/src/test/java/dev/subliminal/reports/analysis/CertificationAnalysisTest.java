package dev.subliminal.reports.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.subliminal.reports.Fixtures;
import dev.subliminal.reports.plot.Plot;
import dev.subliminal.results.store.ResultsReader;
import java.util.ArrayList;
import java.util.List;
import org.jfree.data.xy.IntervalXYDataset;
import org.junit.jupiter.api.Test;

/** The ε* distribution of a certify batch and a certificate, counted in quarter decades. */
class CertificationAnalysisTest {

    @Test
    void histogramCountsEveryCertifiedEpsilonStarInItsQuarterDecade() {
        CertificationAnalysis a = new CertificationAnalysis();
        ResultsReader.read(Fixtures.of("certify.jsonl"), a);
        ResultsReader.read(Fixtures.of("certificate.json"), a);
        List<Double> eps = new ArrayList<>();
        for (JsonNode r : Fixtures.records(Fixtures.of("certify.jsonl"))) {
            if (r.get("certified").booleanValue()) {
                eps.add(r.get("epsilonStar").doubleValue());
            }
        }
        eps.add(3.5e-4);
        assertThat(eps).hasSize(28);
        Plot p = a.plots().get(0);
        assertThat(p.caption()).contains("28 certified cases", "3 cases without a certificate");
        IntervalXYDataset d = (IntervalXYDataset) p.chart().getXYPlot().getDataset();
        double total = 0;
        for (int b = 0; b < d.getItemCount(0); b++) {
            double lo = d.getStartXValue(0, b);
            double hi = d.getEndXValue(0, b);
            assertThat(hi - lo).isCloseTo(0.25, within(1e-12));
            long count = eps.stream().filter(e -> Math.log10(e) >= lo && Math.log10(e) < hi).count();
            assertThat(d.getYValue(0, b)).as("bin [%s, %s)", lo, hi).isEqualTo((double) count);
            total += d.getYValue(0, b);
        }
        assertThat(total).isEqualTo(28);
        assertThat(d.getYValue(0, 0)).isPositive();
        assertThat(d.getYValue(0, d.getItemCount(0) - 1)).isPositive();
        Table t = a.tables().get(0);
        assertThat(t.rows()).hasSize(3);
        double[] w = Fixtures.wilson95(27, 30);
        assertThat(t.rows().get(0).get(2)).isEqualTo(String.format(java.util.Locale.ROOT, "%.3f [%.3f, %.3f]",
                0.9, w[0], w[1]));
        assertThat(t.rows().get(1)).containsExactly("certificate.json", "1", "1.000 [0.207, 1.000]", "0.0003500",
                "0.0003500", "0.0003500");
        assertThat(t.rows().get(2).get(1)).isEqualTo("31");
    }
}
