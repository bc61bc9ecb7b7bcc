package dev.subliminal.experiments.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Soft-label leakage as a kind of {@code sweep}: shards merge to the single run's bytes, a rerun
 * resumes, {@code summarize} reprints the table, {@code report} renders the plot, and a bad grid is one
 * line naming the setting.
 */
class LeakageSweepCommandTest {

    private static final String TINY = "experiment: leakage\nseeds: 3\naxes:\n  model: [logistic, mlp]\n"
            + "  dimension: 5\n  classes: 3\n  width: 6\n  samples: [8, 16]\n  heldOut: 10\n  temperature: [0.5, 5]\n"
            + "  teacherSteps: 40\n  studentSteps: 40\n  lr: 0.05\n";

    @TempDir
    Path dir;

    private static List<String> records(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        return lines.subList(1, lines.size());
    }

    @Test
    void shardsMergeToTheSingleRunsBytesAndTheReportPlotsIt() throws IOException {
        Path g = Files.writeString(dir.resolve("leak.yaml"), TINY);
        Path whole = dir.resolve("whole.jsonl");
        MainTest.Run single = MainTest.run("sweep", g.toString(), "--out", whole.toString(), "--threads", "2");
        assertThat(single.status()).as(single.err()).isZero();
        assertThat(single.out()).contains("leakage sweep " + g + ": 8 cells × 3 seeds (1..3); 24 units")
                .contains("student hits").contains("chance");
        assertThat(records(whole)).hasSize(24);
        assertThat(records(whole).get(0)).startsWith("{\"key\":\"0/1\",\"cell\":0,\"axes\":{\"model\":\"logistic\",")
                .contains("\"heldOutPoints\":10,\"teacherAccuracy\":");
        MainTest.Run again = MainTest.run("sweep", g.toString(), "--out", whole.toString(), "--threads", "1");
        assertThat(again.out()).contains("(resuming: 24 done)");
        assertThat(records(whole)).hasSize(24);
        Files.createDirectory(dir.resolve("parts"));
        for (int k = 0; k < 2; k++) {
            MainTest.Run s = MainTest.run("sweep", g.toString(), "--shard", k + "/2", "--threads", "1", "--out",
                    dir.resolve("parts/l." + k + ".jsonl").toString());
            assertThat(s.status()).as(s.err()).isZero();
        }
        Path merged = dir.resolve("merged.jsonl");
        MainTest.Run m = MainTest.run("merge", dir.resolve("parts").toString(), "--out", merged.toString());
        assertThat(m.status()).as(m.err()).isZero();
        assertThat(m.out()).contains("merged 2 shard files, 24 records");
        assertThat(records(merged)).isEqualTo(records(whole));
        MainTest.Run summary = MainTest.run("summarize", merged.toString());
        assertThat(summary.status()).as(summary.err()).isZero();
        assertThat(single.out()).contains(summary.out());
        Path report = dir.resolve("report");
        MainTest.Run r = MainTest.run("report", merged.toString(), "--out", report.toString());
        assertThat(r.status()).as(r.err()).isZero();
        String html = Files.readString(report.resolve("index.html"));
        assertThat(html).contains("Soft-label leakage sweep merged.jsonl", "Held-out memorised accuracy per cell",
                "leakage-accuracy");
    }

    @Test
    void aBadLeakageGridNamesTheSettingInOneLine() throws IOException {
        Path g = Files.writeString(dir.resolve("bad.yaml"), "experiment: leakage\nseeds: 2\naxes:\n  temperature: [1, hot]\n");
        MainTest.Run r = MainTest.run("sweep", g.toString(), "--out", dir.resolve("r.jsonl").toString());
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).startsWith("subliminal sweep: grid " + g + ": axes.temperature").doesNotContain("\tat ");
        assertThat(dir.resolve("r.jsonl")).doesNotExist();
    }
}
