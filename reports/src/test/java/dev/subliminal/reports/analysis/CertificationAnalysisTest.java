package dev.subliminal.reports.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.subliminal.reports.Fixtures;
import dev.subliminal.reports.plot.Plot;
import dev.subliminal.results.store.ResultsReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jfree.data.xy.IntervalXYDataset;
import org.junit.jupiter.api.Test;

/**
 * The ε* distribution of a certify batch and of certificates written by {@code certify --out} (an
 * interval one with two certified claims, an exact one certified for every ε), counted in quarter
 * decades against the ε* read straight from the files.
 */
class CertificationAnalysisTest {

    @Test
    void histogramCountsEveryCertifiedEpsilonStarInItsQuarterDecade() throws IOException {
        CertificationAnalysis a = new CertificationAnalysis();
        ResultsReader.read(Fixtures.of("certify.jsonl"), a);
        ResultsReader.read(Fixtures.of("certificate.json"), a);
        ResultsReader.read(Fixtures.of("certificate-exact.json"), a);
        List<Double> eps = new ArrayList<>();
        for (JsonNode r : Fixtures.records(Fixtures.of("certify.jsonl"))) {
            if (r.get("certified").booleanValue()) {
                eps.add(r.get("epsilonStar").doubleValue());
            }
        }
        int batch = eps.size();
        JsonNode certificate = new ObjectMapper().readTree(Fixtures.of("certificate.json").toFile());
        for (JsonNode claim : certificate.get("claims")) {
            assertThat(claim.get("certified").booleanValue()).isTrue();
            eps.add(claim.get("epsilonStar").doubleValue());
        }
        assertThat(eps).hasSize(batch + 2);
        Plot p = a.plots().get(0);
        assertThat(p.caption()).contains(eps.size() + " certified cases", "3 cases without a certificate",
                "1 exact claims, certified for every ε");
        IntervalXYDataset d = (IntervalXYDataset) ((org.jfree.chart.plot.XYPlot) p.panels().get(0).plot()).getDataset();
        double total = 0;
        for (int b = 0; b < d.getItemCount(0); b++) {
            double lo = d.getStartXValue(0, b);
            double hi = d.getEndXValue(0, b);
            assertThat(hi - lo).isCloseTo(0.25, within(1e-12));
            long count = eps.stream().filter(e -> Math.log10(e) >= lo && Math.log10(e) < hi).count();
            assertThat(d.getYValue(0, b)).as("bin [%s, %s)", lo, hi).isEqualTo((double) count);
            total += d.getYValue(0, b);
        }
        assertThat(total).isEqualTo(eps.size());
        Table t = a.tables().get(0);
        assertThat(t.rows()).hasSize(4);
        double[] w = Fixtures.wilson95(27, 30);
        assertThat(t.rows().get(0).get(2)).isEqualTo(String.format(Locale.ROOT, "%.3f [%.3f, %.3f]", 0.9, w[0], w[1]));
        double e0 = eps.get(batch);
        double e1 = eps.get(batch + 1);
        assertThat(t.rows().get(1)).containsExactly("certificate.json", "2", "1.000 [0.342, 1.000]",
                Table.number(Math.sqrt(e0 * e1)), Table.number(Math.min(e0, e1)), Table.number(Math.max(e0, e1)));
        assertThat(t.rows().get(2)).containsExactly("certificate-exact.json", "1", "1.000 [0.207, 1.000]", "n/a",
                "n/a", "n/a");
        assertThat(t.rows().get(3).get(1)).isEqualTo("33");
    }
}
