package dev.subliminal.reports.read;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Streaming reads of results files and single records, and the one-line errors naming file and line. */
class ResultsReaderTest {

    private static final String HEADER = "{\"schema\":\"subliminal.mnist/1\",\"config\":{\"runs\":1},"
            + "\"provenance\":{\"tool\":\"subliminal\"}}\n";

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
            if (r.has("bad")) {
                throw new IllegalArgumentException("field \"bad\" is bad");
            }
            records.add(r);
        }
    }

    private Path file(String text) throws IOException {
        return Files.writeString(dir.resolve("results.jsonl"), text);
    }

    private static ResultsReader.Summary read(Path f, Collect c) {
        return ResultsReader.read(f, s -> s.equals("subliminal.check/1"), c);
    }

    @Test
    void readsTheHeaderThenEveryRecordInOrder() throws IOException {
        Collect c = new Collect();
        ResultsReader.Summary s = read(file(HEADER + "{\"key\":\"a\",\"x\":1}\n{\"key\":\"b\",\"x\":2}\n"), c);
        assertThat(c.header.schema()).isEqualTo("subliminal.mnist/1");
        assertThat(c.header.config().get("runs").intValue()).isEqualTo(1);
        assertThat(c.header.provenance().get("tool").textValue()).isEqualTo("subliminal");
        assertThat(c.records).extracting(r -> r.get("x").intValue()).containsExactly(1, 2);
        assertThat(s.records()).isEqualTo(2);
        assertThat(s.partialLastLine()).isFalse();
    }

    @Test
    void skipsThePartialLastLineOfAKilledRun() throws IOException {
        Collect c = new Collect();
        ResultsReader.Summary s = read(file(HEADER + "{\"key\":\"a\",\"x\":1}\n{\"key\":\"b\",\"x"), c);
        assertThat(s.records()).isEqualTo(1);
        assertThat(s.partialLastLine()).isTrue();
        assertThat(read(file(HEADER + "{\"key\":\"a\",\"x\":1}\n{\"key\":\"b\","), new Collect()).partialLastLine())
                .isTrue();
        Path brokenInside = file(HEADER + "{\"key\":\"a\",\"x\" 1}\n{\"key\":\"b\",\"x\":2}");
        assertThatThrownBy(() -> read(brokenInside, new Collect())).hasMessageStartingWith(brokenInside
                + " line 2: malformed JSON");
    }

    @Test
    void aSingleRecordIsItsOwnHeader() throws IOException {
        Collect c = new Collect();
        Path f = Files.writeString(dir.resolve("check.json"),
                "{\n  \"schema\": \"subliminal.check/1\",\n  \"config\": {\"epsilon\": 0.1},\n  \"results\": {}\n}\n");
        ResultsReader.Summary s = read(f, c);
        assertThat(s.records()).isEqualTo(1);
        assertThat(c.records.get(0).get("config")).isEqualTo(c.header.config());
    }

    static Stream<Arguments> badRecords() {
        return Stream.of(
                Arguments.of("{\"key\":\"a\"}\n{\"key\":\"b\",\n", "line 3: malformed JSON"),
                Arguments.of("{\"key\":\"a\"}\n{\"key\" \"b\"}\n", "line 3: malformed JSON"),
                Arguments.of("{\"key\":\"a\"}\n[1, 2]\n", "line 3: expected a JSON object, found '['"),
                Arguments.of("{\"key\":\"a\"}\n{\"x\":2}\n",
                        "line 3: a record must be a JSON object with a \"key\" string"),
                Arguments.of("{\"key\":\"a\"}\n{\"key\":\"b\",\"bad\":1}\n", "line 3: field \"bad\" is bad"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("badRecords")
    void badRecordsAreNamedByFileAndLine(String records, String message) throws IOException {
        Path f = file(HEADER + records);
        assertThatThrownBy(() -> read(f, new Collect())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(f + " " + message);
    }

    @Test
    void badFilesAreNamed() throws IOException {
        assertThatThrownBy(() -> read(dir.resolve("nothing.jsonl"), new Collect()))
                .hasMessage(dir.resolve("nothing.jsonl") + ": no such file");
        assertThatThrownBy(() -> read(file(""), new Collect())).hasMessageContaining("results.jsonl: empty file");
        assertThatThrownBy(() -> read(file("{\"a\":1}\n"), new Collect()))
                .hasMessageContaining("results.jsonl line 1: no \"schema\" string");
        Path twice = Files.writeString(dir.resolve("check.json"), "{\"schema\":\"subliminal.check/1\"}\n{}\n");
        assertThatThrownBy(() -> read(twice, new Collect()))
                .hasMessageContaining("check.json line 2: a subliminal.check/1 record is one JSON object");
    }
}
