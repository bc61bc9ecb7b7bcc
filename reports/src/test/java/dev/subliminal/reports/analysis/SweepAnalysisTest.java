package dev.subliminal.reports.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.subliminal.reports.Fixtures;
import dev.subliminal.reports.SweepFiles;
import dev.subliminal.reports.plot.Charts;
import dev.subliminal.reports.plot.GridPlot;
import dev.subliminal.reports.plot.Palette;
import dev.subliminal.reports.plot.Plot;
import dev.subliminal.results.check.CheckSchema;
import dev.subliminal.results.store.ResultsReader;
import dev.subliminal.results.sweep.SweepSchema;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jfree.chart.plot.CategoryPlot;
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

    /** The dataset of panel {@code i} of a small-multiples figure. */
    static XYDataset panel(Plot p, int i) {
        return ((XYPlot) p.panels().get(i).plot()).getDataset();
    }

    static int panelIndex(Plot p, String title) {
        for (int i = 0; i < p.panels().size(); i++) {
            if (p.panels().get(i).title().equals(title)) {
                return i;
            }
        }
        throw new AssertionError("no panel " + title + " in " + p.panels().stream().map(x -> x.title()).toList());
    }

    @Test
    void cosineHistogramsHaveOnePanelPerCellWithTheFractionOfItsSeedsPerBin() {
        Path file = Fixtures.of("sweep.jsonl");
        List<JsonNode> records = Fixtures.records(file);
        Plot p = plot(read(file).plots(), "cosine-histograms");
        assertThat(p.panels()).hasSize(27);
        assertThat(p.caption()).contains("n = 12 seeds per cell", "One panel per cell");
        for (int cell = 0; cell < 27; cell++) {
            int c = cell;
            List<Double> cosines = records.stream().filter(r -> r.get("cell").intValue() == c)
                    .map(r -> r.get("cosine").doubleValue()).toList();
            IntervalXYDataset d = (IntervalXYDataset) panel(p, cell);
            assertThat(d.getSeriesCount()).isEqualTo(1);
            assertThat(d.getItemCount(0)).isEqualTo(SweepAnalysis.COSINE_BINS);
            double sum = 0;
            for (int b = 0; b < SweepAnalysis.COSINE_BINS; b++) {
                double lo = -1 + 0.05 * b;
                double hi = lo + 0.05;
                boolean last = b == SweepAnalysis.COSINE_BINS - 1;
                long count = cosines.stream().filter(x -> x >= lo && (x < hi || last && x <= hi)).count();
                assertThat(d.getStartXValue(0, b)).isCloseTo(lo, within(1e-12));
                assertThat(d.getYValue(0, b)).as("bin %d of cell %d", b, cell)
                        .isCloseTo((double) count / cosines.size(), within(1e-12));
                sum += d.getYValue(0, b);
            }
            assertThat(sum).isCloseTo(1, within(1e-12));
        }
        assertThat(p.panels().get(0).title()).isEqualTo("same init, σ = 0.01, ε = 1e-4");
    }

    @Test
    void ratesAgainstANumericAxisKeepEveryOtherSettingApartWithWilsonBands() {
        Path file = Fixtures.of("sweep.jsonl");
        List<JsonNode> records = Fixtures.records(file);
        List<Plot> plots = read(file).plots();
        assertThat(plots).extracting(Plot::name).contains("rates-by-perturbation", "rates-by-epsilon");
        Plot p = plot(plots, "rates-by-perturbation");
        // one panel per rate and per ε: nothing pooled over ε
        assertThat(p.panels()).hasSize(3 * 3);
        for (double eps : new double[] {1e-4, 1e-3, 1e-2}) {
            String e = eps == 1e-4 ? "1e-4" : eps == 1e-3 ? "0.001" : "0.01";
            XYDataset d = panel(p, panelIndex(p, "(Δ_S − Δ_S^c)·Δ_T > 0, ε = " + e));
            IntervalXYDataset band = (IntervalXYDataset) d;
            for (String init : List.of("same", "perturbed", "independent")) {
                int s = series(d, init + " init");
                double[] xs = {0.01, 0.1, 1.0};
                assertThat(d.getItemCount(s)).isEqualTo(3);
                for (int i = 0; i < xs.length; i++) {
                    double x = xs[i];
                    List<JsonNode> cell = records.stream().filter(r -> r.get("axes").get("init").asText().equals(init)
                            && r.get("axes").get("perturbation").doubleValue() == x
                            && r.get("axes").get("epsilon").doubleValue() == eps).toList();
                    long k = cell.stream().filter(r -> r.get("traitPart").doubleValue() > 0).count();
                    double[] w = Fixtures.wilson95(k, cell.size());
                    assertThat(cell).hasSize(12);
                    assertThat(d.getXValue(s, i)).isEqualTo(x);
                    assertThat(d.getYValue(s, i)).isCloseTo((double) k / cell.size(), within(1e-15));
                    assertThat(band.getStartYValue(s, i)).isCloseTo(w[0], within(1e-12));
                    assertThat(band.getEndYValue(s, i)).isCloseTo(w[1], within(1e-12));
                }
            }
        }
        assertThat(((XYPlot) p.panels().get(0).plot()).getDomainAxis()).isInstanceOf(org.jfree.chart.axis.LogAxis.class);
        assertThat(p.caption()).contains("Wilson 95%", "n = 12 seeds per cell", "one panel per event and per setting of "
                + "teacher step size");
    }

    @Test
    void tableLeadsWithTheResultsAfterTheCellsName() {
        Path file = Fixtures.of("sweep.jsonl");
        Table t = read(file).tables().get(0);
        assertThat(t.rows()).hasSize(27);
        assertThat(t.header()).startsWith("cell", "Δ_S·Δ_T > 0 [95% CI]", "trait part > 0 [95% CI]",
                "L_T below control [95% CI]").endsWith("mean cos [95% CI]", "median rel. err [95% CI]");
        assertThat(t.note()).contains("activation tanh");
        List<JsonNode> cell5 = Fixtures.records(file).stream().filter(r -> r.get("cell").intValue() == 5).toList();
        long k = cell5.stream().filter(r -> r.get("dot").doubleValue() > 0).count();
        double[] w = Fixtures.wilson95(k, cell5.size());
        assertThat(t.rows().get(5).get(0)).isEqualTo("5: same init, σ = 0.1, ε = 0.01");
        assertThat(t.note()).contains("over the 12 seeds of each cell");
        assertThat(t.rows().get(5).get(1)).isEqualTo(String.format(Locale.ROOT, "%.3f [%.3f, %.3f]",
                (double) k / 12, w[0], w[1]));
        double[] rel = cell5.stream().mapToDouble(r -> r.get("relativeError").doubleValue()).sorted().toArray();
        // 12 values: ranks (3, 10) cover the median with 1 − 2·P(B ≤ 2) = 1 − 2·79/4096 = 96.1%
        assertThat(t.rows().get(5).get(5)).isEqualTo(String.format(Locale.ROOT, "%.3g [%.3g, %.3g]",
                (rel[5] + rel[6]) / 2, rel[2], rel[9]));
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
        assertThat(a.summary().convergence()).hasSize(1);
        assertThat(a.summary().convergence().get(0).slope().mean()).isCloseTo(2, within(1e-9));
        Plot p = plot(a.plots(), "first-order-error");
        assertThat(p.panels()).hasSize(2);
        // the median of u = 1.3, 1.6, 1.9, 2.2, 2.5 is 1.9; 5 values are too few for a 95% interval
        XYPlot rel = (XYPlot) p.panels().get(0).plot();
        XYPlot abs = (XYPlot) p.panels().get(1).plot();
        for (int i = 0; i < eps.length; i++) {
            assertThat(rel.getDataset(0).getXValue(0, i)).isEqualTo(eps[i]);
            assertThat(rel.getDataset(0).getYValue(0, i)).isCloseTo(0.37 * eps[i] * 1.9, within(1e-12 * eps[i]));
            assertThat(abs.getDataset(0).getYValue(0, i)).isCloseTo(2.1 * eps[i] * eps[i] * 1.9,
                    within(1e-12 * eps[i] * eps[i]));
        }
        assertThat(p.caption()).contains("all cells: relative 1.000", "absolute 2.000", "n = 5 seeds per cell");
        assertThat(a.cosineHistograms()).hasSize(4);
        assertThat(a.cosineHistograms().get(0).count(30)).isEqualTo(5);
    }

    @Test
    void multiStepRunsAreJudgedAfterTheLastStepInTheirOwnTableAndPlot() throws IOException {
        SweepFiles f = new SweepFiles(SweepFiles.object().set("studentSteps", SweepFiles.values(1, 10)), 1, 4);
        f.cell(SweepFiles.object().put("studentSteps", 1));
        int cell = f.cell(SweepFiles.object().put("studentSteps", 10));
        for (int seed = 1; seed <= 4; seed++) {
            ObjectNode first = f.record(0, seed, 0.01);
            CheckSchema.DOT.put(first, seed == 1 ? -1.0 : 1.0); // 3 of 4 after the one step
            ObjectNode r = f.record(cell, seed, 0.01);
            CheckSchema.TRAIT_PART.put(r, Double.NaN);
            ObjectNode end = SweepSchema.END.putObject(r);
            CheckSchema.DOT.put(end, seed <= 2 ? 1.0 : -1.0);
            CheckSchema.COSINE.put(end, 0.1);
            CheckSchema.TRAIT_PART.put(end, Double.NaN);
            CheckSchema.TRAIT_LOSS_STUDENT.put(end, 0.5);
            CheckSchema.TRAIT_LOSS_CONTROL.put(end, 0.6);
            CheckSchema.TRAIT_DROPS_BELOW_CONTROL.put(end, seed <= 2);
        }
        SweepAnalysis a = read(f.write(dir.resolve("steps.jsonl")));
        List<Table> tables = a.tables();
        assertThat(tables.get(0).header()).doesNotContain("after last step: Δ_S·Δ_T > 0");
        Table end = tables.get(1);
        assertThat(end.title()).contains("last step");
        double[] w2 = Fixtures.wilson95(2, 4);
        String half = String.format(Locale.ROOT, "%.3f [%.3f, %.3f]", 0.5, w2[0], w2[1]);
        assertThat(end.rows()).containsExactly(List.of("1: K_S = 10", "4", half, "n/a", half));
        // the plot against K_S shows what changes with K_S: the rates after the last step
        Plot p = plot(a.plots(), "rates-by-student-steps");
        XYDataset dot = panel(p, 0);
        assertThat(dot.getXValue(0, 0)).isEqualTo(1.0);
        assertThat(dot.getYValue(0, 0)).isEqualTo(0.75);
        assertThat(dot.getXValue(0, 1)).isEqualTo(10.0);
        assertThat(dot.getYValue(0, 1)).isEqualTo(0.5);
        assertThat(p.caption()).contains("after the student's last step");
        // a record whose axes are not its cell's, and a grid whose cells disagree with its axes
        String text = Files.readString(dir.resolve("steps.jsonl"));
        Path wrong = Files.writeString(dir.resolve("wrong.jsonl"), text.replaceFirst(
                "\"axes\":\\{\"studentSteps\":10\\},\"seed\":2", "\"axes\":{\"studentSteps\":\"one\"},\"seed\":2"));
        assertThatThrownBy(() -> read(wrong)).hasMessage(wrong + " line 5: field \"axes\" is {\"studentSteps\":\"one\"}, "
                + "but cell 1 of the grid is {\"studentSteps\":10}");
        Path inconsistent = Files.writeString(dir.resolve("inconsistent.jsonl"), text.replace("\"studentSteps\":10",
                "\"studentSteps\":\"one\""));
        assertThatThrownBy(() -> read(inconsistent)).hasMessage(inconsistent + " line 3: axis \"studentSteps\" is \"one\", "
                + "but config.axes lists [1, 10]");
    }

    @Test
    void namedCellsGetOneBarPerCellInEachRatesPanelColouredByInit() throws IOException {
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
        assertThat(plots.stream().map(Plot::name)).contains("rates", "cosine-histograms")
                .noneMatch(n -> n.contains("-by-"));
        Plot rates = plot(plots, "rates");
        assertThat(rates.panels()).extracting(GridPlot.Panel::title).containsExactly("Δ_S·Δ_T > 0",
                "(Δ_S − Δ_S^c)·Δ_T > 0", "L_T(θ_S) < L_T(control)");
        CategoryPlot dotPanel = (CategoryPlot) rates.panels().get(0).plot();
        assertThat(dotPanel.getDataset().getValue(0, 0).doubleValue()).isEqualTo(0.75);
        assertThat(dotPanel.getDataset().getValue(0, 1).doubleValue()).isEqualTo(0.25);
        assertThat(dotPanel.getRenderer().getItemPaint(0, 0)).isEqualTo(Palette.SAME);
        assertThat(dotPanel.getRenderer().getItemPaint(0, 1)).isEqualTo(Palette.PERTURBED);
        // Wilson 95% for 3/4, closed form with z = 1.959963984540054
        double z = 1.959963984540054;
        double n = 4;
        double p = 0.75;
        double centre = (p + z * z / (2 * n)) / (1 + z * z / n);
        double half = z / (1 + z * z / n) * Math.sqrt(p * (1 - p) / n + z * z / (4 * n * n));
        Charts.Bar bar = SweepAnalysis.bar(a.summary().cells().get(0).positiveDot());
        assertThat(bar.lo()).isCloseTo(centre - half, within(1e-12));
        assertThat(bar.hi()).isCloseTo(centre + half, within(1e-12));
        CategoryPlot traitPanel = (CategoryPlot) rates.panels().get(1).plot();
        assertThat(traitPanel.getDataset().getValue(0, 1).doubleValue()).isEqualTo(1.0 / 3); // 1 of the 3 defined
        assertThat(a.tables().get(0).rows().get(1).get(0)).isEqualTo("1: perturbed init");
        assertThat(rates.caption()).contains("n = 4 seeds per row", "Wilson 95%");
    }

    @Test
    void aSettingWithNoPointOnTheLogAxisIsDrawnAsALevelAcrossIt() throws IOException {
        SweepFiles f = new SweepFiles(SweepFiles.object().<ObjectNode>set("init", SweepFiles.values("same", "perturbed"))
                .set("perturbation", SweepFiles.values(0.001, 0.1, 1.0)), 1, 1);
        String[] init = {"same", "perturbed", "perturbed", "perturbed"};
        double[] sigma = {0, 0.001, 0.1, 1.0};
        for (int cell = 0; cell < 4; cell++) {
            f.cell(SweepFiles.object().put("init", init[cell]).put("perturbation", sigma[cell]));
            ObjectNode r = f.record(cell, 1, 1.0E-4);
            CheckSchema.DOT.put(r, cell == 2 ? -1.0 : 1.0);
        }
        Path file = f.write(dir.resolve("sigma.jsonl"));
        Plot p = plot(read(file).plots(), "rates-by-perturbation");
        XYPlot xy = (XYPlot) p.panels().get(0).plot();
        assertThat(xy.getDomainAxis()).isInstanceOf(org.jfree.chart.axis.LogAxis.class);
        XYDataset d = xy.getDataset();
        int perturbed = series(d, "perturbed init");
        assertThat(d.getItemCount(perturbed)).isEqualTo(3);
        for (int item = 0; item < 3; item++) {
            assertThat(d.getXValue(perturbed, item)).isEqualTo(sigma[item + 1]);
        }
        assertThat(d.getYValue(perturbed, 1)).isZero();
        int same = series(d, "same init (one setting: a level)");
        assertThat(d.getXValue(same, 0)).isEqualTo(0.001);
        assertThat(d.getXValue(same, 1)).isEqualTo(1.0);
        assertThat(d.getYValue(same, 0)).isEqualTo(1.0);
        assertThat(p.caption()).contains("dashed level");
    }
}
