package dev.subliminal.results.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.subliminal.results.schema.Field;
import dev.subliminal.results.schema.Schema;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one writer: resuming after a kill, refusing what is not its own, never duplicating a record. */
class ResultStoreTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** A results kind for these tests: records with a number {@code value}. */
    static final Schema TEST = Schema.results("subliminal.test/1", List.of(Field.number("value")));
    static final Schema OTHER = Schema.results("subliminal.other/1", List.of());

    @TempDir
    Path dir;

    private static ObjectNode config(int seeds) {
        ObjectNode c = MAPPER.createObjectNode();
        c.put("seeds", seeds);
        return c;
    }

    private static ObjectNode record(int i) {
        ObjectNode r = MAPPER.createObjectNode();
        r.put("key", "0/" + i);
        r.put("value", i * 0.1);
        return r;
    }

    private static List<String> keysInOrder(Path file) {
        List<String> keys = new ArrayList<>();
        ResultsReader.forEach(file, TEST, r -> keys.add(r.get("key").asText()));
        return keys;
    }

    @Test
    void resumesAfterATornLastLineWithoutLosingOrRepeatingRecords() throws IOException {
        Path file = dir.resolve("r.jsonl");
        try (ResultStore store = ResultStore.open(file, TEST, config(3), MAPPER.createObjectNode())) {
            store.append(record(0));
            store.append(record(1));
        }
        // a kill in the middle of writing record 2
        Files.writeString(file, "{\"key\":\"0/2\",\"val", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        try (ResultStore store = ResultStore.open(file, TEST, config(3), MAPPER.createObjectNode())) {
            assertThat(store.keys()).containsExactlyInAnyOrder("0/0", "0/1");
            for (int i = 0; i < 3; i++) {
                if (!store.contains("0/" + i)) {
                    store.append(record(i));
                }
            }
        }
        assertThat(keysInOrder(file)).containsExactly("0/0", "0/1", "0/2");
        assertThat(Files.readString(file)).endsWith("\n").doesNotContain("\"val\n");
        assertThat(ResultsReader.header(file, TEST).config()).isEqualTo(config(3));
    }

    @Test
    void resumesAConfigurationWhoseNumbersReadBackAsOtherTypes() {
        Path file = dir.resolve("r.jsonl");
        ObjectNode config = MAPPER.createObjectNode().put("seed", 3L).put("epsilon", 1e-4f);
        try (ResultStore store = ResultStore.open(file, TEST, config, MAPPER.createObjectNode())) {
            store.append(record(0));
        }
        try (ResultStore store = ResultStore.open(file, TEST, config, MAPPER.createObjectNode())) {
            assertThat(store.keys()).containsExactly("0/0");
        }
    }

    @Test
    void aTornHeaderIsWrittenAgain() throws IOException {
        Path file = dir.resolve("r.jsonl");
        Files.writeString(file, "{\"schema\":\"subl", StandardCharsets.UTF_8);
        try (ResultStore store = ResultStore.open(file, TEST, config(1), MAPPER.createObjectNode())) {
            store.append(record(0));
        }
        assertThat(ResultsReader.header(file, TEST).schema()).isEqualTo("subliminal.test/1");
        assertThat(keysInOrder(file)).containsExactly("0/0");
    }

    @Test
    void refusesAnotherConfigurationOrSchemaAndKeepsTheFile() throws IOException {
        Path file = dir.resolve("r.jsonl");
        try (ResultStore store = ResultStore.open(file, TEST, config(3), MAPPER.createObjectNode())) {
            store.append(record(0));
        }
        String before = Files.readString(file);
        assertThatThrownBy(() -> ResultStore.open(file, TEST, config(4), MAPPER.createObjectNode()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("another configuration");
        assertThatThrownBy(() -> ResultStore.open(file, OTHER, config(3), MAPPER.createObjectNode()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("subliminal.other/1");
        assertThat(Files.readString(file)).isEqualTo(before);
    }

    @Test
    void refusesDuplicateKeysAndKeylessRecords() {
        Path file = dir.resolve("r.jsonl");
        try (ResultStore store = ResultStore.open(file, TEST, config(3), MAPPER.createObjectNode())) {
            store.append(record(0));
            assertThatThrownBy(() -> store.append(record(0))).hasMessageContaining("already holds");
            assertThatThrownBy(() -> store.append(MAPPER.createObjectNode().put("value", 1))).hasMessageContaining("key");
            assertThatThrownBy(() -> store.append(MAPPER.createObjectNode().put("key", "0/9")))
                    .hasMessageContaining("missing field \"value\"");
        }
        assertThat(keysInOrder(file)).containsExactly("0/0");
    }

    /**
     * A record that passes the schema as it is is written without parsing its line back, so the line
     * must read back as that very tree, numbers of every kind included; a record refused as it is (a
     * non-finite number, which the writer turns into a string) is checked as it reads back, refused by
     * name, and leaves the file alone.
     */
    @Test
    void checksTheRecordItselfAndWritesWhatReadsBackTheSame() throws IOException {
        Path file = dir.resolve("r.jsonl");
        ObjectNode odd = record(1);
        odd.putObject("extra").put("int", 7).put("long", 1L << 40).put("tiny", 4.9e-324).put("big", 1.7976931348623157e308)
                .put("negativeZero", -0.0).put("text", "line\nbreak \"quoted\" ε");
        try (ResultStore store = ResultStore.open(file, TEST, config(3), MAPPER.createObjectNode())) {
            store.append(record(0));
            for (double bad : new double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
                ObjectNode r = record(2);
                r.put("value", bad);
                assertThatThrownBy(() -> store.append(r)).isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("field \"value\"").hasMessageContaining("expected a number");
            }
            store.append(odd);
        }
        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(3);
        assertThat(MAPPER.readTree(lines.get(2))).isEqualTo(odd);
        assertThat(keysInOrder(file)).containsExactly("0/0", "0/1");
    }

    /**
     * A record refused as it is but accepted as it reads back is appended: a schema that wants the
     * record's {@code seeds} equal to the header's, given a {@code long} 3 where the header holds
     * (as read) the {@code int} 3; a record whose value differs is still refused.
     */
    @Test
    void decidesARecordRefusedAsItIsByHowItReadsBack() throws IOException {
        Schema sameSeeds = Schema.results("subliminal.same/1", config -> { }, (config, record) -> {
            if (!record.get("seeds").equals(config.get("seeds"))) {
                throw new IllegalArgumentException("seeds " + record.get("seeds") + " differ from the header's");
            }
        });
        Path file = dir.resolve("r.jsonl");
        ObjectNode asLong = MAPPER.createObjectNode().put("key", "0/0").put("seeds", 3L);
        ObjectNode other = MAPPER.createObjectNode().put("key", "0/1").put("seeds", 4L);
        try (ResultStore store = ResultStore.open(file, sameSeeds, config(3), MAPPER.createObjectNode())) {
            store.append(asLong);
            assertThatThrownBy(() -> store.append(other)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("seeds 4 differ");
        }
        assertThat(Files.readAllLines(file)).hasSize(2).last().isEqualTo("{\"key\":\"0/0\",\"seeds\":3}");
    }

    @Test
    void namesTheLineOfACorruptRecord() throws IOException {
        Path file = dir.resolve("r.jsonl");
        try (ResultStore store = ResultStore.open(file, TEST, config(3), MAPPER.createObjectNode())) {
            store.append(record(0));
        }
        Files.writeString(file, "not json\n{\"key\":\"0/0\"}\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        assertThatThrownBy(() -> keysInOrder(file)).hasMessageContaining("line 3: malformed JSON");
        String before = Files.readString(file);
        assertThatThrownBy(() -> ResultStore.open(file, TEST, config(3), MAPPER.createObjectNode()))
                .hasMessageContaining("line 3: malformed JSON").hasMessageContaining("is left as it is");
        assertThat(Files.readString(file)).isEqualTo(before);
        Path twice = dir.resolve("twice.jsonl");
        Files.writeString(twice, "{\"schema\":\"subliminal.test/1\",\"config\":{}}\n{\"key\":\"a\",\"value\":1}\n"
                + "{\"key\":\"a\",\"value\":2}\n");
        assertThatThrownBy(() -> keysInOrder(twice)).hasMessageContaining("line 3: key a appears twice (first on line 2)");
        assertThatThrownBy(() -> ResultStore.open(twice, TEST, MAPPER.createObjectNode(), MAPPER.createObjectNode()))
                .hasMessageContaining("line 3: key a appears twice");
        assertThatThrownBy(() -> ResultsReader.header(dir.resolve("missing.jsonl"), TEST)).hasMessageContaining("no such file");
    }

    private static ObjectNode header(int seeds) {
        return MAPPER.createObjectNode().put("tool", "test").put("seeds", seeds);
    }

    /** Bytes that are not a results file: no newline at all, or lines that are no header. */
    static List<byte[]> strangers() {
        byte[] binary = new byte[4096];
        new java.util.Random(7).nextBytes(binary);
        for (int i = 0; i < binary.length; i++) {
            binary[i] = binary[i] == '\n' ? 0 : binary[i];
        }
        return List.of(binary, "seeds: 3\naxes:\n  samples: 8\n".getBytes(StandardCharsets.UTF_8),
                "{\"key\":\"0/0\",\"value\":1}".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aFileThatIsNotAResultsFileIsRefusedAndLeftByteForByte() throws IOException {
        for (byte[] bytes : strangers()) {
            Path file = Files.write(dir.resolve("stranger.dat"), bytes);
            assertThatThrownBy(() -> ResultStore.open(file, TEST, config(3), header(3)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("stranger.dat");
            assertThat(Files.readAllBytes(file)).isEqualTo(bytes);
        }
    }

    @Test
    void anotherKindsResultsWithAPartialLastLineAreRefusedBeforeAnythingIsCut() throws IOException {
        Path file = dir.resolve("other.jsonl");
        try (ResultStore store = ResultStore.open(file, OTHER, config(3), header(3))) {
            store.append(MAPPER.createObjectNode().put("key", "a"));
        }
        Files.writeString(file, "{\"key\":\"b\"", StandardOpenOption.APPEND);
        byte[] before = Files.readAllBytes(file);
        assertThatThrownBy(() -> ResultStore.open(file, TEST, config(3), header(3)))
                .hasMessageContaining("holds subliminal.other/1 results, not subliminal.test/1");
        assertThatThrownBy(() -> ResultStore.open(file, OTHER, config(4), header(4)))
                .hasMessageContaining("another configuration");
        assertThat(Files.readAllBytes(file)).isEqualTo(before);
        Path torn = Files.writeString(dir.resolve("torn.jsonl"), "{\"schema\":\"subliminal.test/1\",\"config\":{\"seeds\":4");
        assertThatThrownBy(() -> ResultStore.open(torn, TEST, config(3), header(3)))
                .hasMessageContaining("no complete header line");
        assertThat(Files.readString(torn)).endsWith("\"seeds\":4");
    }

    @Test
    void linksFifosAndFoldersAreRefusedAndLeftAsTheyAre() throws Exception {
        Path target = dir.resolve("r.jsonl");
        try (ResultStore store = ResultStore.open(target, TEST, config(3), header(3))) {
            store.append(record(0));
        }
        byte[] before = Files.readAllBytes(target);
        Path link = Files.createSymbolicLink(dir.resolve("link.jsonl"), target);
        assertThatThrownBy(() -> ResultStore.open(link, TEST, config(3), header(3)))
                .hasMessage("cannot write " + link + ": it is a symbolic link, not a regular file; give the path of a file");
        assertThat(Files.isSymbolicLink(link)).isTrue();
        assertThat(Files.readAllBytes(target)).isEqualTo(before);
        Path fifo = dev.subliminal.results.io.SpecialFiles.fifo(dir.resolve("fifo"));
        assertThatThrownBy(() -> ResultStore.open(fifo, TEST, config(3), header(3))).hasMessageContaining("it is a FIFO");
        assertThat(dev.subliminal.results.io.SpecialFiles.isFifo(fifo)).isTrue();
        assertThatThrownBy(() -> ResultStore.open(dir, TEST, config(3), header(3))).hasMessageContaining("it is a folder");
    }

    @Test
    void oneWriterAtATime() {
        Path file = dir.resolve("r.jsonl");
        try (ResultStore first = ResultStore.open(file, TEST, config(3), header(3))) {
            first.append(record(0));
            assertThatThrownBy(() -> ResultStore.open(file, TEST, config(3), header(3)))
                    .hasMessage(file + " is already being written by this process (pid " + ProcessHandle.current().pid()
                            + ")");
            first.append(record(1));
        }
        try (ResultStore again = ResultStore.open(file, TEST, config(3), header(3))) {
            assertThat(again.keys()).containsExactlyInAnyOrder("0/0", "0/1");
        }
    }

    @Test
    void aRunThatFailsBeforeItsFirstRecordRemovesTheFileItCreatedButNeverOneItFound() throws IOException {
        Path file = dir.resolve("r.jsonl");
        assertThatThrownBy(() -> ResultStore.write(file, TEST, config(3), header(3), s -> {
            throw new IllegalStateException("failed at once");
        })).hasMessage("failed at once");
        assertThat(file).doesNotExist();
        ResultStore.write(file, TEST, config(4), header(4), s -> s.append(record(0)));
        assertThat(file).exists();
        // an existing file, even without records, is never removed
        Path empty = dir.resolve("empty.jsonl");
        ResultStore.open(empty, TEST, config(3), header(3)).close();
        byte[] before = Files.readAllBytes(empty);
        assertThatThrownBy(() -> ResultStore.write(empty, TEST, config(3), header(3), s -> {
            throw new IllegalStateException("failed again");
        })).hasMessage("failed again");
        assertThat(Files.readAllBytes(empty)).isEqualTo(before);
        // a run that fails after a record keeps it for the next run to resume
        Path some = dir.resolve("some.jsonl");
        assertThatThrownBy(() -> ResultStore.write(some, TEST, config(3), header(3), s -> {
            s.append(record(0));
            throw new IllegalStateException("failed later");
        })).hasMessage("failed later");
        assertThat(keysInOrder(some)).containsExactly("0/0");
    }

    @Test
    void aNewFileGetsTheUsersDefaultPermissions() throws IOException {
        Path file = dir.resolve("r.jsonl");
        ResultStore.write(file, TEST, config(3), header(3), s -> s.append(record(0)));
        assertThat(Files.getPosixFilePermissions(file))
                .isEqualTo(dev.subliminal.results.io.SpecialFiles.defaultFilePermissions(dir));
    }
}
