package dev.subliminal.experiments.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The data-loss rules from the command line (issue 15): no command deletes or replaces what it did
 * not write in this run, writes through a link or FIFO, writes over one of its inputs, cuts a file
 * that is not its own results file, or leaves a header-only file after an error; every output gets
 * the user's default permissions. Each case checks the bytes of what was there before.
 */
class OutputRulesTest {

    @TempDir
    Path dir;

    private static final String[] TINY_MNIST = {"--width", "8", "--noise-images", "512", "--batch", "256",
        "--epochs", "1", "--runs", "1", "--threads", "1"};

    private Path grid() throws IOException {
        return Files.writeString(dir.resolve("g.yaml"), "seeds: 2\naxes:\n  samples: 8\n");
    }

    private static MainTest.Run refused(String... args) {
        MainTest.Run r = MainTest.run(args);
        assertThat(r.status()).as("%s: %s", String.join(" ", args), r.err()).isEqualTo(Main.BAD_INPUT);
        assertThat(r.err().strip().lines().count()).as(r.err()).isEqualTo(1);
        return r;
    }

    private static void ok(String... args) {
        MainTest.Run r = MainTest.run(args);
        assertThat(r.status()).as("%s: %s", String.join(" ", args), r.err()).isZero();
    }

    private static List<String> listing(Path d) throws IOException {
        try (Stream<Path> s = Files.walk(d)) {
            return s.map(p -> d.relativize(p).toString()).sorted().toList();
        }
    }

    private static Path fifo(Path path) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("mkfifo", path.toString()).inheritIO().start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
        return path;
    }

    private static boolean isFifo(Path path) throws IOException {
        return (((Number) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS)).intValue() & 0170000)
                == 0010000;
    }

    /** A file with no newline in it, as another program's binary data. */
    private Path binary(String name) throws IOException {
        byte[] b = new byte[2048];
        new java.util.Random(11).nextBytes(b);
        for (int i = 0; i < b.length; i++) {
            b[i] = b[i] == '\n' ? 1 : b[i];
        }
        return Files.write(dir.resolve(name), b);
    }

    @Test
    void reportNeverEmptiesAFolderItDidNotWriteNorOneHoldingItsInput() throws IOException {
        Path results = dir.resolve("a.jsonl");
        ok("sweep", grid().toString(), "--out", results.toString());
        Path w = Files.createDirectory(dir.resolve("w"));
        Path full = Files.copy(results, w.resolve("full.jsonl"));
        MainTest.Run inside = refused("report", full.toString(), "--out", w.toString());
        assertThat(inside.err()).contains("is inside the output folder");
        assertThat(listing(w)).containsExactly("", "full.jsonl");
        Path stuff = Files.createDirectory(dir.resolve("stuff"));
        Files.writeString(stuff.resolve("notes.txt"), "mine");
        MainTest.Run other = refused("report", results.toString(), "--out", stuff.toString());
        assertThat(other.err()).contains("was not written by this command");
        assertThat(stuff.resolve("notes.txt")).hasContent("mine");
        // its own report folder is replaced, until something else is put in it
        Path r = dir.resolve("r");
        ok("report", results.toString(), "--out", r.toString());
        ok("report", results.toString(), "--out", r.toString());
        Files.writeString(r.resolve("mine.txt"), "mine");
        assertThat(refused("report", results.toString(), "--out", r.toString()).err()).contains("it holds mine.txt");
        assertThat(r.resolve("mine.txt")).hasContent("mine");
        assertThat(r.resolve("index.html")).exists();
    }

    @Test
    void demoLeavesAFolderAndAResultsFileItDidNotWrite() throws IOException {
        Path out = Files.createDirectory(dir.resolve("here"));
        Files.createDirectory(out.resolve("report"));
        Files.writeString(out.resolve("report/notes.txt"), "mine");
        Files.writeString(out.resolve("battery.jsonl"), "my own battery\n");
        refused("demo", "--seeds", "2", "--threads", "1", "--out", out.toString());
        assertThat(out.resolve("battery.jsonl")).hasContent("my own battery");
        Files.delete(out.resolve("battery.jsonl"));
        refused("demo", "--seeds", "2", "--threads", "1", "--out", out.toString());
        assertThat(out.resolve("report/notes.txt")).hasContent("mine");
        assertThat(listing(out)).containsExactly("", "report", "report/notes.txt");
        // a sweep's results file is not the demo's either
        Path sweep = dir.resolve("s");
        Files.createDirectory(sweep);
        ok("sweep", grid().toString(), "--out", sweep.resolve("battery.jsonl").toString());
        byte[] before = Files.readAllBytes(sweep.resolve("battery.jsonl"));
        assertThat(refused("demo", "--seeds", "2", "--threads", "1", "--out", sweep.toString()).err())
                .contains("was not written by demo");
        assertThat(Files.readAllBytes(sweep.resolve("battery.jsonl"))).isEqualTo(before);
    }

    @Test
    void noOutputGoesThroughALinkOrAFifo() throws Exception {
        Path target = Files.writeString(dir.resolve("target.txt"), "precious\n");
        Path link = Files.createSymbolicLink(dir.resolve("link.json"), target);
        Path fifo = fifo(dir.resolve("fifo"));
        Path g = grid();
        Path shard = dir.resolve("shard.jsonl");
        ok("sweep", g.toString(), "--out", shard.toString());
        for (Path out : List.of(link, fifo)) {
            refused("check", "--json", out.toString());
            refused("certify", "--widths", "2,3,2", "--out", out.toString());
            refused("merge", shard.toString(), "--out", out.toString());
            assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
                refused("sweep", g.toString(), "--out", out.toString());
                refused("certify", "--cases", "1", "--out", out.toString());
            });
        }
        assertThat(Files.isSymbolicLink(link)).isTrue();
        assertThat(target).hasContent("precious");
        assertThat(isFifo(fifo)).isTrue();
    }

    @Test
    void everyOutputGetsTheUsersDefaultPermissions() throws IOException {
        Path probe = Files.createFile(dir.resolve("probe"));
        Set<PosixFilePermission> expected = Files.getPosixFilePermissions(probe);
        Path check = dir.resolve("check.json");
        ok("check", "--widths", "2,3,2", "--json", check.toString());
        Path cert = dir.resolve("cert.json");
        MainTest.run("certify", "--widths", "2,3,2", "--out", cert.toString()); // exit 1 when nothing is certified
        Path results = dir.resolve("sweep.jsonl");
        ok("sweep", grid().toString(), "--out", results.toString());
        Path merged = dir.resolve("merged.jsonl");
        ok("merge", results.toString(), "--out", merged.toString());
        Path report = dir.resolve("report");
        ok("report", results.toString(), "--out", report.toString());
        for (Path p : List.of(check, cert, results, merged, report.resolve("index.html"))) {
            assertThat(Files.getPosixFilePermissions(p)).as(p.toString()).isEqualTo(expected);
        }
    }

    @Test
    void anOutputThatIsAnInputIsRefusedAndTheInputKept() throws IOException {
        Path g = Files.writeString(dir.resolve("g.json"), "{\"seeds\":2,\"axes\":{\"samples\":8}}");
        assertThat(refused("sweep", g.toString(), "--out", g.toString()).err()).contains("is also an input");
        assertThat(g).hasContent("{\"seeds\":2,\"axes\":{\"samples\":8}}");
        Path data = Files.writeString(dir.resolve("x.txt"), "1 2 3 4\n5 6 7 8\n");
        assertThat(refused("check", "--data", data.toString(), "--json", data.toString()).err())
                .contains("is also an input");
        refused("certify", "--data", data.toString(), "--out", data.toString());
        assertThat(data).hasContent("1 2 3 4\n5 6 7 8");
        Path shard = dir.resolve("shard.jsonl");
        ok("sweep", grid().toString(), "--out", shard.toString());
        byte[] before = Files.readAllBytes(shard);
        refused("merge", shard.toString(), "--out", shard.toString());
        Path existing = Files.writeString(dir.resolve("existing.jsonl"), "someone's file\n");
        assertThat(refused("merge", shard.toString(), "--out", existing.toString()).err()).contains("it exists");
        assertThat(existing).hasContent("someone's file");
        assertThat(Files.readAllBytes(shard)).isEqualTo(before);
    }

    @Test
    void mnistNeverWritesOverItsDataSet() throws IOException {
        Path d = Files.createDirectory(dir.resolve("mnist"));
        for (String f : new String[] {"train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte",
            "t10k-labels-idx1-ubyte"}) {
            try (InputStream in = new GZIPInputStream(OutputRulesTest.class.getResourceAsStream(
                    "/dev/subliminal/experiments/mnist/" + f + ".gz"))) {
                Files.copy(in, d.resolve(f));
            }
        }
        Path labels = d.resolve("train-labels-idx1-ubyte");
        byte[] before = Files.readAllBytes(labels);
        List<String> args = new ArrayList<>(List.of("mnist", "--mnist-dir", d.toString(), "--out", labels.toString()));
        args.addAll(List.of(TINY_MNIST));
        assertThat(refused(args.toArray(new String[0])).err()).contains("is also an input");
        assertThat(Files.readAllBytes(labels)).isEqualTo(before);
    }

    @Test
    void aFileWithoutANewlineOrAnotherToolsResultsIsNeverCut() throws IOException {
        Path bin = binary("data.bin");
        byte[] before = Files.readAllBytes(bin);
        refused("sweep", grid().toString(), "--out", bin.toString());
        refused("certify", "--cases", "1", "--out", bin.toString());
        List<String> args = new ArrayList<>(List.of("mnist", "--out", bin.toString()));
        args.addAll(List.of(TINY_MNIST));
        refused(args.toArray(new String[0]));
        assertThat(Files.readAllBytes(bin)).isEqualTo(before);
        // another tool's results file, killed mid-line: refused before its last line is cut
        Path certify = dir.resolve("certify.jsonl");
        ok("certify", "--cases", "2", "--out", certify.toString());
        Files.writeString(certify, "{\"key\":\"2\",\"ca", java.nio.file.StandardOpenOption.APPEND);
        byte[] partial = Files.readAllBytes(certify);
        assertThat(refused("sweep", grid().toString(), "--out", certify.toString()).err())
                .contains("holds subliminal.certify/1 results, not subliminal.sweep/1");
        assertThat(Files.readAllBytes(certify)).isEqualTo(partial);
    }

    @Test
    void anErrorBeforeTheFirstRecordLeavesNoFileBehindToBlockTheNextRun() {
        Path out = dir.resolve("m.jsonl");
        // 3,000,000 noise images of 784 pixels do not fit in the heap: refused before the results file is opened
        // (ResultStoreTest covers a failure after opening it)
        List<String> args = new ArrayList<>(List.of("mnist", "--out", out.toString(), "--width", "8", "--noise-images",
                "3000000", "--batch", "256", "--epochs", "1", "--runs", "1", "--threads", "1"));
        assertThat(refused(args.toArray(new String[0])).err()).contains("needs about");
        assertThat(out).doesNotExist();
        List<String> tiny = new ArrayList<>(List.of("mnist", "--out", out.toString()));
        tiny.addAll(List.of(TINY_MNIST));
        ok(tiny.toArray(new String[0]));
        assertThat(out).exists();
    }
}
