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

/** {@code sweep}, {@code merge} and {@code summarize} from the command line, and a real kill -9. */
class SweepCommandTest {

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
    void aMalformedGridGivesOneErrorLineNamingTheFieldAndExitStatus2() throws IOException {
        Path g = grid("bad.yaml", "seeds: 5\naxes:\n  epsilon: [1e-3, lots]\n");
        MainTest.Run r = MainTest.run("sweep", g.toString(), "--out", dir.resolve("r.jsonl").toString());
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("subliminal sweep: grid " + g + ": axes.epsilon: expected a finite number ≥ 0, got 'lots'"
                + System.lineSeparator());
        assertThat(dir.resolve("r.jsonl")).doesNotExist();
        Path good = grid("good.yaml", "axes: {init: same}\n");
        MainTest.Run shard = MainTest.run("sweep", good.toString(), "--shard", "3/3");
        assertThat(shard.status()).isEqualTo(2);
        assertThat(shard.err()).contains("0 ≤ k < n").doesNotContain("\tat ");
    }

    @Test
    void aGridTooLargeForTheHeapOrTooManyCellsIsRefusedBeforeAnyRecord() throws IOException {
        Path wide = grid("wide.yaml", "seeds: 2\naxes:\n  widths: '4,30000,30000,3'\n");
        MainTest.Run r = MainTest.run("sweep", wide.toString(), "--out", dir.resolve("w.jsonl").toString());
        assertThat(r.status()).as(r.err()).isEqualTo(2);
        assertThat(r.err()).contains("a cell of the grid on").contains("needs about").doesNotContain("\tat ");
        assertThat(dir.resolve("w.jsonl")).doesNotExist();
        Path many = grid("many.yaml", "seeds: 1\naxes:\n  samples: [1, 2, 3]\n  epsilon: [1e-3, 1e-2]\n");
        MainTest.Run tooMany = MainTest.run("sweep", many.toString(), "--max-cells", "5", "--out",
                dir.resolve("m.jsonl").toString());
        assertThat(tooMany.status()).isEqualTo(2);
        assertThat(tooMany.err()).contains("more than 5 cells");
    }

    @Test
    void shardsMergeIntoTheSingleRunAndSummarizeReprintsTheTable() throws IOException {
        Path g = grid("eps.yaml", "seeds: 6\naxes:\n  samples: 8\n  epsilon: [1e-3, 1e-2]\n");
        Path whole = dir.resolve("whole.jsonl");
        MainTest.Run single = MainTest.run("sweep", g.toString(), "--out", whole.toString(), "--threads", "2");
        assertThat(single.status()).as(single.err()).isZero();
        assertThat(single.out()).contains("2 cells × 6 seeds (1..6); 12 units on 2 threads")
                .contains("\n0.001  1.000").contains("order of abs. error");
        Files.createDirectory(dir.resolve("parts"));
        for (int k = 0; k < 3; k++) {
            MainTest.Run s = MainTest.run("sweep", g.toString(), "--shard", k + "/3", "--threads", "1", "--out",
                    dir.resolve("parts/eps." + k + ".jsonl").toString());
            assertThat(s.status()).as(s.err()).isZero();
            assertThat(s.out()).contains("shard " + k + "/3; 4 units");
        }
        Path merged = dir.resolve("merged.jsonl");
        MainTest.Run m = MainTest.run("merge", dir.resolve("parts").toString(), "--out", merged.toString());
        assertThat(m.status()).as(m.err()).isZero();
        assertThat(m.out()).contains("merged 3 shard files, 12 records");
        assertThat(records(merged)).isEqualTo(records(whole));
        MainTest.Run again = MainTest.run("summarize", merged.toString());
        assertThat(again.status()).isZero();
        assertThat(single.out()).contains(again.out());
        MainTest.Run missing = MainTest.run("summarize", dir.resolve("none.jsonl").toString());
        assertThat(missing.status()).isEqualTo(2);
        assertThat(missing.err()).contains(": no such file");
    }

    @Test
    void aRunKilledWithSigkillResumesToTheUninterruptedRecords() throws Exception {
        Path g = grid("kill.yaml", "seeds: 60\naxes:\n  widths: '8,32,32,5'\n  samples: 128\n  studentSteps: 2\n");
        Path killed = dir.resolve("killed.jsonl");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), Main.class.getName(), "sweep", g.toString(), "--out",
                killed.toString(), "--threads", "1").redirectErrorStream(true)
                .redirectOutput(dir.resolve("log.txt").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (p.isAlive() && System.nanoTime() < deadline
                && (!Files.exists(killed) || Files.readAllLines(killed).size() < 6)) {
            Thread.sleep(20);
        }
        p.destroyForcibly().waitFor(); // SIGKILL on Unix
        int before = Files.exists(killed) ? records(killed).size() : 0;

        MainTest.Run resumed = MainTest.run("sweep", g.toString(), "--out", killed.toString(), "--threads", "2");
        assertThat(resumed.status()).as(resumed.err()).isZero();
        Path whole = dir.resolve("whole.jsonl");
        assertThat(MainTest.run("sweep", g.toString(), "--out", whole.toString()).status()).isZero();
        assertThat(records(killed)).hasSize(60).isEqualTo(records(whole));
        assertThat(before).as("records written before the kill").isBetween(5, 59);
        assertThat(resumed.out()).contains("(resuming: " + before + " done)");
    }

    /** The hidden entries of {@code d}: temporary files and folders a command left there. */
    static List<String> temporaries(Path d) throws IOException {
        try (java.util.stream.Stream<Path> s = Files.list(d)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".")).toList();
        }
    }

    @Test
    void aSecondProcessOnTheSameResultsFileIsRefusedNamingTheFirstAndTheFileStaysWhole() throws Exception {
        Path g = grid("slow.yaml", "seeds: 60\naxes:\n  widths: '8,32,32,5'\n  samples: 128\n  studentSteps: 2\n");
        Path out = dir.resolve("shared.jsonl");
        Process first = MainTest.start(dir.resolve("log.txt"), "sweep", g.toString(), "--out", out.toString(),
                "--threads", "1");
        MainTest.Run second;
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (first.isAlive() && System.nanoTime() < deadline
                    && (!Files.exists(out) || Files.readAllLines(out).size() < 3)) {
                Thread.sleep(20);
            }
            assertThat(first.isAlive()).as("the first sweep is still running").isTrue();
            second = MainTest.run("sweep", g.toString(), "--out", out.toString(), "--threads", "1");
        } finally {
            first.destroyForcibly().waitFor();
        }
        assertThat(second.status()).isEqualTo(Main.BAD_INPUT);
        assertThat(second.err()).startsWith("subliminal sweep: " + out + " is being written by another process (pid "
                + first.pid() + ": ").contains("--out " + out).hasLineCount(1);
        // what the first wrote is a valid prefix of the run, every record once
        MainTest.Run summary = MainTest.run("summarize", out.toString());
        assertThat(summary.status()).as(summary.err()).isZero();
    }

    @Test
    void aMergeKilledWithSigkillLeavesATemporaryFileThatTheNextMergeSweeps() throws Exception {
        Path g = grid("many.yaml", "seeds: 6000\naxes:\n  model: linear\n  widths: '2,2'\n  samples: 1\n"
                + "  traitSamples: 1\n");
        Files.createDirectory(dir.resolve("parts"));
        for (int k = 0; k < 2; k++) {
            MainTest.Run s = MainTest.run("sweep", g.toString(), "--shard", k + "/2", "--threads", "2", "--out",
                    dir.resolve("parts/p" + k + ".jsonl").toString());
            assertThat(s.status()).as(s.err()).isZero();
        }
        Path merged = dir.resolve("merged.jsonl");
        boolean caught = false;
        for (int attempt = 0; attempt < 5 && !caught; attempt++) {
            Process p = MainTest.start(dir.resolve("log.txt"), "merge", dir.resolve("parts").toString(), "--out",
                    merged.toString());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (p.isAlive() && System.nanoTime() < deadline && temporaries(dir).isEmpty()) {
                Thread.sleep(1);
            }
            p.destroyForcibly().waitFor();
            caught = !temporaries(dir).isEmpty() && !Files.exists(merged);
            Files.deleteIfExists(merged); // a merge that finished first: try again
        }
        assertThat(caught).as("a merge was killed while it wrote its temporary file").isTrue();
        MainTest.Run again = MainTest.run("merge", dir.resolve("parts").toString(), "--out", merged.toString());
        assertThat(again.status()).as(again.err()).isZero();
        assertThat(temporaries(dir)).isEmpty();
        assertThat(records(merged)).hasSize(6000);
    }
}
