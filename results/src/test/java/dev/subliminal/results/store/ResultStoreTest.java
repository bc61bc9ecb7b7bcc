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
}
