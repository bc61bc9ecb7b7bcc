package dev.subliminal.reports.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.subliminal.reports.Fixtures;
import dev.subliminal.reports.SweepFiles;
import dev.subliminal.reports.plot.Plot;
import dev.subliminal.results.check.CheckSchema;
import dev.subliminal.results.stats.ErrorScaling;
import dev.subliminal.results.stats.Histogram;
import dev.subliminal.results.store.ResultsReader;
import dev.subliminal.results.sweep.SweepSchema;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jfree.chart.plot.XYPlot;
import org.jfree.data.xy.IntervalXYDataset;
import org.jfree.data.xy.XYDataset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sweep's plots and table against counts made directly from the records. */
class SweepAnalysisTest {

    @TempDir
    Path dir;

    static SweepAnalysis read(Path file) {
        SweepAnalysis a = new SweepAnalysis();
        ResultsReader.read(file, a);
        return a;
    }

    static Plot plot(List<Plot> plots, String name) {
        return plots.stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow(
                () -> new AssertionError("no plot " + name + " in " + plots.stream().map(Plot::name).toList()));
    }

    static int series(XYDataset d, String key) {
        for (int s = 0; s < d.getSeriesCount(); s++) {
            if (d.getSeriesKey(s).equals(key)) {
                return s;
            }
        }
        throw new AssertionError("no series " + key);
    }

    @Test
    void cosineHistogramHasOneSeriesPerInitWithTheFractionOfSeedsPerBin() {
        Path file = Fixtures.of("sweep.jsonl");
        List<JsonNode> records = Fixtures.records(file);
        Plot p = plot(read(file).plots(), "cosine-histogram");
        IntervalXYDataset d = (IntervalXYDataset) p.chart().getXYPlot().getDataset();
        assertThat(d.getSeriesCount()).isEqualTo(3);
        for (String init : List.of("same", "perturbed", "independent")) {
            int s = series(d, "init = " + init);
            List<Double> cosines = records.stream().filter(r -> r.get("axes").get("init").asText().equals(init))
                    .map(r -> r.get("cosine").doubleValue()).toList();
            assertThat(d.getItemCount(s)).isEqualTo(SweepAnalysis.COSINE_BINS);
            double sum = 0;
            for (int b = 0; b < SweepAnalysis.COSINE_BINS; b++) {
                double lo = -1 + 0.05 * b;
                double hi = lo + 0.05;
                boolean last = b == SweepAnalysis.COSINE_BINS - 1;
                long count = cosines.stream().filter(c -> c >= lo && (c < hi || last && c <= hi)).count();
                assertThat(d.getStartXValue(s, b)).isCloseTo(lo, within(1e-12));
                assertThat(d.getYValue(s, b)).as("bin %d of %s", b, init)
                        .isCloseTo((double) count / cosines.size(), within(1e-12));
                sum += d.getYValue(s, b);
            }
            assertThat(sum).isCloseTo(1, within(1e-12));
        }
    }

    @Test
    void rateAgainstANumericAxisIsPooledPerInitWithWilsonBands() {
        Path file = Fixtures.of("sweep.jsonl");
        List<JsonNode> records = Fixtures.records(file);
        List<Plot> plots = read(file).plots();
        assertThat(plots).extracting(Plot::name).contains("positive-dot-by-perturbation", "positive-dot-by-epsilon",
                "positive-trait-part-by-perturbation", "below-control-by-epsilon");
        XYPlot xy = plot(plots, "positive-trait-part-by-perturbation").chart().getXYPlot();
        IntervalXYDataset d = (IntervalXYDataset) xy.getDataset();
        for (String init : List.of("same", "perturbed", "independent")) {
            int s = series(d, "init = " + init);
            double[] xs = {0.01, 0.1, 1.0};
            assertThat(d.getItemCount(s)).isEqualTo(3);
            for (int i = 0; i < xs.length; i++) {
                double x = xs[i];
                List<JsonNode> cell = records.stream().filter(r -> r.get("axes").get("init").asText().equals(init)
                        && r.get("axes").get("perturbation").doubleValue() == x).toList();
                long k = cell.stream().filter(r -> r.get("traitPart").doubleValue() > 0).count();
                double[] w = Fixtures.wilson95(k, cell.size());
                assertThat(cell).hasSize(36);
                assertThat(d.getXValue(s, i)).isEqualTo(x);
                assertThat(d.getYValue(s, i)).isCloseTo((double) k / cell.size(), within(1e-15));
                assertThat(d.getStartYValue(s, i)).isCloseTo(w[0], within(1e-12));
                assertThat(d.getEndYValue(s, i)).isCloseTo(w[1], within(1e-12));
            }
        }
        assertThat(xy.getDomainAxis()).isInstanceOf(org.jfree.chart.axis.LogAxis.class);
    }

    @Test
    void tableHasACellPerRowWithItsRates() {
        Path file = Fixtures.of("sweep.jsonl");
        Table t = read(file).tables().get(0);
        assertThat(t.rows()).hasSize(27);
        assertThat(t.header()).startsWith("cell", "init", "perturbation", "epsilon", "seeds");
        assertThat(t.note()).contains("activation = tanh");
        List<JsonNode> cell5 = Fixtures.records(file).stream().filter(r -> r.get("cell").intValue() == 5).toList();
        long k = cell5.stream().filter(r -> r.get("dot").doubleValue() > 0).count();
        double[] w = Fixtures.wilson95(k, cell5.size());
        assertThat(t.rows().get(5).get(4)).isEqualTo("12");
        assertThat(t.rows().get(5).get(5)).isEqualTo(String.format(Locale.ROOT, "%.3f [%.3f, %.3f]",
                (double) k / 12, w[0], w[1]));
    }

    /**
     * A sweep over ε whose errors follow exact power laws, times a per-seed factor: the relative
     * error 0.37·ε·u and the absolute error 2.1·ε²·u. The fits must give slopes 1 and 2.
     */
    @Test
    void errorPlotsFitTheSlopesOfExactPowerLaws() throws IOException {
        double[] eps = {1e-5, 1e-4, 1e-3, 1e-2};
        SweepFiles f = new SweepFiles(SweepFiles.object().set("epsilon", SweepFiles.values(1e-5, 1e-4, 1e-3, 1e-2)),
                1, 5);
        for (double e : eps) {
            int c = f.cell(SweepFiles.object().put("epsilon", e));
            for (int seed = 1; seed <= 5; seed++) {
                double u = 1 + 0.3 * seed;
                ObjectNode r = f.record(c, seed, e);
                CheckSchema.ABSOLUTE_ERROR.put(r, 2.1 * e * e * u);
                CheckSchema.RELATIVE_ERROR.put(r, 0.37 * e * u);
            }
        }
        SweepAnalysis a = read(f.write(dir.resolve("eps.jsonl")));
        ErrorScaling errors = a.summary().errors();
        assertThat(errors.fit(ErrorScaling.Quantity.RELATIVE).slope()).isCloseTo(1, within(1e-9));
        assertThat(errors.fit(ErrorScaling.Quantity.ABSOLUTE).slope()).isCloseTo(2, within(1e-9));
        assertThat(a.summary().convergence()).hasSize(1);
        assertThat(a.summary().convergence().get(0).slope().mean()).isCloseTo(2, within(1e-9));
        List<Plot> plots = a.plots();
        XYPlot rel = plot(plots, "relative-error").chart().getXYPlot();
        double geo = 1;
        for (int seed = 1; seed <= 5; seed++) {
            geo *= 1 + 0.3 * seed;
        }
        geo = Math.pow(geo, 0.2);
        for (int i = 0; i < eps.length; i++) {
            assertThat(rel.getDataset(0).getXValue(0, i)).isEqualTo(eps[i]);
            assertThat(rel.getDataset(0).getYValue(0, i)).isCloseTo(0.37 * eps[i] * geo, within(1e-12 * eps[i]));
        }
        assertThat((String) rel.getDataset(1).getSeriesKey(0)).isEqualTo("fit: slope 1.000 (expected 1)");
        assertThat(plot(plots, "absolute-error").caption()).contains("slope 2", "O(ε²)");
        Map<String, Histogram> h = a.cosineHistograms();
        assertThat(h.keySet()).containsExactly("all seeds");
        assertThat(h.get("all seeds").count(30)).isEqualTo(20);
    }

    @Test
    void multiStepRunsAddTheRatesAfterTheLastStep() throws IOException {
        SweepFiles f = new SweepFiles(SweepFiles.object().set("steps", SweepFiles.values(1, 10)), 1, 4);
        f.cell(SweepFiles.object().put("steps", 1));
        int cell = f.cell(SweepFiles.object().put("steps", 10));
        for (int seed = 1; seed <= 4; seed++) {
            ObjectNode r = f.record(cell, seed, 0.01);
            CheckSchema.TRAIT_PART.put(r, Double.NaN);
            ObjectNode end = SweepSchema.END.putObject(r);
            CheckSchema.DOT.put(end, seed <= 3 ? 1.0 : -1.0);
            CheckSchema.COSINE.put(end, 0.1);
            CheckSchema.TRAIT_PART.put(end, Double.NaN);
            CheckSchema.TRAIT_LOSS_STUDENT.put(end, 0.5);
            CheckSchema.TRAIT_LOSS_CONTROL.put(end, 0.6);
            CheckSchema.TRAIT_DROPS_BELOW_CONTROL.put(end, seed <= 2);
        }
        Table t = read(f.write(dir.resolve("steps.jsonl"))).tables().get(0);
        assertThat(t.header()).endsWith("after last step: Δ_S·Δ_T > 0", "after last step: L_T below control");
        double[] w3 = Fixtures.wilson95(3, 4);
        double[] w2 = Fixtures.wilson95(2, 4);
        assertThat(t.rows().get(0)).containsExactly("1", "10", "4", "1.000 [0.510, 1.000]", "n/a",
                "1.000 [0.510, 1.000]", "0.500 [0.500, 0.500]", "n/a",
                String.format(Locale.ROOT, "%.3f [%.3f, %.3f]", 0.75, w3[0], w3[1]),
                String.format(Locale.ROOT, "%.3f [%.3f, %.3f]", 0.5, w2[0], w2[1]));
        // a record whose axes are not its cell's, and a grid whose cells disagree with its axes
        String text = Files.readString(dir.resolve("steps.jsonl"));
        Path wrong = Files.writeString(dir.resolve("wrong.jsonl"), text.replaceFirst(
                "\"axes\":\\{\"steps\":10\\},\"seed\":2", "\"axes\":{\"steps\":\"one\"},\"seed\":2"));
        assertThatThrownBy(() -> read(wrong)).hasMessage(wrong + " line 3: field \"axes\" is {\"steps\":\"one\"}, "
                + "but cell 1 of the grid is {\"steps\":10}");
        Path inconsistent = Files.writeString(dir.resolve("inconsistent.jsonl"), text.replace("\"steps\":10", "\"steps\":\"one\""));
        assertThatThrownBy(() -> read(inconsistent)).hasMessage(inconsistent + " line 2: axis \"steps\" is \"one\", "
                + "but config.axes lists [1, 10]");
    }

    @Test
    void namedCellsGetOneBarPerRateWithWilsonWhiskersAndNoSinglePointRateLines() throws IOException {
        SweepFiles f = new SweepFiles(SweepFiles.object().<ObjectNode>set("init", SweepFiles.values("same", "perturbed"))
                .<ObjectNode>set("perturbation", SweepFiles.values(0.0, 0.1)).set("epsilon", SweepFiles.values(1.0E-4)), 0, 4)
                .names("same init", "perturbed init");
        // cell 0: 3 of 4 dots positive; cell 1: 1 of 4, the trait part undefined once
        double[][] dots = {{1, 2, -1, 3}, {-1, -2, 5, -3}};
        for (int cell = 0; cell < 2; cell++) {
            f.cell(SweepFiles.object().put("init", cell == 0 ? "same" : "perturbed").put("perturbation", cell == 0 ? 0.0 : 0.1)
                    .put("epsilon", 1.0E-4));
            for (int seed = 0; seed < 4; seed++) {
                double dot = dots[cell][seed];
                ObjectNode r = f.record(cell, seed, 1.0E-4);
                CheckSchema.DOT.put(r, dot);
                CheckSchema.TRAIT_PART.put(r, cell == 1 && seed == 0 ? Double.NaN : dot);
            }
        }
        Path file = f.write(dir.resolve("named.jsonl"));
        SweepAnalysis a = read(file);
        List<Plot> plots = a.plots();
        assertThat(plots.stream().map(Plot::name)).contains("rates-per-cell", "cosine-histogram")
                .noneMatch(n -> n.contains("-by-perturbation"));
        Map<String, List<dev.subliminal.reports.plot.Charts.Bar>> bars = a.rateBars();
        List<dev.subliminal.reports.plot.Charts.Bar> dot = bars.get("rate of Δ_S·Δ_T > 0");
        assertThat(dot.get(0).value()).isEqualTo(0.75);
        assertThat(dot.get(1).value()).isEqualTo(0.25);
        // Wilson 95% for 3/4, closed form with z = 1.959963984540054
        double z = 1.959963984540054;
        double n = 4;
        double p = 0.75;
        double centre = (p + z * z / (2 * n)) / (1 + z * z / n);
        double half = z / (1 + z * z / n) * Math.sqrt(p * (1 - p) / n + z * z / (4 * n * n));
        assertThat(dot.get(0).lo()).isCloseTo(centre - half, within(1e-12));
        assertThat(dot.get(0).hi()).isCloseTo(centre + half, within(1e-12));
        List<dev.subliminal.reports.plot.Charts.Bar> trait = bars.get("rate of (Δ_S − Δ_S^c)·Δ_T > 0");
        assertThat(trait.get(1).value()).isEqualTo(1.0 / 3); // 1 of the 3 defined
        assertThat(a.tables().get(0).rows().get(1)).contains("perturbed init");
    }

    @Test
    void aLogAxisLeavesOutCellsAtZeroInsteadOfBreaking() throws IOException {
        SweepFiles f = new SweepFiles(SweepFiles.object().<ObjectNode>set("init", SweepFiles.values("same", "perturbed"))
                .set("perturbation", SweepFiles.values(0.001, 0.1, 1.0)), 1, 1);
        String[] init = {"same", "perturbed", "perturbed", "perturbed"};
        double[] sigma = {0, 0.001, 0.1, 1.0};
        for (int cell = 0; cell < 4; cell++) {
            f.cell(SweepFiles.object().put("init", init[cell]).put("perturbation", sigma[cell]));
            f.record(cell, 1, 1.0E-4);
        }
        Path file = f.write(dir.resolve("sigma.jsonl"));
        Plot p = plot(read(file).plots(), "positive-dot-by-perturbation");
        XYPlot xy = p.chart().getXYPlot();
        assertThat(xy.getDomainAxis()).isInstanceOf(org.jfree.chart.axis.LogAxis.class);
        XYDataset d = xy.getDataset();
        assertThat(d.getSeriesCount()).isEqualTo(1);
        assertThat(d.getItemCount(0)).isEqualTo(3);
        for (int item = 0; item < 3; item++) {
            assertThat(d.getXValue(0, item)).isEqualTo(sigma[item + 1]);
        }
        assertThat(p.caption()).contains("off the log axis");
    }
}
