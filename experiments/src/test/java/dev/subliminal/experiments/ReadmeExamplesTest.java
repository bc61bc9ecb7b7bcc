package dev.subliminal.experiments;

import static org.assertj.core.api.Assertions.assertThat;

import dev.subliminal.experiments.cli.Main;
import dev.subliminal.simulation.sweep.SweepCell;
import dev.subliminal.spec.Setting;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's examples, run as a reader runs them: every {@code $ ./subliminal ...} line of a code
 * block whose command takes seconds is run, in the README's order, in one fresh folder (so that
 * {@code certify --verify cert.json} reads what {@code certify --out cert.json} wrote), by the real
 * command line in its own JVM, and what it prints must be the lines the README shows under it,
 * number for number. Only timings ({@code 1.6 s}) and thread counts ({@code on 2 threads}), which
 * depend on the machine, are compared as placeholders; a line {@code ...} in the README stands for
 * any lines. The long-running examples (a sweep, MNIST) and the report of files a reader does not
 * have are listed in {@link #SKIPPED} with the reason; any other example runs.
 *
 * <p>Also checked: the README's Java example is {@link ApiExampleTest}'s code, and
 * {@code docs/sweeps.md} names every axis a grid accepts.
 */
class ReadmeExamplesTest {

    /** Commands whose examples are not run here, and why. */
    static final Map<String, String> SKIPPED = Map.of(
            "sweep", "10–30 s per ready-made grid; sweep's tables are tested on small grids by SweepCommandTest",
            "mnist", "minutes per run of all arms; the table is tested on a tiny configuration by MnistCommandTest",
            "numbers", "minutes at its default size; its stages are tested on a tiny configuration by NumbersPipelineTest",
            "report", "its inputs are the reports module's fixtures, not files the reader has",
            "serve", "runs until interrupted; tested on a free port by ServeRoundTripTest and the Node client check",
            "llm", "needs an API or a running server; tested end to end against serve by LlmPipelineTest and in-process by LlmCommandTest");

    private static final Pattern TIME = Pattern.compile("\\b\\d+(\\.\\d+)? s\\b");
    private static final Pattern THREADS = Pattern.compile("\\bon \\d+ threads?\\b");
    private static final String INCUBATOR = "WARNING: Using incubator modules: jdk.incubator.vector";

    @TempDir
    Path dir;

    /** One example: the command after {@code ./subliminal} and the lines the README shows. */
    record Example(int line, List<String> args, List<String> expected) {
    }

    static Path root() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !(Files.exists(p.resolve("README.md")) && Files.isDirectory(p.resolve("sweeps")))) {
            p = p.getParent();
        }
        if (p == null) {
            throw new IllegalStateException("no README.md above " + Path.of("").toAbsolutePath());
        }
        return p;
    }

    /** The examples of the README's code blocks, in order. */
    static List<Example> examples(List<String> readme) {
        List<Example> examples = new ArrayList<>();
        boolean inBlock = false;
        Example current = null;
        for (int i = 0; i < readme.size(); i++) {
            String line = readme.get(i);
            if (line.startsWith("```")) {
                inBlock = !inBlock;
                current = null;
                continue;
            }
            if (!inBlock) {
                continue;
            }
            if (line.startsWith("$ ")) {
                current = null;
                if (line.startsWith("$ ./subliminal ")) {
                    String command = line.substring("$ ./subliminal ".length()).replaceFirst("\\s+#.*$", "").strip();
                    current = new Example(i + 1, List.of(command.split("\\s+")), new ArrayList<>());
                    examples.add(current);
                }
            } else if (current != null) {
                current.expected().add(line);
            }
        }
        return examples;
    }

    /** A line as compared: machine-dependent timings and thread counts as placeholders. */
    static String normalized(String line) {
        return THREADS.matcher(TIME.matcher(line.stripTrailing()).replaceAll("<time> s")).replaceAll("on <n> threads");
    }

    /** Null when {@code actual} shows {@code expected} ({@code ...} matching any lines), else what differs. */
    static String mismatch(List<String> expected, List<String> actual) {
        int j = 0;
        for (int i = 0; i < expected.size(); i++) {
            String e = normalized(expected.get(i));
            if (e.equals("...")) {
                if (i == expected.size() - 1) {
                    return null;
                }
                String next = normalized(expected.get(i + 1));
                while (j < actual.size() && !normalized(actual.get(j)).equals(next)) {
                    j++;
                }
                if (j == actual.size()) {
                    return "README line after '...' not printed: " + expected.get(i + 1);
                }
                continue;
            }
            if (j >= actual.size()) {
                return "README shows more lines than printed, from: " + expected.get(i);
            }
            if (!e.equals(normalized(actual.get(j)))) {
                return "README: " + expected.get(i) + "\nprinted: " + actual.get(j);
            }
            j++;
        }
        return j == actual.size() ? null : "printed more lines than the README shows, from: " + actual.get(j);
    }

    @Test
    void everyQuickExampleOfTheReadmePrintsWhatTheReadmeShows() throws IOException, InterruptedException {
        List<String> readme = Files.readAllLines(root().resolve("README.md"), StandardCharsets.UTF_8);
        List<Example> examples = examples(readme);
        List<String> run = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        for (Example x : examples) {
            if (SKIPPED.containsKey(x.args().get(0))) {
                continue;
            }
            Result r = runCli(x.args());
            run.add(x.args().get(0));
            String why = r.err().isEmpty() ? mismatch(x.expected(), r.out()) : "printed on standard error: " + r.err();
            if (why != null) {
                failures.add("README.md line " + x.line() + ": ./subliminal " + String.join(" ", x.args()) + "\n" + why);
            }
        }
        assertThat(failures).as(String.join("\n\n", failures)).isEmpty();
        // the examples a reader starts with are among those run
        assertThat(run).contains("demo", "check", "certify", "falsify");
    }

    record Result(List<String> out, String err) {
    }

    /** The command line in its own JVM, in {@link #dir}, as a reader's terminal would run it (not a terminal). */
    private Result runCli(List<String> args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector", "-cp", System.getProperty("java.class.path"),
                Main.class.getName()));
        command.addAll(args);
        Path out = Files.createTempFile(dir.getParent(), "out", ".txt");
        Path err = Files.createTempFile(dir.getParent(), "err", ".txt");
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectOutput(out.toFile())
                .redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().put("CI", "true");
        Process p = pb.start();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("./subliminal " + String.join(" ", args) + " did not finish in 5 minutes");
        }
        List<String> lines = Files.readAllLines(out, StandardCharsets.UTF_8);
        String errors = String.join("\n", Files.readAllLines(err, StandardCharsets.UTF_8).stream()
                .filter(l -> !l.equals(INCUBATOR)).toList());
        Files.delete(out);
        Files.delete(err);
        return new Result(lines, errors);
    }

    @Test
    void theComparisonMasksOnlyTimingsAndThreadsAndReadsEllipses() {
        assertThat(mismatch(List.of("1600 checks in 1.6 s on 2 threads; x"), List.of("1600 checks in 12.0 s on 8 threads; x")))
                .isNull();
        assertThat(mismatch(List.of("1600 checks"), List.of("1601 checks"))).contains("printed: 1601 checks");
        assertThat(mismatch(List.of("a", "...", "z"), List.of("a", "b", "c", "z"))).isNull();
        assertThat(mismatch(List.of("a", "..."), List.of("a", "b"))).isNull();
        assertThat(mismatch(List.of("a"), List.of("a", "b"))).contains("printed more lines");
        assertThat(mismatch(List.of("a", "b"), List.of("a"))).contains("README shows more lines");
        assertThat(mismatch(List.of("value 0.1000"), List.of("value 0.1001"))).isNotNull();
        List<Example> x = examples(List.of("```", "$ ./subliminal certify --verify cert.json   # exit 0", "ok", "$ ls",
                "other", "```", "$ ./subliminal demo", "not in a block"));
        assertThat(x).hasSize(1);
        assertThat(x.get(0).args()).containsExactly("certify", "--verify", "cert.json");
        assertThat(x.get(0).expected()).containsExactly("ok");
    }

    @Test
    void theReadmesJavaExampleIsTheTestedCode() throws IOException {
        List<String> readme = Files.readAllLines(root().resolve("README.md"), StandardCharsets.UTF_8);
        int start = readme.indexOf("```java");
        assertThat(start).as("a ```java block in the README").isGreaterThanOrEqualTo(0);
        List<String> shown = new ArrayList<>();
        for (int i = start + 1; !readme.get(i).startsWith("```"); i++) {
            shown.add(readme.get(i).strip());
        }
        String test = Files.readString(root().resolve(
                "experiments/src/test/java/dev/subliminal/experiments/ApiExampleTest.java"));
        String body = test.substring(test.indexOf("// README example: begin"), test.indexOf("// README example: end"));
        List<String> tested = Arrays.stream(body.split("\n")).skip(1).map(String::strip).filter(l -> !l.isEmpty()).toList();
        assertThat(shown).isEqualTo(tested);
    }

    @Test
    void theSweepDocumentationNamesEveryAxis() throws IOException {
        String doc = Files.readString(root().resolve("docs/sweeps.md"));
        // the test class path registers families of its own (an open-registry test): not the toolkit's axes
        java.util.Set<String> testOnly = new java.util.HashSet<>();
        for (dev.subliminal.spec.ModelFamily f : dev.subliminal.spec.ModelFamilies.all()) {
            if (f.getClass().getProtectionDomain().getCodeSource().getLocation().getPath().contains("test-classes")) {
                for (Setting<?> s : f.settings()) {
                    testOnly.add(s.key());
                    testOnly.add(dev.subliminal.spec.ModelFamilies.student(s).key());
                }
            }
        }
        int named = 0;
        for (Setting<?> s : SweepCell.axisSettings()) {
            if (!testOnly.contains(s.key())) {
                assertThat(doc).as("docs/sweeps.md names the axis " + s.key()).contains("`" + s.key() + "`");
                named++;
            }
        }
        assertThat(named).isGreaterThan(40);
    }
}
