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
        CategoryDataset d = plots.get(0).chart().getCategoryPlot().getDataset();
        assertThat(d.getRowCount()).isEqualTo(2);
        assertThat(d.getColumnCount()).isEqualTo(6);
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
            assertThat(bars.get(0).get(c).hi() - mean).as(arm).isCloseTo(half, within(1e-12));
            assertThat(mean - bars.get(0).get(c).lo()).as(arm).isCloseTo(half, within(1e-12));
            assertThat(d.getValue(1, c).doubleValue()).as(arm).isEqualTo(paper[c]);
        }
        assertThat(bars.get(1).get(2).hi() - 0.53).isCloseTo(0.02, within(1e-15));
        Table t = a.tables().get(0);
        assertThat(t.rows()).hasSize(6);
        assertThat(t.rows().get(2).get(3)).isEqualTo("0.5300 ± 0.02");
        assertThat(t.rows().get(0).get(4)).isEqualTo("n/a");
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
