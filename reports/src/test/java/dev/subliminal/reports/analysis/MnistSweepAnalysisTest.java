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
 * An MNIST sweep written by {@code sweep} (fixture {@code mnist-sweep.jsonl}, its grid beside it):
 * the plotted accuracies and trajectory bands are the means over seeds of the records, recomputed
 * here from the raw lines, and the predictor table holds Spearman's ρ as an independent ranking gives it.
 */
class MnistSweepAnalysisTest {

    private static MnistSweepAnalysis read() {
        MnistSweepAnalysis a = new MnistSweepAnalysis();
        ResultsReader.read(Fixtures.of("mnist-sweep.jsonl"), a);
        return a;
    }

    private static double mean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s / v.length;
    }

    @Test
    void accuracyAgainstMIsEachCellsMeanOverSeeds() {
        MnistSweepAnalysis a = read();
        List<JsonNode> records = Fixtures.records(Fixtures.of("mnist-sweep.jsonl"));
        List<Plot> plots = a.plots();
        assertThat(plots).extracting(Plot::name).contains("mnist-sweep-accuracy", "mnist-trajectory-cosine",
                "mnist-trajectory-gamma", "mnist-trajectory-classaccuracy", "mnist-sweep-predictors");
        Plot accuracy = plots.stream().filter(p -> p.name().equals("mnist-sweep-accuracy")).findFirst().orElseThrow();
        assertThat(accuracy.caption()).contains("n = 3 seeds").contains("95% interval").contains("width 8");
        XYDataset d = ((XYPlot) accuracy.panels().get(0).plot()).getDataset();
        assertThat(d.getSeriesCount()).isEqualTo(4);
        assertThat(d.getSeriesKey(0)).isEqualTo("student aux");
        for (int i = 0; i < 2; i++) {
            int m = i == 0 ? 2 : 4;
            double expected = mean(records.stream().filter(r -> r.at("/axes/aux").asInt() == m)
                    .mapToDouble(r -> r.at("/arms/student-aux/accuracy").doubleValue()).toArray());
            assertThat(d.getXValue(0, i)).isEqualTo(m);
            assertThat(d.getYValue(0, i)).isCloseTo(expected, within(1e-12));
        }
        Plot cosine = plots.stream().filter(p -> p.name().equals("mnist-trajectory-cosine")).findFirst().orElseThrow();
        assertThat(cosine.panels()).hasSize(2);
        XYDataset t = ((XYPlot) cosine.panels().get(1).plot()).getDataset();
        // cell 1 (m = 4), cross-aux is the third arm; step 1 is its first point (step 0 has no cosine)
        assertThat(t.getSeriesKey(2)).isEqualTo("cross aux");
        double expected = mean(records.stream().filter(r -> r.get("cell").asInt() == 1)
                .mapToDouble(r -> r.at("/arms/cross-aux/trajectory/cosine/1").doubleValue()).toArray());
        assertThat(t.getXValue(2, 0)).isEqualTo(1.0);
        assertThat(t.getYValue(2, 0)).isCloseTo(expected, within(1e-12));
    }

    @Test
    void thePredictorTableHoldsSpearmansRhoOfTheAuxOnlyStudents() {
        MnistSweepAnalysis a = read();
        List<JsonNode> records = Fixtures.records(Fixtures.of("mnist-sweep.jsonl"));
        Table predictors = a.tables().get(1);
        assertThat(predictors.title()).isEqualTo("What predicts transfer");
        List<String> row = predictors.rows().stream().filter(r -> r.get(0).equals("head alignment")
                && r.get(1).equals("all aux-only")).findFirst().orElseThrow();
        double[] x = records.stream().flatMap(r -> java.util.stream.Stream.of(r.at("/arms/student-aux"),
                r.at("/arms/cross-aux"))).mapToDouble(n -> n.get("headAlignment").doubleValue()).toArray();
        double[] y = records.stream().flatMap(r -> java.util.stream.Stream.of(r.at("/arms/student-aux"),
                r.at("/arms/cross-aux"))).mapToDouble(n -> n.get("accuracy").doubleValue()).toArray();
        assertThat(row.get(2)).isEqualTo("12");
        assertThat(Double.parseDouble(row.get(3).split(" ")[0])).isCloseTo(spearman(x, y), within(5e-4));
    }

    /** ρ with average ranks for ties, written out independently of the code under test. */
    private static double spearman(double[] x, double[] y) {
        double[] rx = ranks(x);
        double[] ry = ranks(y);
        double mx = mean(rx);
        double my = mean(ry);
        double sxy = 0;
        double sxx = 0;
        double syy = 0;
        for (int i = 0; i < x.length; i++) {
            sxy += (rx[i] - mx) * (ry[i] - my);
            sxx += (rx[i] - mx) * (rx[i] - mx);
            syy += (ry[i] - my) * (ry[i] - my);
        }
        return sxy / Math.sqrt(sxx * syy);
    }

    private static double[] ranks(double[] v) {
        double[] r = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            int below = 0;
            int equal = 0;
            for (double w : v) {
                below += w < v[i] ? 1 : 0;
                equal += w == v[i] ? 1 : 0;
            }
            r[i] = below + (equal + 1) / 2.0;
        }
        return r;
    }
}
