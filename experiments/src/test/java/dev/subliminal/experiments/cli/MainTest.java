package dev.subliminal.experiments.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.subliminal.experiments.check.CheckRecord;
import dev.subliminal.simulation.check.CheckCase;
import dev.subliminal.simulation.check.CheckConfig;
import dev.subliminal.theory.check.CheckResult;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The command line end to end: outputs, records and the one-line errors with exit status 2. */
class MainTest {

    @TempDir
    Path dir;

    /** Exit status, standard output and standard error of one invocation. */
    record Run(int status, String out, String err) {
    }

    /**
     * Starts the command line in another JVM (same class path) with its output in {@code log}; the
     * caller ends it ({@code destroyForcibly} sends SIGKILL).
     */
    static Process start(Path log, String... args) throws IOException {
        java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(java.util.List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /**
     * A run out of memory ends with one line and exit status 2, no stack trace and no file: an MLP of
     * 904,503 parameters passes the estimate before the start (about 116 MiB) in a 160 MiB heap, and its
     * record, with the six parameter vectors inline, does not fit (it needs over 300 MiB).
     */
    @Test
    void runningOutOfMemoryIsOneLine() throws Exception {
        Path record = dir.resolve("big.json");
        Path log = dir.resolve("oom.log");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx160m",
                "--add-modules", "jdk.incubator.vector", "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "check", "--widths", "100,900,900,3", "--json", record.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertThat(p.waitFor()).as(Files.readString(log)).isEqualTo(2);
        String printed = Files.readString(log).replaceAll("(?m)^WARNING: Using incubator modules.*\\R", "");
        assertThat(printed.strip()).startsWith("subliminal: out of memory: the heap of 160 MiB").doesNotContain("\tat ",
                "\n");
        assertThat(record).doesNotExist();
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(status, out.toString(), err.toString());
    }

    @Test
    void versionAndHelp() {
        Run v = run("--version");
        assertThat(v.status()).isZero();
        assertThat(v.out()).startsWith("subliminal ");
        for (String command : new String[] {"check", "demo"}) {
            Run h = run(command, "--help");
            assertThat(h.status()).isZero();
            assertThat(h.out()).contains("Usage: subliminal " + command);
        }
    }

    @ParameterizedTest(name = "{0} → names {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "check --bogus|--bogus",
        "check --widths 3,0,2|--widths: size 0 is out of range",
        "check --widths 3|--widths: '3' has 1 size; expected at least 2",
        "check --widths 3,x,2|'x' is not a size",
        "check --widths 3,5,2 --widths 3,5,3|--widths",
        "check --distill 1|--distill 1",
        "check --model linear --widths 3,4,2|two sizes",
        "check --model cubic|--model: unknown value 'cubic'; expected one of cnn, linear, mlp",
        "check --activation sine|--activation: unknown value 'sine'",
        "check --epsilon -1|--epsilon: expected a finite number ≥ 0, got -1",
        "check --epsilon NaN|--epsilon: expected a finite number ≥ 0, got NaN",
        "check --epsilon abc|abc",
        "check --alpha Infinity|--alpha: expected a finite number ≥ 0, got Infinity",
        "check --samples 0|--samples: expected an integer ≥ 1, got 0",
        "check --temperature 0|--temperature: expected a finite number > 0, got 0",
        "check --loss ce --distill 4|distill 4: the model's softmax has only 3 logits",
        "check --loss mse --distill 2|--distill applies only when loss is ce",
        "check --model linear --widths 3,2 --activation relu|--activation is not a setting of a linear model",
        "check --init same --student-widths 4,9,3|cannot use init same; use init independent",
        "check --student-widths 5,8,3|keep the teacher's 4 inputs",
        "check --widths 100000,100000,3|the check needs about",
        "check --data /nonexistent/in.csv|cannot read data file",
        "demo --seeds 0|--seeds 0",
        "demo --seeds 2147483647|--seeds 2147483647: give 1 to 1000000 seeds per row",
        "demo --threads 2147483647|--threads 2147483647: give 1 to 1024 threads",
        "demo --seeds 10 --first-seed 9223372036854775800|runs past the largest seed",
        "check --widths 4,30000,30000,3|the check needs about",
        "check --samples 2147483647|the check needs about",
    })
    void badInputGivesOneLineAndStatusTwo(String line, String expected) {
        Run r = run(line.split(" "));
        assertThat(r.status()).as(r.err()).isEqualTo(Main.BAD_INPUT);
        assertThat(r.err()).contains(expected);
        assertThat(r.err().strip().lines().count()).as("one line: %s", r.err()).isEqualTo(1);
        assertThat(r.err()).doesNotContain("Exception", "\tat ");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void verboseAddsTheStackTrace() {
        Run r = run("check", "--epsilon", "-1", "--verbose");
        assertThat(r.status()).isEqualTo(Main.BAD_INPUT);
        assertThat(r.err()).contains("\tat ");
    }

    @Test
    void nanInDataIsRejectedWithItsLineAndNoRecordIsWritten() throws Exception {
        Path data = dir.resolve("inputs.csv");
        Files.writeString(data, "# student inputs\n0.1, 0.2, 0.3, 0.4\n0.5 NaN 0.7 0.8\n");
        Path json = dir.resolve("out.json");
        Run r = run("check", "--data", data.toString(), "--json", json.toString());
        assertThat(r.status()).isEqualTo(Main.BAD_INPUT);
        assertThat(r.err()).contains("line 3").contains("NaN");
        assertThat(json).doesNotExist();
        assertThat(Files.list(dir).map(p -> p.getFileName().toString())).containsExactly("inputs.csv");
    }

    @Test
    void ragged_or_wrongly_sized_data_is_rejected() throws Exception {
        Path ragged = dir.resolve("ragged.csv");
        Files.writeString(ragged, "1 2 3 4\n1 2 3\n");
        assertThat(run("check", "--data", ragged.toString()).err()).contains("line 2 has 3 values");
        Path narrow = dir.resolve("narrow.csv");
        Files.writeString(narrow, "1 2 3\n4 5 6\n");
        Run r = run("check", "--data", narrow.toString());
        assertThat(r.status()).isEqualTo(Main.BAD_INPUT);
        assertThat(r.err()).contains("3 columns").contains("4 inputs");
    }

    @Test
    void jsonRecordHoldsEverythingAndMatchesTheCheck() throws Exception {
        Path json = dir.resolve("record.json");
        Run r = run("check", "--model", "mlp", "--widths", "3,5,2", "--activation", "tanh", "--init", "same",
                "--epsilon", "1e-3", "--seed", "7", "--json", json.toString());
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).contains("Δ_S·Δ_T").contains("record written to");
        JsonNode root = new ObjectMapper().readTree(json.toFile());
        assertThat(root.get("schema").asText()).isEqualTo(CheckRecord.SCHEMA);
        assertThat(root.get("seed").asLong()).isEqualTo(7);
        assertThat(root.at("/provenance/arguments").size()).isEqualTo(15);
        JsonNode theta0 = root.at("/parameters/theta0");
        assertThat(theta0.fieldNames()).toIterable().containsExactly("0.weight", "0.bias", "2.weight", "2.bias");
        assertThat(theta0.at("/0.weight/shape").toString()).isEqualTo("[5,3]");
        assertThat(theta0.at("/0.weight/data").size()).isEqualTo(15);
        assertThat(root.at("/studentInputs/shape").toString()).isEqualTo("[64,3]");
        assertThat(root.at("/traitLoss/labels").size()).isEqualTo(16);

        CheckConfig config = CheckConfig.defaults().withTeacher(new dev.subliminal.simulation.mlp.MlpFamily.Perceptron(
                new int[] {3, 5, 2}, dev.subliminal.simulation.mlp.Activation.TANH)).with(CheckConfig.EPSILON, 1e-3);
        CheckResult direct = new CheckCase(config, 7).run();
        assertThat(root.at("/results/dot").asDouble()).isEqualTo(direct.dot());
        assertThat(root.at("/results/firstOrder").asDouble()).isEqualTo(direct.firstOrder());
        assertThat(root.at("/parameters/deltaS/2.bias/data/1").asDouble())
                .isEqualTo(direct.deltaS()[direct.deltaS().length - 1]);
        assertThat(root.get("commandLine").asText()).contains("--seed 7").contains("--widths 3,5,2");
    }

    @Test
    void acrossArchitecturesOnlyTheFunctionalComparisonIsDefined() throws Exception {
        Path json = dir.resolve("other.json");
        Run r = run("check", "--init", "independent", "--student-widths", "4,7,7,3", "--json", json.toString());
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).contains("undefined (other architecture)");
        JsonNode root = new ObjectMapper().readTree(json.toFile());
        assertThat(root.at("/results/dot").isNull()).isTrue();
        assertThat(root.at("/results/traitLossStudent").isNumber()).isTrue();
        assertThat(root.at("/parameters/studentInit").fieldNames()).toIterable()
                .containsExactly("0.weight", "0.bias", "2.weight", "2.bias", "4.weight", "4.bias");
    }

    @Test
    void demoPrintsTheBatteryTableAndWritesItsResultsAndReport(@TempDir Path dir) throws IOException {
        Path out = dir.resolve("demo");
        Run r = run("demo", "--seeds", "10", "--threads", "2", "--out", out.toString());
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).contains("linear, same init", "mlp tanh, independent init", "other architecture")
                .contains("1.000 [0.722, 1.000]")
                .contains("report: " + out.resolve("report").resolve("index.html"));
        // 8 rows × 10 seeds after the header line
        assertThat(Files.readAllLines(out.resolve("battery.jsonl"))).hasSize(1 + 8 * 10);
        assertThat(Files.readString(out.resolve("report").resolve("index.html"))).contains("<img");
        // a second demo starts afresh instead of resuming
        Run again = run("demo", "--seeds", "3", "--threads", "1", "--out", out.toString());
        assertThat(again.status()).as(again.err()).isZero();
        assertThat(Files.readAllLines(out.resolve("battery.jsonl"))).hasSize(1 + 8 * 3);
    }

    /** The source revision every record carries: a git commit, or the sources' hash outside git. */
    static final String REVISION = "git [0-9a-f]{40}( with local changes \\(sources sha256 [0-9a-f]{64}\\))?"
            + "|build sha256 [0-9a-f]{64}";

    @Test
    void everyRecordCarriesTheSourceRevision() throws Exception {
        Path json = dir.resolve("check.json");
        assertThat(run("check", "--widths", "2,3,2", "--json", json.toString()).status()).isZero();
        ObjectMapper m = new ObjectMapper();
        assertThat(m.readTree(json.toFile()).at("/provenance/revision").asText()).matches(REVISION);
        assertThat(m.readTree(json.toFile()).at("/provenance/command").asText()).isEqualTo("check");
        Path cert = dir.resolve("cert.json");
        run("certify", "--widths", "2,3,2", "--out", cert.toString());
        assertThat(m.readTree(cert.toFile()).at("/provenance/revision").asText()).matches(REVISION);
        Path grid = Files.writeString(dir.resolve("g.yaml"), "seeds: 1\naxes:\n  samples: 4\n");
        Path results = dir.resolve("r.jsonl");
        assertThat(run("sweep", grid.toString(), "--out", results.toString()).status()).isZero();
        assertThat(m.readTree(Files.readAllLines(results).get(0)).at("/provenance/revision").asText()).matches(REVISION);
    }

    @Test
    void aRecordOfACheckOnADataFileSaysWhatWasRun() throws Exception {
        Path data = Files.writeString(dir.resolve("inputs.csv"), "0.1, 0.2, 0.3, 0.4\n0.5 0.6 0.7 0.8\n-1 0 1 2\n");
        Path json = dir.resolve("out.json");
        Run r = run("check", "--data", data.toString(), "--json", json.toString());
        assertThat(r.status()).as(r.err()).isZero();
        JsonNode root = new ObjectMapper().readTree(json.toFile());
        assertThat(root.at("/config/samples").asInt()).isEqualTo(3);
        assertThat(root.at("/config/inputs").asText()).isEqualTo("file");
        assertThat(root.at("/config/data/file").asText()).isEqualTo(data.toString());
        String sha = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest(Files.readAllBytes(data)));
        assertThat(root.at("/config/data/sha256").asText()).isEqualTo(sha);
        assertThat(root.at("/studentInputs/shape").toString()).isEqualTo("[3,4]");
        assertThat(root.get("commandLine").asText()).contains("--data " + data).doesNotContain("FILE")
                .doesNotContain("--samples").doesNotContain("--inputs");
    }

    @Test
    void ioErrorsSayWhatHappened() throws IOException {
        Run missing = run("summarize", dir.resolve("none.jsonl").toString());
        assertThat(missing.err()).isEqualTo("subliminal summarize: " + dir.resolve("none.jsonl") + ": no such file"
                + System.lineSeparator());
        Run folder = run("summarize", dir.toString());
        assertThat(folder.err()).contains(dir + ": is a folder, not a file");
        Run device = run("summarize", "/dev/null");
        assertThat(device.err()).contains("/dev/null: not a regular file (a character device)");
        Run data = run("check", "--data", dir.resolve("none.csv").toString());
        assertThat(data.err()).contains("cannot read data file " + dir.resolve("none.csv") + ": no such file");
        // an error that carries only a path gets the operating system's reason
        assertThat(Main.message(new java.io.UncheckedIOException("cannot read x: x",
                new java.nio.file.AccessDeniedException("x")))).isEqualTo("cannot read x: x (Permission denied)");
        Path locked = Files.writeString(dir.resolve("locked.jsonl"), "{}\n");
        Files.setPosixFilePermissions(locked, java.util.Set.of());
        if (!"root".equals(System.getProperty("user.name"))) { // root reads it anyway
            Run denied = run("summarize", locked.toString());
            assertThat(denied.err()).contains("cannot read " + locked + ": Permission denied");
            Run deniedData = run("check", "--data", locked.toString());
            assertThat(deniedData.err()).contains("cannot read data file " + locked + ": Permission denied");
        }
    }

    @Test
    void aHugeValueIsNotEchoedWhole() {
        String huge = "9".repeat(1 << 20);
        for (String[] args : new String[][] {{"check", "--epsilon", huge}, {"check", "--widths", huge},
            {"check", "--model", huge}, {"falsify", huge}, {"sweep", huge}}) {
            Run r = run(args);
            assertThat(r.status()).isEqualTo(Main.BAD_INPUT);
            assertThat(r.err().length()).as(args[0] + " " + args[1]).isLessThan(Main.MESSAGE_LIMIT + 100);
            assertThat(r.err()).contains("99999").hasLineCount(1);
        }
    }
}
