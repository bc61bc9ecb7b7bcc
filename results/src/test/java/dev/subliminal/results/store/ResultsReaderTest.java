package dev.subliminal.results.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.subliminal.results.mnist.Arm;
import dev.subliminal.results.mnist.MnistSchema;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The one reader on files the one writer produced, and its one-line errors naming file and line for
 * every way a file can be malformed: each record is checked against its schema.
 */
class ResultsReaderTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    Path dir;

    /** Remembers what it was given. */
    static final class Collect implements RecordSink {
        Header header;
        final List<JsonNode> records = new ArrayList<>();

        @Override
        public void header(Header h) {
            header = h;
        }

        @Override
        public void record(JsonNode r) {
            records.add(r);
        }
    }

    static ObjectNode mnist(int run, Arm arm, double accuracy) {
        ObjectNode r = MAPPER.createObjectNode();
        r.put("key", MnistSchema.key(run, arm));
        MnistSchema.RUN.put(r, run);
        MnistSchema.SEED.put(r, run + 1L);
        MnistSchema.ARM.put(r, arm.key());
        MnistSchema.ACCURACY.put(r, accuracy);
        if (arm.student()) {
            MnistSchema.FIRST_STEP_DOT.put(r, 1e-4);
            MnistSchema.FIRST_STEP_COSINE.put(r, Double.NaN);
            MnistSchema.UPDATE_COSINE.put(r, 0.25);
        }
        return r;
    }

    /** A results file of two MNIST records, written by the store. */
    private Path written() {
        Path f = dir.resolve("m.jsonl");
        ResultStore.write(f, MnistSchema.SCHEMA, MAPPER.createObjectNode().put("runs", 1),
                MAPPER.createObjectNode().put("tool", "test"), s -> {
                    s.append(mnist(0, Arm.TEACHER, 0.9));
                    s.append(mnist(0, Arm.STUDENT_AUX, 0.5));
                });
        return f;
    }

    private static String header() {
        return "{\"schema\":\"subliminal.mnist/1\",\"config\":{\"runs\":1},\"provenance\":{\"tool\":\"test\"}}\n";
    }

    private static String line(JsonNode r) {
        return r + "\n";
    }

    @Test
    void readsTheHeaderThenEveryRecordInOrder() {
        Collect c = new Collect();
        ResultsReader.Summary s = ResultsReader.read(written(), c);
        assertThat(c.header.schema()).isEqualTo(MnistSchema.NAME);
        assertThat(c.header.config().get("runs").intValue()).isEqualTo(1);
        assertThat(c.header.provenance().get("tool").textValue()).isEqualTo("test");
        assertThat(c.records).extracting(r -> r.get("arm").textValue()).containsExactly("teacher", "student-aux");
        assertThat(c.records.get(1).get("firstStepCosine").isNull()).isTrue();
        assertThat(s.records()).isEqualTo(2);
        assertThat(s.partialLastLine()).isFalse();
        assertThat(s.schema()).isSameAs(MnistSchema.SCHEMA);
    }

    @Test
    void skipsThePartialLastLineOfAKilledRun() throws IOException {
        Path f = written();
        String whole = line(mnist(0, Arm.CROSS_AUX, 0.1));
        for (int cut : new int[] {1, whole.length() / 2, whole.length() - 1}) {
            Path g = Files.copy(f, dir.resolve("cut" + cut + ".jsonl"));
            Files.writeString(g, whole.substring(0, cut), StandardOpenOption.APPEND);
            ResultsReader.Summary s = ResultsReader.read(g, new Collect());
            assertThat(s.records()).as("cut at %d", cut).isEqualTo(2);
            assertThat(s.partialLastLine()).isTrue();
            assertThat(s.completeBytes()).isEqualTo(Files.size(f));
        }
    }

    @Test
    void aSingleRecordIsItsOwnHeaderOverSeveralLines() throws IOException {
        Collect c = new Collect();
        Path f = Files.writeString(dir.resolve("check.json"), "{\n  \"schema\": \"subliminal.check/1\",\n"
                + "  \"config\": {\"epsilon\": 0.1},\n  \"commandLine\": \"./subliminal check\",\n  \"seed\": 1,\n"
                + "  \"results\": {\"dot\": 1, \"cosine\": 1, \"traitPart\": 1, \"firstOrder\": 1, \"absoluteError\": 0,"
                + " \"relativeError\": 0, \"traitLossBefore\": 1, \"traitLossStudent\": 0.9, \"traitLossControl\": 1,"
                + " \"traitDropsBelowControl\": true, \"sameArchitecture\": true, \"sameInit\": true}\n}\n");
        ResultsReader.Summary s = ResultsReader.read(f, c);
        assertThat(s.records()).isEqualTo(1);
        assertThat(c.records.get(0).get("config")).isEqualTo(c.header.config());
        Path broken = Files.writeString(dir.resolve("broken.json"), Files.readString(f).replace("\"seed\": 1", "\"seed\": x"));
        assertThatThrownBy(() -> ResultsReader.read(broken, new Collect())).hasMessageStartingWith(broken
                + " line 5: malformed JSON");
        Path typed = Files.writeString(dir.resolve("typed.json"), Files.readString(f).replace("\"dot\": 1", "\"dot\": \"1\""));
        assertThatThrownBy(() -> ResultsReader.read(typed, new Collect()))
                .hasMessage(typed + ": field \"results.dot\" is \"1\", expected a number or null");
    }

    static Stream<Arguments> badRecords() {
        String ok = line(mnist(0, Arm.TEACHER, 0.9));
        return Stream.of(
                Arguments.of(ok + "{\"key\":\"0/reference\",\n", "line 3: malformed JSON"),
                Arguments.of(ok + "{\"key\" \"b\"}\n", "line 3: malformed JSON"),
                Arguments.of(ok + "[1, 2]\n", "line 3: expected a JSON object, found [1,2]"),
                Arguments.of(ok + "\n", "line 3 is empty; a record is one JSON object per line"),
                Arguments.of(ok + "{\"run\":0}\n", "line 3: missing field \"key\""),
                Arguments.of(ok.strip() + ok, "line 2: malformed JSON: Trailing token"),
                Arguments.of(ok.strip() + " junk\n", "line 2: malformed JSON"),
                Arguments.of(ok + ok, "line 3: key 0/teacher appears twice (first on line 2)"),
                Arguments.of(ok.replace("\"accuracy\":0.9", "\"accuracy\":\"abc\""),
                        "line 2: field \"accuracy\" is \"abc\", expected a number"),
                Arguments.of(ok.replace("\"accuracy\":0.9", "\"accuracy\":7"),
                        "line 2: field \"accuracy\" is 7, expected a number in [0, 1]"),
                Arguments.of(ok.replace("\"run\":0", "\"run\":\"x\""), "line 2: field \"run\" is \"x\", expected an integer"),
                Arguments.of(ok.replace("\"run\":0", "\"run\":0.5"), "line 2: field \"run\" is 0.5, expected an integer"),
                Arguments.of(ok.replace(",\"accuracy\":0.9", ""), "line 2: missing field \"accuracy\""),
                Arguments.of(ok.replace("\"arm\":\"teacher\"", "\"arm\":\"pupil\""), "line 2: arm \"pupil\" is not one of"),
                Arguments.of(ok.replace("\"key\":\"0/teacher\"", "\"key\":\"7/teacher\""),
                        "line 2: key \"7/teacher\" does not match run 0 and arm teacher"),
                Arguments.of(line(mnist(0, Arm.STUDENT_AUX, 0.5)).replace(",\"updateCosine\":0.25", ""),
                        "line 2: missing field \"updateCosine\""));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("badRecords")
    void badRecordsAreNamedByFileAndLine(String records, String message) throws IOException {
        Path f = Files.writeString(dir.resolve("results.jsonl"), header() + records);
        assertThatThrownBy(() -> ResultsReader.read(f, new Collect())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(f + " " + message).hasMessageNotContaining("\n");
    }

    @Test
    void badFilesAreNamed() throws IOException {
        assertThatThrownBy(() -> ResultsReader.read(dir.resolve("nothing.jsonl"), new Collect()))
                .hasMessage(dir.resolve("nothing.jsonl") + ": no such file");
        assertThatThrownBy(() -> ResultsReader.read(dir, new Collect())).hasMessage(dir + ": is a folder, not a file");
        Path empty = Files.writeString(dir.resolve("empty.jsonl"), "");
        assertThatThrownBy(() -> ResultsReader.read(empty, new Collect())).hasMessageContaining("empty.jsonl: empty file");
        Path noSchema = Files.writeString(dir.resolve("a.jsonl"), "{\"a\":1}\n");
        assertThatThrownBy(() -> ResultsReader.read(noSchema, new Collect()))
                .hasMessageContaining("a.jsonl line 1: no \"schema\" string");
        Path twice = Files.writeString(dir.resolve("check.json"), "{\"schema\":\"subliminal.check/1\"}\n{}\n");
        assertThatThrownBy(() -> ResultsReader.read(twice, new Collect()))
                .hasMessageContaining("check.json line 2: a subliminal.check/1 record is one JSON object");
        Path unknown = Files.writeString(dir.resolve("u.jsonl"), "{\"schema\":\"subliminal.unknown/1\",\"config\":{}}\n");
        assertThatThrownBy(() -> ResultsReader.read(unknown, new Collect()))
                .hasMessageStartingWith(unknown + " line 1: unknown schema \"subliminal.unknown/1\"; known: subliminal.sweep/1");
        Path noConfig = Files.writeString(dir.resolve("c.jsonl"), "{\"schema\":\"subliminal.mnist/1\"}\n");
        assertThatThrownBy(() -> ResultsReader.read(noConfig, new Collect()))
                .hasMessage(noConfig + " line 1: missing field \"config\"");
        // found by ResultsFuzzTest: bytes the JSON parser takes for UTF-32 were reported as an I/O error
        Path utf32 = Files.write(dir.resolve("w.jsonl"), new byte[] {'{', 0, 0, 0, 0, '\n'});
        assertThatThrownBy(() -> ResultsReader.read(utf32, new Collect())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(utf32 + " line 1: malformed JSON: not UTF-8 text (");
        Path torn = Files.writeString(dir.resolve("t.jsonl"), "{\"schema\":\"subliminal.mn");
        assertThatThrownBy(() -> ResultsReader.read(torn, new Collect()))
                .hasMessageStartingWith(torn + ": no complete header line");
        assertThatThrownBy(() -> ResultsReader.read(written(), dev.subliminal.results.sweep.SweepSchema.SCHEMA,
                new Collect())).hasMessageEndingWith("holds subliminal.mnist/1 results, not subliminal.sweep/1");
    }

    @Test
    void aHugeValueIsNotEchoedWhole() throws IOException {
        String huge = "9".repeat(1 << 20);
        Path f = Files.writeString(dir.resolve("big.jsonl"), header()
                + line(mnist(0, Arm.TEACHER, 0.9)).replace("\"arm\":\"teacher\"", "\"arm\":\"" + huge + "\""),
                StandardCharsets.UTF_8);
        assertThatThrownBy(() -> ResultsReader.read(f, new Collect()))
                .hasMessageContaining("line 2: arm \"9999").hasMessageContaining("more characters")
                .satisfies(e -> assertThat(e.getMessage().length()).isLessThan(400));
        Path number = Files.writeString(dir.resolve("num.jsonl"), header()
                + line(mnist(0, Arm.TEACHER, 0.9)).replace("\"accuracy\":0.9", "\"accuracy\":\"" + huge + "\""));
        assertThatThrownBy(() -> ResultsReader.read(number, new Collect()))
                .hasMessageContaining("field \"accuracy\" is \"9999")
                .satisfies(e -> assertThat(e.getMessage().length()).isLessThan(400));
    }

    @Test
    void aRepeatedKeyFarApartIsFoundAndAHashCollisionIsNot() {
        assertThat(KeyIndex.hash("0/teacher")).isNotEqualTo(KeyIndex.hash("0/reference"));
        // a table that grows past its first size keeps every key
        KeyIndex index = KeyIndex.hashed((key, line) -> -1);
        for (int i = 0; i < 5000; i++) {
            assertThat(index.add("k" + i, i + 2)).isZero();
        }
        long[] rescans = {0};
        KeyIndex confirming = KeyIndex.hashed((key, line) -> {
            rescans[0]++;
            return key.equals("k7") ? 9 : -1;
        });
        for (int i = 0; i < 5000; i++) {
            confirming.add("k" + i, i + 2);
        }
        assertThat(confirming.add("k7", 6000)).isEqualTo(9);
        assertThat(rescans[0]).isEqualTo(1);
    }
}
