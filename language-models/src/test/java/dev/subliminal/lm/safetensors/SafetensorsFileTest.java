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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reader on files written from PyTorch tensors (fixture script
 * src/test/python/make_safetensors_fixtures.py), the writer against the same bytes and the
 * reference implementation's own serialization test vectors, and writer → reader round trips.
 */
class SafetensorsFileTest {

    private static final String DIR = "/dev/subliminal/lm/safetensors/";

    @TempDir
    Path tmp;

    @Test
    void readsThePyTorchFileWithTheValuesPyTorchHolds() {
        Path file = Fixtures.copy(DIR + "torch_mixed.safetensors", tmp, "torch_mixed.safetensors");
        JsonNode expected = StrictJson.parse(Fixtures.bytes(DIR + "torch_mixed.json"), "torch_mixed.json");
        for (int window : new int[] {SafetensorsFile.DEFAULT_WINDOW, 8, 16, 24, 40}) {
            try (SafetensorsFile f = SafetensorsFile.open(file, window)) {
                assertThat(f.metadata()).containsEntry("format", "pt").containsEntry("note", "écrit par PyTorch");
                assertThat(f.tensors()).hasSize(expected.get("tensors").size());
                for (Iterator<Map.Entry<String, JsonNode>> it = expected.get("tensors").fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    TensorInfo t = f.require(e.getKey());
                    assertThat(t.dtype().name()).isEqualTo(e.getValue().get("dtype").asText());
                    assertThat(t.shape()).containsExactly(longs(e.getValue().get("shape")));
                    if (e.getValue().has("values")) {
                        double[] want = doubles(e.getValue().get("values"));
                        assertThat(f.readDoubles(e.getKey())).as("%s, window %d", e.getKey(), window).containsExactly(want);
                        float[] asFloat = new float[want.length];
                        f.read(e.getKey(), asFloat, 0);
                        for (int i = 0; i < want.length; i++) {
                            assertThat(asFloat[i]).isEqualTo((float) want[i]);
                        }
                    } else {
                        assertThatThrownBy(() -> f.readDoubles(e.getKey())).isInstanceOf(FormatException.class)
                                .hasMessageContaining("torch_mixed.safetensors").hasMessageContaining(e.getKey())
                                .hasMessageContaining("I64");
                    }
                }
            }
        }
    }

    @Test
    void writerReproducesThePyTorchFileByteForByte() throws IOException {
        JsonNode expected = StrictJson.parse(Fixtures.bytes(DIR + "torch_mixed.json"), "torch_mixed.json");
        List<SafetensorsWriter.Entry> entries = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = expected.get("tensors").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().has("values")) {
                continue; // the I64 buffer: compared separately below
            }
            long[] shape = longs(e.getValue().get("shape"));
            int[] dims = new int[shape.length];
            for (int i = 0; i < dims.length; i++) {
                dims[i] = (int) shape[i];
            }
            entries.add(new SafetensorsWriter.Entry(e.getKey(), DType.valueOf(e.getValue().get("dtype").asText()), dims,
                    doubles(e.getValue().get("values")), 0));
        }
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("note", "écrit par PyTorch");
        meta.put("format", "pt");
        byte[] mine = SafetensorsWriter.toBytes(entries, meta);
        assertThat(mine).isEqualTo(Fixtures.bytes(DIR + "torch_floats.safetensors"));
        Path file = tmp.resolve("mine.safetensors");
        SafetensorsWriter.write(file, entries, meta, false);
        assertThat(Files.readAllBytes(file)).isEqualTo(mine);
    }

    @Test
    void writerMatchesTheReferenceImplementationsTestVectors() {
        // huggingface/safetensors, safetensors/src/tensor.rs, tests test_serialization,
        // test_serialization_forced_alignement and test_empty
        double[] v = {0, 1, 2, 3, 4, 5};
        assertThat(SafetensorsWriter.toBytes(List.of(SafetensorsWriter.Entry.of("attn.0", DType.F32, v, 1, 2, 3)), null))
                .containsExactly(bytes(64, 0, 0, 0, 0, 0, 0, 0, 123, 34, 97, 116, 116, 110, 46, 48, 34, 58, 123, 34, 100,
                        116, 121, 112, 101, 34, 58, 34, 70, 51, 50, 34, 44, 34, 115, 104, 97, 112, 101, 34,
                        58, 91, 49, 44, 50, 44, 51, 93, 44, 34, 100, 97, 116, 97, 95, 111, 102, 102, 115,
                        101, 116, 115, 34, 58, 91, 48, 44, 50, 52, 93, 125, 125, 0, 0, 0, 0, 0, 0, 128, 63,
                        0, 0, 0, 64, 0, 0, 64, 64, 0, 0, 128, 64, 0, 0, 160, 64));
        assertThat(SafetensorsWriter.toBytes(List.of(SafetensorsWriter.Entry.of("attn0", DType.F32, v, 1, 1, 2, 3)), null))
                .containsExactly(bytes(72, 0, 0, 0, 0, 0, 0, 0, 123, 34, 97, 116, 116, 110, 48, 34, 58, 123, 34, 100, 116,
                        121, 112, 101, 34, 58, 34, 70, 51, 50, 34, 44, 34, 115, 104, 97, 112, 101, 34, 58,
                        91, 49, 44, 49, 44, 50, 44, 51, 93, 44, 34, 100, 97, 116, 97, 95, 111, 102, 102,
                        115, 101, 116, 115, 34, 58, 91, 48, 44, 50, 52, 93, 125, 125, 32, 32, 32, 32, 32,
                        32, 32, 0, 0, 0, 0, 0, 0, 128, 63, 0, 0, 0, 64, 0, 0, 64, 64, 0, 0, 128, 64, 0, 0,
                        160, 64));
        assertThat(SafetensorsWriter.toBytes(List.of(), null))
                .containsExactly(bytes(8, 0, 0, 0, 0, 0, 0, 0, 123, 125, 32, 32, 32, 32, 32, 32));
        assertThat(SafetensorsWriter.toBytes(List.of(), Map.of("framework", "pt")))
                .containsExactly(bytes(40, 0, 0, 0, 0, 0, 0, 0, 123, 34, 95, 95, 109, 101, 116, 97, 100, 97, 116, 97, 95,
                        95, 34, 58, 123, 34, 102, 114, 97, 109, 101, 119, 111, 114, 107, 34, 58, 34, 112,
                        116, 34, 125, 125, 32, 32, 32, 32, 32));
    }

    @Test
    void randomTensorsRoundTripThroughWriterAndReaderInEveryWindowSize() {
        long seed = 20261203L;
        System.out.println("SafetensorsFileTest round trip seed " + seed);
        SplittableRandom rng = new SplittableRandom(seed);
        DType[] types = {DType.F32, DType.F16, DType.BF16, DType.F64};
        for (int round = 0; round < 20; round++) {
            List<SafetensorsWriter.Entry> entries = new ArrayList<>();
            int count = 1 + rng.nextInt(6);
            for (int k = 0; k < count; k++) {
                int[] shape = new int[rng.nextInt(4)];
                int n = 1;
                for (int i = 0; i < shape.length; i++) {
                    shape[i] = rng.nextInt(5);
                    n *= shape[i];
                }
                double[] v = new double[n];
                DType type = types[rng.nextInt(types.length)];
                for (int i = 0; i < n; i++) {
                    double x = rng.nextGaussian() * Math.pow(10, rng.nextInt(-3, 4));
                    // values representable in the stored type, so the round trip is exact
                    v[i] = switch (type) {
                        case F32 -> (float) x;
                        case F16 -> SmallFloats.f16ToDouble(SmallFloats.doubleToF16(x));
                        case BF16 -> SmallFloats.bf16ToDouble(SmallFloats.doubleToBf16(x));
                        default -> x;
                    };
                }
                entries.add(new SafetensorsWriter.Entry("t" + k + (rng.nextBoolean() ? ".weight" : ".é"), type, shape, v, 0));
            }
            Path file = tmp.resolve("r" + round + ".safetensors");
            SafetensorsWriter.write(file, entries, Map.of("round", Integer.toString(round)), false);
            for (int window : new int[] {8, 16, 32, SafetensorsFile.DEFAULT_WINDOW}) {
                try (SafetensorsFile f = SafetensorsFile.open(file, window)) {
                    assertThat(f.metadata()).containsEntry("round", Integer.toString(round));
                    for (SafetensorsWriter.Entry e : entries) {
                        TensorInfo t = f.require(e.name());
                        assertThat(t.dtype()).isEqualTo(e.dtype());
                        assertThat(t.begin() % e.dtype().size()).isZero(); // aligned, as the reference lays out
                        assertThat(f.readDoubles(e.name())).containsExactly(e.values());
                    }
                }
            }
        }
    }

    @Test
    void writingRefusesToReplaceAFileUnlessAsked() throws IOException {
        Path file = tmp.resolve("model.safetensors");
        Files.writeString(file, "mine");
        List<SafetensorsWriter.Entry> e = List.of(SafetensorsWriter.Entry.of("a", DType.F32, new double[] {1}, 1));
        assertThatThrownBy(() -> SafetensorsWriter.write(file, e, null, false)).isInstanceOf(FormatException.class)
                .hasMessageContaining("model.safetensors").hasMessageContaining("already exists");
        assertThat(Files.readString(file)).isEqualTo("mine");
        SafetensorsWriter.write(file, e, null, true);
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            assertThat(f.readDoubles("a")).containsExactly(1.0);
        }
        try (Stream files = new Stream(tmp)) {
            assertThat(files.names()).containsExactly("model.safetensors"); // no temporary file left behind
        }
    }

    /** The names in a folder. */
    private record Stream(Path dir) implements AutoCloseable {
        List<String> names() throws IOException {
            try (var s = Files.list(dir)) {
                return s.map(p -> p.getFileName().toString()).sorted().toList();
            }
        }

        @Override
        public void close() {
        }
    }

    static byte[] bytes(int... v) {
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = (byte) v[i];
        }
        return b;
    }

    static long[] longs(JsonNode array) {
        long[] out = new long[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asLong();
        }
        return out;
    }

    static double[] doubles(JsonNode array) {
        double[] out = new double[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = Double.parseDouble(array.get(i).asText());
        }
        return out;
    }
}
