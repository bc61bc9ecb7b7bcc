package dev.subliminal.experiments.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * MNIST as a kind of {@code sweep}: shards merge to the single run's bytes, a run killed with SIGKILL
 * resumes to the uninterrupted run's bytes (on another thread count), a teacher is trained once per
 * seed however many cells share it, and {@code summarize} reprints the tables.
 */
class MnistSweepCommandTest {

    /** A tiny network and few steps, so that a unit takes a fraction of a second. */
    private static final String TINY = "  width: 8\n  noiseImages: 64\n  batch: 32\n  epochs: 1\n  students: aux\n"
            + "  recordEvery: 1\n  ntkInputs: 2\n";

    @TempDir
    Path dir;

    private Path grid(String name, String yaml) throws IOException {
        return Files.writeString(dir.resolve(name), yaml);
    }

    private static List<String> records(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        return lines.subList(1, lines.size());
    }

    @Test
    void shardsMergeToTheSingleRunsBytesAndTeachersAreSharedAcrossCells() throws IOException {
        Path g = grid("m.yaml", "experiment: mnist\nseeds: 2\naxes:\n  aux: [2, 3]\n  loss: [ce, mse]\n" + TINY);
        Path whole = dir.resolve("whole.jsonl");
        MainTest.Run single = MainTest.run("sweep", g.toString(), "--out", whole.toString(), "--threads", "1");
        assertThat(single.status()).as(single.err()).isZero();
        // 2 m × 2 losses × 2 seeds = 8 units; the loss does not change the teacher: 2 m × 2 seeds teachers
        assertThat(single.out()).contains("4 cells × 2 seeds (1..2); 8 units").contains("(4 teachers trained)")
                .contains("Spearman");
        assertThat(records(whole)).hasSize(8);
        assertThat(records(whole).get(0)).startsWith("{\"key\":\"0/1\",\"cell\":0,\"axes\":{\"aux\":2,")
                .contains("\"arms\":{\"student-aux\":{\"accuracy\":").contains("\"trajectory\":{\"step\":[0,1,2]");
        Files.createDirectory(dir.resolve("parts"));
        for (int k = 0; k < 3; k++) {
            MainTest.Run s = MainTest.run("sweep", g.toString(), "--shard", k + "/3", "--threads", "2", "--out",
                    dir.resolve("parts/m." + k + ".jsonl").toString());
            assertThat(s.status()).as(s.err()).isZero();
        }
        Path merged = dir.resolve("merged.jsonl");
        MainTest.Run m = MainTest.run("merge", dir.resolve("parts").toString(), "--out", merged.toString());
        assertThat(m.status()).as(m.err()).isZero();
        assertThat(m.out()).contains("merged 3 shard files, 8 records");
        assertThat(records(merged)).isEqualTo(records(whole));
        MainTest.Run again = MainTest.run("summarize", merged.toString());
        assertThat(again.status()).as(again.err()).isZero();
        assertThat(single.out()).contains(again.out());
    }

    @Test
    void aCnnStudentCellSharesTheTeacherAndRecordsItsSpectra() throws IOException {
        Path g = grid("cnn.yaml", "experiment: mnist\nseeds: 2\naxes:\n  studentArchitecture: [mlp, cnn]\n"
                + "  cnnChannels: '2'\n" + TINY);
        Path out = dir.resolve("cnn.jsonl");
        MainTest.Run r = MainTest.run("sweep", g.toString(), "--out", out.toString(), "--threads", "1");
        assertThat(r.status()).as(r.err()).isZero();
        // the student's architecture does not change the teacher: one per seed
        assertThat(r.out()).contains("2 cells × 2 seeds (1..2); 4 units").contains("(2 teachers trained)")
                .contains("λ_max(G)").contains("effective rank of G");
        List<String> recs = records(out);
        assertThat(recs.get(0)).contains("\"studentArchitecture\":\"mlp\"").contains("\"gTop\":[")
                .contains("\"crossMax\":").doesNotContain("\"crossTop\":[]");
        assertThat(recs.get(2)).contains("\"studentArchitecture\":\"cnn\"").contains("\"firstStepDot\":null")
                .contains("\"crossTop\":[]").contains("\"gTop\":[").doesNotContain("trajectory");
        // the reference and the teacher are the MLP's whatever the student
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        assertThat(json.readTree(recs.get(2)).get("teacher")).isEqualTo(json.readTree(recs.get(0)).get("teacher"));
        MainTest.Run again = MainTest.run("summarize", out.toString());
        assertThat(again.status()).as(again.err()).isZero();
        assertThat(again.out()).contains("σ_max(cross block)");
        // two shards on two threads merge to the single run's bytes
        Files.createDirectory(dir.resolve("cnn-parts"));
        for (int k = 0; k < 2; k++) {
            MainTest.Run s = MainTest.run("sweep", g.toString(), "--shard", k + "/2", "--threads", "2", "--out",
                    dir.resolve("cnn-parts/c." + k + ".jsonl").toString());
            assertThat(s.status()).as(s.err()).isZero();
        }
        Path merged = dir.resolve("cnn-merged.jsonl");
        MainTest.Run m = MainTest.run("merge", dir.resolve("cnn-parts").toString(), "--out", merged.toString());
        assertThat(m.status()).as(m.err()).isZero();
        assertThat(records(merged)).isEqualTo(recs);
    }

    @Test
    void aRunKilledWithSigkillResumesToTheUninterruptedBytes() throws Exception {
        Path g = grid("kill.yaml", "experiment: mnist\nseeds: 24\naxes:\n  aux: 2\n" + TINY);
        Path killed = dir.resolve("killed.jsonl");
        Process p = MainTest.start(dir.resolve("log.txt"), "sweep", g.toString(), "--out", killed.toString(),
                "--threads", "1");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (p.isAlive() && System.nanoTime() < deadline
                && (!Files.exists(killed) || Files.readAllLines(killed).size() < 4)) {
            Thread.sleep(20);
        }
        p.destroyForcibly().waitFor(); // SIGKILL on Unix
        int before = Files.exists(killed) ? records(killed).size() : 0;
        MainTest.Run resumed = MainTest.run("sweep", g.toString(), "--out", killed.toString(), "--threads", "2");
        assertThat(resumed.status()).as(resumed.err()).isZero();
        Path whole = dir.resolve("whole.jsonl");
        assertThat(MainTest.run("sweep", g.toString(), "--out", whole.toString(), "--threads", "1").status()).isZero();
        assertThat(Files.readAllLines(killed).subList(1, 25)).isEqualTo(records(whole));
        assertThat(before).as("records written before the kill").isBetween(3, 23);
        assertThat(resumed.out()).contains("(resuming: " + before + " done)");
    }

    @Test
    void aBadMnistGridNamesTheSettingInOneLine() throws IOException {
        Path g = grid("bad.yaml", "experiment: mnist\nseeds: 2\naxes:\n  aux: [2, lots]\n");
        MainTest.Run r = MainTest.run("sweep", g.toString(), "--out", dir.resolve("r.jsonl").toString());
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).startsWith("subliminal sweep: grid " + g + ": axes.aux: ").doesNotContain("\tat ");
        assertThat(dir.resolve("r.jsonl")).doesNotExist();
        Path other = grid("other.yaml", "experiment: cifar\naxes:\n  aux: 2\n");
        MainTest.Run o = MainTest.run("sweep", other.toString(), "--out", dir.resolve("o.jsonl").toString());
        assertThat(o.status()).isEqualTo(2);
        assertThat(o.err()).contains("the experiments a grid can name are 'mnist' and 'leakage'");
    }
}
