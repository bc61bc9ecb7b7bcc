package dev.subliminal.experiments.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code subliminal report} end to end: the report's path, and one error line with status 2 for bad input. */
class ReportCommandTest {

    @TempDir
    Path dir;

    private Path mnist(String lastRecord) throws IOException {
        return Files.writeString(dir.resolve("mnist.jsonl"), "{\"schema\":\"subliminal.mnist/1\",\"config\":{\"runs\":2},"
                + "\"provenance\":{\"tool\":\"subliminal\"}}\n"
                + "{\"key\":\"0/teacher\",\"run\":0,\"seed\":1,\"arm\":\"teacher\",\"accuracy\":0.93}\n" + lastRecord);
    }

    @Test
    void writesTheReportAndPrintsWhereItIs() throws IOException {
        Path in = mnist("{\"key\":\"1/teacher\",\"run\":1,\"seed\":2,\"arm\":\"teacher\",\"accuracy\":0.94}\n");
        MainTest.Run r = MainTest.run("report", in.toString(), "--out", dir.resolve("out").toString());
        assertThat(r.err()).isEmpty();
        assertThat(r.status()).isZero();
        assertThat(r.out()).isEqualTo("report of 1 input (2 records, 1 plot) written to "
                + dir.resolve("out/index.html").toAbsolutePath() + System.lineSeparator());
        assertThat(Files.readString(dir.resolve("out/index.html"))).contains("0.935", "data:image/png;base64,");
        assertThat(dir.resolve("out/plots/1-mnist-accuracy.svg")).exists();
    }

    @Test
    void badInputIsOneLineWithStatusTwoAndNoReport() throws IOException {
        Path in = mnist("{\"key\":\"1/teacher\",\"run\":1,\"seed\":2,\"arm\":\"teacher\",\"accuracy\":}\n");
        MainTest.Run r = MainTest.run("report", in.toString(), "--out", dir.resolve("out").toString());
        assertThat(r.status()).isEqualTo(Main.BAD_INPUT);
        assertThat(r.err()).startsWith("subliminal report: " + in + " line 3: malformed JSON").hasLineCount(1);
        assertThat(dir.resolve("out")).doesNotExist();
        MainTest.Run missing = MainTest.run("report", dir.resolve("none.jsonl").toString(), "--out", "x");
        assertThat(missing.status()).isEqualTo(Main.BAD_INPUT);
        assertThat(missing.err()).isEqualTo("subliminal report: " + dir.resolve("none.jsonl") + ": no such file"
                + System.lineSeparator());
        MainTest.Run noOut = MainTest.run("report", in.toString());
        assertThat(noOut.status()).isEqualTo(Main.BAD_INPUT);
        assertThat(noOut.err()).contains("--out");
    }

    @Test
    void aReportKilledWithSigkillLeavesAStagingFolderThatTheNextReportSweeps() throws Exception {
        Path g = Files.writeString(dir.resolve("g.yaml"), "seeds: 20\naxes:\n  samples: 8\n  epsilon: [1e-3, 1e-2]\n");
        Path results = dir.resolve("results.jsonl");
        assertThat(MainTest.run("sweep", g.toString(), "--out", results.toString()).status()).isZero();
        Path out = dir.resolve("out");
        assertThat(MainTest.run("report", results.toString(), "--out", out.toString()).status()).isZero();
        String page = Files.readString(out.resolve("index.html"));
        boolean caught = false;
        for (int attempt = 0; attempt < 5 && !caught; attempt++) {
            Process p = MainTest.start(dir.resolve("log.txt"), "report", results.toString(), "--out", out.toString());
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
            while (p.isAlive() && System.nanoTime() < deadline && SweepCommandTest.temporaries(dir).isEmpty()) {
                Thread.sleep(1);
            }
            p.destroyForcibly().waitFor();
            caught = !SweepCommandTest.temporaries(dir).isEmpty();
        }
        assertThat(caught).as("a report was killed while it wrote its staging folder").isTrue();
        MainTest.Run again = MainTest.run("report", results.toString(), "--out", out.toString());
        assertThat(again.status()).as(again.err()).isZero();
        assertThat(SweepCommandTest.temporaries(dir)).isEmpty();
        assertThat(Files.readString(out.resolve("index.html"))).isEqualTo(page);
    }
}
