package dev.subliminal.lm.safetensors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.subliminal.lm.io.FormatException;
import dev.subliminal.lm.io.StrictJson;
import dev.subliminal.lm.testing.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sharded folders: the PyTorch-made fixture, Java-written shards read back, and every index error. */
class WeightFolderTest {

    private static final String DIR = "/dev/subliminal/lm/safetensors/sharded/";
    private static final String[] FILES = {"model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors",
        "model.safetensors.index.json"};

    @TempDir
    Path tmp;

    private Path fixture() {
        Path folder = tmp.resolve("sharded");
        for (String f : FILES) {
            Fixtures.copy(DIR + f, folder, f);
        }
        return folder;
    }

    @Test
    void readsTheShardedFixtureAsOneSource() {
        JsonNode expected = StrictJson.parse(Fixtures.bytes("/dev/subliminal/lm/safetensors/sharded.json"), "sharded.json");
        try (TensorSource s = WeightFolder.open(fixture())) {
            assertThat(s.tensors()).hasSize(expected.size());
            for (Iterator<Map.Entry<String, JsonNode>> it = expected.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                assertThat(s.require(e.getKey()).dtype().name()).isEqualTo(e.getValue().get("dtype").asText());
                assertThat(s.readDoubles(e.getKey())).containsExactly(SafetensorsFileTest.doubles(e.getValue().get("values")));
            }
            assertThat(s.fileOf("ln_f.bias")).endsWith("model-00002-of-00002.safetensors");
        }
    }

    @Test
    void javaWrittenShardsReadBackAndMatchHuggingFaceNaming() throws IOException {
        List<SafetensorsWriter.Entry> entries = entries();
        Path folder = Files.createDirectory(tmp.resolve("out"));
        List<Path> written = WeightFolder.write(folder, entries, Map.of("format", "pt"), 100, false);
        assertThat(written).extracting(p -> p.getFileName().toString()).containsExactly(
                "model-00001-of-00003.safetensors", "model-00002-of-00003.safetensors",
                "model-00003-of-00003.safetensors", "model.safetensors.index.json");
        JsonNode index = StrictJson.read(folder.resolve(WeightFolder.INDEX), 1 << 20);
        assertThat(index.get("metadata").get("total_size").asLong()).isEqualTo(4 * (10 + 20 + 5) + 2 * 3);
        assertThat(index.get("weight_map").get("c").asText()).isEqualTo("model-00003-of-00003.safetensors");
        try (TensorSource s = WeightFolder.open(folder)) {
            for (SafetensorsWriter.Entry e : entries) {
                double[] got = s.readDoubles(e.name());
                assertThat(got).hasSize((int) e.elements());
            }
            assertThat(s.readDoubles("a")).containsExactly(java.util.Arrays.copyOf(entries.get(0).values(), 10));
            assertThat(s.metadata()).containsEntry("format", "pt");
        }
        // a second write must be asked for, and then leaves no stale shard
        assertThatThrownBy(() -> WeightFolder.write(folder, entries, null, 1000, false))
                .isInstanceOf(FormatException.class).hasMessageContaining("refusing to replace");
        WeightFolder.write(folder, entries, null, 1000, true);
        try (var files = Files.list(folder)) {
            assertThat(files.map(p -> p.getFileName().toString()).toList()).containsExactly("model.safetensors");
        }
    }

    @Test
    void refusesToWriteIntoAFolderBeingRead() {
        Path folder = fixture();
        try (TensorSource s = WeightFolder.open(folder)) {
            assertThat(s.tensors()).isNotEmpty();
            assertThatThrownBy(() -> WeightFolder.write(folder, entries(), null, 1000, true))
                    .isInstanceOf(FormatException.class).hasMessageContaining("is being read");
            assertThatThrownBy(() -> SafetensorsWriter.write(folder.resolve("other.safetensors"), entries(), null, true))
                    .isInstanceOf(FormatException.class).hasMessageContaining("is being read");
        }
        WeightFolder.write(folder, entries(), null, 1000, true); // closed: now allowed when asked
    }

    @Test
    void indexErrorsNameTheFileAndTensor() throws IOException {
        Path folder = fixture();
        Path index = folder.resolve(WeightFolder.INDEX);
        String good = Files.readString(index);

        Files.writeString(index, good.replace("\"wpe.weight\": \"model-00001-of-00002.safetensors\"",
                "\"wpe.weight\": \"model-00002-of-00002.safetensors\""));
        assertError(folder, "model-00001-of-00002.safetensors", "'wpe.weight'", "listed in");

        Files.writeString(index, good.replace("\"wpe.weight\": \"model-00001-of-00002.safetensors\",", ""));
        assertError(folder, "model-00001-of-00002.safetensors", "'wpe.weight'", "is not listed in");

        Files.writeString(index, good.replace("\"wte.weight\"", "\"wte.weight\": \"model-00001-of-00002.safetensors\", \"lm_head.weight\""));
        assertError(folder, "model.safetensors.index.json", "'lm_head.weight'", "missing from its shard");

        Files.writeString(index, good.replace("model-00002-of-00002.safetensors", "../model-00002-of-00002.safetensors"));
        assertError(folder, "model.safetensors.index.json", "'ln_f.bias'", "same folder");

        Files.writeString(index, good.replace("model-00002-of-00002.safetensors", "model-00009-of-00009.safetensors"));
        assertError(folder, "model.safetensors.index.json", "model-00009-of-00009.safetensors", "does not exist");

        Files.writeString(index, good.replace("\"weight_map\"", "\"extra\": 1, \"weight_map\""));
        assertError(folder, "model.safetensors.index.json", "'extra'", "unknown field");

        Files.writeString(index, good.replace("{\n  \"metadata\"", "{\"weight_map\": {}, \"metadata\""));
        assertError(folder, "model.safetensors.index.json", "", "Duplicate field 'weight_map'");

        // the same tensor stored in two shards
        Files.writeString(index, good);
        Path second = folder.resolve("model-00002-of-00002.safetensors");
        SafetensorsWriter.write(second, List.of(SafetensorsWriter.Entry.of("wte.weight", DType.F32, new double[24], 6, 4),
                SafetensorsWriter.Entry.of("ln_f.bias", DType.F16, new double[4], 4),
                SafetensorsWriter.Entry.of("ln_f.weight", DType.BF16, new double[4], 4)), null, true);
        assertError(folder, "model-00002-of-00002.safetensors", "'wte.weight'", "also stored in");

        // both layouts at once, and neither
        Files.writeString(index, good);
        Files.write(folder.resolve(WeightFolder.SINGLE), SafetensorsWriter.toBytes(entries(), null));
        assertError(folder, folder.toString(), "", "holds both");
        Path empty = Files.createDirectory(tmp.resolve("empty"));
        assertError(empty, empty.toString(), "", "holds neither");
    }

    private static void assertError(Path folder, String file, String entry, String problem) {
        assertThatThrownBy(() -> WeightFolder.open(folder).close())
                .isInstanceOfSatisfying(FormatException.class, e -> assertThat(e.getMessage())
                        .contains(file).contains(entry).contains(problem).doesNotContain("\n"));
    }

    private static List<SafetensorsWriter.Entry> entries() {
        List<SafetensorsWriter.Entry> list = new ArrayList<>();
        double[] v = new double[40];
        for (int i = 0; i < v.length; i++) {
            v[i] = i * 0.25 - 3;
        }
        list.add(new SafetensorsWriter.Entry("a", DType.F32, new int[] {2, 5}, v, 0));
        list.add(new SafetensorsWriter.Entry("b", DType.F32, new int[] {4, 5}, v, 10));
        list.add(new SafetensorsWriter.Entry("b2", DType.BF16, new int[] {3}, v, 30));
        list.add(new SafetensorsWriter.Entry("c", DType.F32, new int[] {5}, v, 33));
        return list;
    }
}
