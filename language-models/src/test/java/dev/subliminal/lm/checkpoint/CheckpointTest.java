package dev.subliminal.lm.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.subliminal.lm.io.FormatException;
import dev.subliminal.lm.io.StrictJson;
import dev.subliminal.lm.safetensors.DType;
import dev.subliminal.lm.safetensors.SafetensorsFile;
import dev.subliminal.lm.safetensors.SafetensorsWriter;
import dev.subliminal.lm.safetensors.SmallFloats;
import dev.subliminal.lm.safetensors.TensorInfo;
import dev.subliminal.lm.testing.Fixtures;
import dev.subliminal.lm.transformer.TransformerConfig;
import dev.subliminal.theory.param.ParameterLayout;
import dev.subliminal.theory.param.TensorSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checkpoint folders: the PyTorch-made GPT-2 and Llama folders (src/test/python/
 * make_safetensors_fixtures.py) load into θ with the values PyTorch holds; θ written by Java reads
 * back exactly (after the stored type's rounding), single-file and sharded; every mismatch between
 * layout and checkpoint is a one-line error naming file and tensor.
 */
class CheckpointTest {

    private static final String DIR = "/dev/subliminal/lm/checkpoint/";

    @TempDir
    Path tmp;

    private Path fixture(String name) {
        Path folder = tmp.resolve(name);
        for (String f : new String[] {"config.json", "model.safetensors"}) {
            Fixtures.copy(DIR + name + "/" + f, folder, f);
        }
        return folder;
    }

    @Test
    void pyTorchGpt2FolderLoadsWithPrefixBuffersAndTiedHead() {
        try (Checkpoint cp = Checkpoint.read(fixture("gpt2-tiny"))) {
            TransformerConfig c = cp.config();
            assertThat(c).isEqualTo(new TransformerConfig(TransformerConfig.Layout.GPT2, 11, 6, 4, 2, 2, 2, 2, 16, 1e-5,
                    10000.0, true, true));
            assertMatchesExpected(cp, new dev.subliminal.lm.transformer.Transformer(c, 1).layout(), "gpt2-tiny");
            assertThat(cp.weights().require("transformer.h.0.attn.bias").dtype()).isEqualTo(DType.BOOL);
        }
    }

    @Test
    void pyTorchLlamaFolderLoadsWithUntiedHeadAndRotaryBuffers() {
        try (Checkpoint cp = Checkpoint.read(fixture("llama-tiny"))) {
            TransformerConfig c = cp.config();
            assertThat(c).isEqualTo(new TransformerConfig(TransformerConfig.Layout.LLAMA, 13, 8, 8, 2, 4, 2, 2, 12, 1e-5,
                    500000.0, false, false));
            assertMatchesExpected(cp, new dev.subliminal.lm.transformer.Transformer(c, 1).layout(), "llama-tiny");
        }
    }

    private static void assertMatchesExpected(Checkpoint cp, ParameterLayout layout, String name) {
        JsonNode expected = StrictJson.parse(Fixtures.bytes(DIR + name + "/expected.json"), "expected.json");
        assertThat(expected.size()).isEqualTo(layout.tensors().size());
        double[] theta = cp.load(layout);
        float[] thetaF = cp.loadFloats(layout);
        for (TensorSpec t : layout.tensors()) {
            JsonNode values = expected.get(t.name());
            assertThat(values).as(t.name()).isNotNull();
            assertThat(values.size()).isEqualTo(t.size());
            for (int i = 0; i < t.size(); i++) {
                double want = Double.parseDouble(values.get(i).asText());
                assertThat(theta[t.offset() + i]).as("%s[%d]", t.name(), i).isEqualTo(want);
                assertThat(thetaF[t.offset() + i]).isEqualTo((float) want);
            }
        }
    }

    @Test
    void thetaRoundTripsInEveryDtypeSingleAndSharded() {
        TransformerConfig gpt2 = new TransformerConfig(TransformerConfig.Layout.GPT2, 17, 5, 6, 2, 3, 3, 2, 24, 1e-5, 1e4,
                true, true);
        TransformerConfig qwen = new TransformerConfig(TransformerConfig.Layout.LLAMA, 19, 7, 8, 2, 4, 2, 4, 10, 1e-6, 1e6,
                false, true);
        long seed = 7;
        System.out.println("CheckpointTest seed " + seed);
        SplittableRandom rng = new SplittableRandom(seed);
        int k = 0;
        for (TransformerConfig c : List.of(gpt2, qwen)) {
            ParameterLayout layout = new dev.subliminal.lm.transformer.Transformer(c, 1).layout();
            double[] theta = new double[layout.size()];
            for (int i = 0; i < theta.length; i++) {
                theta[i] = rng.nextGaussian() * 0.1;
            }
            for (DType dtype : new DType[] {DType.F32, DType.F16, DType.BF16, DType.F64}) {
                for (long maxShard : new long[] {Long.MAX_VALUE, 200}) {
                    Path folder = tmp.resolve("cp" + k++);
                    List<Path> files = Checkpoint.write(folder, HfConfig.of(c), layout, theta, dtype, maxShard, false);
                    assertThat(files.get(files.size() - 1).getFileName().toString()).isEqualTo("config.json");
                    if (maxShard == 200) {
                        assertThat(files.size()).isGreaterThan(3);
                        for (Path shard : files.subList(0, files.size() - 2)) {
                            try (SafetensorsFile f = SafetensorsFile.open(shard)) {
                                long bytes = f.tensors().stream().mapToLong(t -> t.end() - t.begin()).sum();
                                assertThat(bytes <= 200 || f.tensors().size() == 1).as(shard.toString()).isTrue();
                            }
                        }
                    } else {
                        assertThat(files).hasSize(2);
                    }
                    try (Checkpoint cp = Checkpoint.read(folder)) {
                        assertThat(cp.config()).isEqualTo(c);
                        assertThat(cp.hfConfig().modelType()).isEqualTo(ModelType.of(c));
                        double[] back = cp.load(layout);
                        for (int i = 0; i < theta.length; i++) {
                            double want = switch (dtype) {
                                case F32 -> (float) theta[i];
                                case F16 -> SmallFloats.f16ToDouble(SmallFloats.doubleToF16(theta[i]));
                                case BF16 -> SmallFloats.bf16ToDouble(SmallFloats.doubleToBf16(theta[i]));
                                default -> theta[i];
                            };
                            assertThat(back[i]).isEqualTo(want);
                        }
                    }
                }
            }
        }
    }

    /**
     * Found by CheckpointFolderFuzzTest: θ was allocated for the layout of config.json before the
     * weights were matched, so a config.json claiming two billion parameters beside a small file ran
     * out of memory instead of naming the tensor that does not fit.
     */
    @Test
    void aConfigClaimingMoreThanTheWeightsHoldIsRefusedBeforeAllocating() {
        TransformerConfig c = new TransformerConfig(TransformerConfig.Layout.GPT2, 7, 3, 4, 1, 2, 2, 2, 8, 1e-5, 1e4, true, true);
        ParameterLayout layout = new dev.subliminal.lm.transformer.Transformer(c, 1).layout();
        Path folder = tmp.resolve("claims");
        Checkpoint.write(folder, c, layout, new double[layout.size()], DType.F32);
        TransformerConfig huge = new TransformerConfig(TransformerConfig.Layout.GPT2, 7, 500_000_000, 4, 1, 2, 2, 2, 8, 1e-5,
                1e4, true, true);
        HfConfig.of(huge).write(folder.resolve(Checkpoint.CONFIG), DType.F32, true);
        try (Checkpoint cp = Checkpoint.read(folder)) {
            ParameterLayout claimed = cp.config().parameterLayout();
            assertThat(claimed.size()).isGreaterThan(2_000_000_000);
            assertThatThrownBy(() -> cp.load(claimed)).isInstanceOf(FormatException.class)
                    .hasMessageContaining("'wpe.weight': has shape [3, 4], expected [500000000, 4]");
            assertThatThrownBy(() -> cp.loadFloats(claimed)).isInstanceOf(FormatException.class)
                    .hasMessageContaining("'wpe.weight'");
        }
    }

    @Test
    void mismatchesAreOneLineErrorsNamingFileAndTensor() throws IOException {
        TransformerConfig c = new TransformerConfig(TransformerConfig.Layout.GPT2, 7, 3, 4, 1, 2, 2, 2, 8, 1e-5, 1e4, true, true);
        ParameterLayout layout = new dev.subliminal.lm.transformer.Transformer(c, 1).layout();
        double[] theta = new double[layout.size()];
        Path folder = tmp.resolve("cp");
        Checkpoint.write(folder, c, layout, theta, DType.F32);
        Path weights = folder.resolve("model.safetensors");

        // a missing tensor
        rewrite(weights, layout, theta, e -> e.name().equals("h.0.ln_2.bias") ? null : e);
        assertLoadError(folder, layout, "model.safetensors", "'h.0.ln_2.bias'", "is missing");
        // a misshapen tensor
        rewrite(weights, layout, theta, e -> e.name().equals("wpe.weight")
                ? new SafetensorsWriter.Entry("wpe.weight", DType.F32, new int[] {4, 3}, theta, 0) : e);
        assertLoadError(folder, layout, "model.safetensors", "'wpe.weight'", "has shape [4, 3], expected [3, 4]");
        // an unexpected extra tensor
        List<SafetensorsWriter.Entry> extra = entries(layout, theta);
        extra.add(SafetensorsWriter.Entry.of("h.0.attn.rotary", DType.F32, new double[2], 2));
        SafetensorsWriter.write(weights, extra, null, true);
        assertLoadError(folder, layout, "model.safetensors", "'h.0.attn.rotary'", "unexpected tensor");
        // a tied head that differs from the embedding
        List<SafetensorsWriter.Entry> head = entries(layout, theta);
        double[] ones = new double[28];
        java.util.Arrays.fill(ones, 1);
        head.add(SafetensorsWriter.Entry.of("lm_head.weight", DType.F32, ones, 7, 4));
        SafetensorsWriter.write(weights, head, null, true);
        assertLoadError(folder, layout, "model.safetensors", "'lm_head.weight'", "differs from the tied embedding");
        // both prefixed and plain names
        List<SafetensorsWriter.Entry> both = entries(layout, theta);
        both.add(SafetensorsWriter.Entry.of("transformer.ln_f.bias", DType.F32, new double[4], 4));
        SafetensorsWriter.write(weights, both, null, true);
        assertLoadError(folder, layout, "model.safetensors", "'ln_f.bias'", "both with and without");
        // an integer tensor in a parameter's place
        Files.delete(weights);
        assertThatThrownBy(() -> Checkpoint.read(folder)).isInstanceOf(FormatException.class)
                .hasMessageContaining("holds neither model.safetensors");
        // unknown model_type
        Files.writeString(folder.resolve("config.json"), "{\"model_type\": \"bert\"}");
        assertThatThrownBy(() -> Checkpoint.read(folder)).isInstanceOf(FormatException.class)
                .hasMessageContaining("config.json: 'model_type': unknown model_type 'bert'");
        Files.delete(folder.resolve("config.json"));
        assertThatThrownBy(() -> Checkpoint.read(folder)).isInstanceOf(FormatException.class).hasMessageContaining("has no config.json");
    }

    @Test
    void writingNeverReplacesACheckpointUnlessAskedNorWritesIntoTheFolderBeingRead() throws IOException {
        TransformerConfig c = new TransformerConfig(TransformerConfig.Layout.GPT2, 7, 3, 4, 1, 2, 2, 2, 8, 1e-5, 1e4, true, true);
        ParameterLayout layout = new dev.subliminal.lm.transformer.Transformer(c, 1).layout();
        double[] theta = new double[layout.size()];
        Path folder = tmp.resolve("cp");
        Checkpoint.write(folder, c, layout, theta, DType.F32);
        byte[] before = Files.readAllBytes(folder.resolve("model.safetensors"));
        assertThatThrownBy(() -> Checkpoint.write(folder, c, layout, new double[layout.size()], DType.F16))
                .isInstanceOf(FormatException.class).hasMessageContaining("refusing to replace");
        assertThat(Files.readAllBytes(folder.resolve("model.safetensors"))).isEqualTo(before);
        try (Checkpoint cp = Checkpoint.read(folder)) {
            assertThatThrownBy(() -> Checkpoint.write(folder, HfConfig.of(c), layout, cp.load(layout), DType.F16, 1 << 30, true))
                    .isInstanceOf(FormatException.class).hasMessageContaining("is being read");
        }
        Checkpoint.write(folder, HfConfig.of(c), layout, theta, DType.F16, 1 << 30, true);
        try (SafetensorsFile f = SafetensorsFile.open(folder.resolve("model.safetensors"))) {
            assertThat(f.tensors()).extracting(TensorInfo::dtype).containsOnly(DType.F16);
            assertThat(f.metadata()).isEqualTo(Map.of("format", "pt"));
        }
    }

    private interface Edit {
        SafetensorsWriter.Entry apply(SafetensorsWriter.Entry e);
    }

    private static List<SafetensorsWriter.Entry> entries(ParameterLayout layout, double[] theta) {
        List<SafetensorsWriter.Entry> list = new ArrayList<>();
        for (TensorSpec t : layout.tensors()) {
            list.add(new SafetensorsWriter.Entry(t.name(), DType.F32, t.shape(), theta, t.offset()));
        }
        return list;
    }

    private static void rewrite(Path file, ParameterLayout layout, double[] theta, Edit edit) {
        List<SafetensorsWriter.Entry> list = new ArrayList<>();
        for (SafetensorsWriter.Entry e : entries(layout, theta)) {
            SafetensorsWriter.Entry x = edit.apply(e);
            if (x != null) {
                list.add(x);
            }
        }
        SafetensorsWriter.write(file, list, null, true);
    }

    private static void assertLoadError(Path folder, ParameterLayout layout, String file, String tensor, String problem) {
        try (Checkpoint cp = Checkpoint.read(folder)) {
            assertThatThrownBy(() -> cp.load(layout)).isInstanceOfSatisfying(FormatException.class, e ->
                    assertThat(e.getMessage()).contains(file).contains(tensor).contains(problem).doesNotContain("\n"));
        }
    }
}
