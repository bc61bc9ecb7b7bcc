package dev.subliminal.lm.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.subliminal.lm.checkpoint.Checkpoint;
import dev.subliminal.lm.transformer.SequenceObjective;
import dev.subliminal.lm.transformer.TransformerConfig;
import dev.subliminal.lm.transformer.TransformerConfig.Layout;
import dev.subliminal.simulation.optim.OptimizerKind;
import dev.subliminal.simulation.optim.OptimizerSpec;
import dev.subliminal.theory.linalg.Gemm;
import dev.subliminal.theory.random.Seeds;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.rng.UniformRandomProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The trainer against PyTorch (two float32 runs of {@code src/test/python/training_reference.py}: hard
 * labels with AdamW, clipping and a warm-up + cosine schedule; soft targets over a vocabulary subset
 * with Adam), a task it must learn, and checkpoints: a run saved and resumed continues bit for bit as
 * one that never stopped, an interrupted save is ignored, and a resume on other data or another
 * objective is refused.
 */
class TransformerTrainerTest {

    private static final TransformerConfig SMALL = new TransformerConfig(Layout.GPT2, 11, 12, 16, 2, 2, 2, 8, 32,
            1e-5, 0, true, true);

    @Test
    void matchesPyTorchsTrainingSteps() throws IOException {
        JsonNode doc;
        try (InputStream in = getClass().getResourceAsStream("torch-training.json")) {
            doc = new ObjectMapper().readTree(in);
        }
        for (JsonNode run : doc.get("runs")) {
            TransformerConfig c = config(run.get("config"));
            List<TokenExample> data = new ArrayList<>();
            for (JsonNode e : run.get("examples")) {
                data.add(new TokenExample(ints(e.get("tokens")), e.get("firstTarget").asInt()));
            }
            TrainingSettings s = new TrainingSettings(
                    run.get("optimizer").asText().equals("adamw") ? OptimizerKind.ADAMW : OptimizerKind.ADAM,
                    run.get("lr").asDouble(), run.get("warmup").asInt(), run.get("total").asInt(),
                    run.get("floor").asDouble(), run.get("weightDecay").asDouble(), OptimizerSpec.BETA1,
                    OptimizerSpec.BETA2, OptimizerSpec.DELTA, run.get("clip").asDouble(), data.size(), 1);
            SequenceObjective objective = run.has("teacher")
                    ? SequenceObjective.imitating(c, Gemm.defaults(), floats(run.get("teacher")),
                            run.get("temperature").asDouble(), ints(run.get("subset")))
                    : SequenceObjective.nextToken(c, Gemm.defaults());
            assertThat(objective.layout().names()).containsExactlyElementsOf(names(run.get("names")));
            TransformerTrainer trainer = TransformerTrainer.start(objective, floats(run.get("theta0")), data, s);
            List<Double> losses = new ArrayList<>();
            trainer.train(run.get("steps").asInt(), (t, loss) -> losses.add(loss));
            JsonNode expected = run.get("losses");
            for (int t = 0; t < losses.size(); t++) {
                double want = expected.get(t).asDouble();
                assertThat(Math.abs(losses.get(t) - want)).as("%s loss at step %d: %s vs %s", run.get("name"), t + 1,
                        losses.get(t), want).isLessThanOrEqualTo(1e-5 * Math.abs(want));
            }
            float[] theta = trainer.theta();
            float[] want = floats(run.get("theta"));
            boolean[] keyBias = keyBiases(objective.layout(), c);
            double scale = 0;
            double err = 0;
            for (int i = 0; i < want.length; i++) {
                scale = Math.max(scale, Math.abs(want[i]));
                if (!keyBias[i]) {
                    err = Math.max(err, Math.abs(theta[i] - want[i]));
                }
            }
            System.out.printf("%s: θ after %d steps, max |Java − PyTorch| / max |PyTorch| = %.2e%n", run.get("name"),
                    losses.size(), err / scale);
            assertThat(err).as("%s θ", run.get("name")).isLessThanOrEqualTo(1e-4 * scale);
        }
    }

    /**
     * The key biases: softmax ignores a constant added to a row of scores, so their gradient is 0 in
     * exact arithmetic and rounding noise in both implementations, which Adam turns into steps of about
     * the learning rate in either direction. Compared with PyTorch, they are left out.
     */
    private static boolean[] keyBiases(dev.subliminal.theory.param.ParameterLayout layout, TransformerConfig c) {
        boolean[] out = new boolean[layout.size()];
        for (dev.subliminal.theory.param.TensorSpec t : layout.tensors()) {
            if (t.name().endsWith("k_proj.bias")) {
                java.util.Arrays.fill(out, t.offset(), t.offset() + t.size(), true);
            } else if (t.name().endsWith("attn.c_attn.bias")) {
                int d = c.hiddenSize();
                java.util.Arrays.fill(out, t.offset() + d, t.offset() + 2 * d, true);
            }
        }
        return out;
    }

    /** Sequences counting up modulo V from random starts: every next token is determined by the last. */
    private static List<TokenExample> counting(int count, long seed) {
        UniformRandomProvider rng = Seeds.of(seed);
        List<TokenExample> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int[] t = new int[4 + rng.nextInt(6)];
            int start = rng.nextInt(SMALL.vocabSize());
            for (int k = 0; k < t.length; k++) {
                t[k] = (start + k) % SMALL.vocabSize();
            }
            out.add(i % 2 == 0 ? TokenExample.of(t) : new TokenExample(t, 2));
        }
        return out;
    }

    private static float[] init(long seed) {
        SequenceObjective o = SequenceObjective.nextToken(SMALL, Gemm.defaults());
        double[] d = new dev.subliminal.lm.transformer.Transformer(SMALL, 12).initialize(seed, 0.1);
        float[] f = new float[o.parameterCount()];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }

    @Test
    void learnsToCount() {
        List<TokenExample> data = counting(24, 1);
        TransformerTrainer t = TransformerTrainer.start(SequenceObjective.nextToken(SMALL, Gemm.defaults()), init(2),
                data, TrainingSettings.adamW(0.01, 8, 3).withSchedule(10, 150, 0.1));
        double before = t.loss();
        t.train(150);
        double after = t.loss();
        System.out.printf("counting: loss %.4f → %.4f after 150 steps (log V = %.4f)%n", before, after,
                Math.log(SMALL.vocabSize()));
        assertThat(before).isGreaterThan(0.9 * Math.log(SMALL.vocabSize()));
        assertThat(after).isLessThan(0.1);
        assertThat(t.step()).isEqualTo(150);
    }

    /** A run that owns its θ0 takes the steps of a run on a copy, bit for bit, and moves the array itself. */
    @Test
    void anOwningStartTakesTheSameSteps() {
        List<TokenExample> data = counting(7, 4);
        SequenceObjective objective = SequenceObjective.nextToken(SMALL, Gemm.defaults());
        TrainingSettings settings = TrainingSettings.adamW(0.02, 3, 5).withClipNorm(0.5);
        TransformerTrainer copied = TransformerTrainer.start(objective, init(6), data, settings);
        float[] owned = init(6);
        TransformerTrainer owning = TransformerTrainer.startOwning(objective, owned, data, settings);
        copied.train(3);
        owning.train(3);
        assertThat(owning.theta()).containsExactly(copied.theta()).isNotEqualTo(init(6));
        assertThat(owned).containsExactly(copied.theta());
    }

    @Test
    void aResumedRunContinuesBitForBit(@TempDir Path dir) {
        List<TokenExample> data = counting(7, 4);
        float[] teacher = init(9);
        TrainingSettings settings = TrainingSettings.adamW(0.02, 3, 5).withSchedule(2, 9, 0.1).withClipNorm(0.5);
        for (boolean soft : new boolean[] {false, true}) {
            SequenceObjective objective = soft
                    ? SequenceObjective.imitating(SMALL, Gemm.defaults(), teacher, 1.3, new int[] {0, 2, 3, 5, 8})
                    : SequenceObjective.nextToken(SMALL, Gemm.defaults());
            Path folder = dir.resolve(soft ? "soft" : "hard");
            TransformerTrainer straight = TransformerTrainer.start(objective, init(6), data, settings);
            List<Double> all = new ArrayList<>();
            straight.train(9, (s, loss) -> all.add(loss));

            TransformerTrainer first = TransformerTrainer.start(objective, init(6), data, settings);
            first.train(2);
            first.save(folder);
            first.train(2);
            Path saved = first.save(folder);
            assertThat(saved.getFileName().toString()).isEqualTo("step-00000004");
            try (Checkpoint cp = Checkpoint.read(saved)) {
                assertThat(cp.loadFloats(objective.layout())).as("model.safetensors holds θ_4").containsExactly(first.theta());
            }
            // An interrupted later save leaves only a hidden temporary folder: it is ignored.
            writeGarbage(folder.resolve(".step-00000007-123"));

            TransformerTrainer resumed = TransformerTrainer.resume(folder, objective, data);
            assertThat(resumed.step()).isEqualTo(4);
            List<Double> rest = new ArrayList<>();
            resumed.train(5, (s, loss) -> rest.add(loss));
            assertThat(resumed.step()).isEqualTo(9);
            assertThat(resumed.theta()).as("soft %s", soft).containsExactly(straight.theta());
            assertThat(rest).containsExactlyElementsOf(all.subList(4, 9));

            resumed.save(folder);
            resumed.save(folder.resolve("other"), 1);
            assertThat(folder.resolve("step-00000002")).doesNotExist();
            assertThat(folder.resolve("step-00000004")).isDirectory();
            assertThat(folder.resolve("step-00000009")).isDirectory();
            assertThatThrownBy(() -> resumed.save(folder)).hasMessageContaining("step-00000009").hasMessageContaining(
                    "already exists");
        }
        SequenceObjective hard = SequenceObjective.nextToken(SMALL, Gemm.defaults());
        assertThatThrownBy(() -> TransformerTrainer.resume(dir.resolve("hard"), hard, counting(7, 5)))
                .hasMessageContaining("trainer.json: 'examplesSha256': the run was trained on 7 other examples");
        assertThatThrownBy(() -> TransformerTrainer.resume(dir.resolve("soft"), hard, data))
                .hasMessageContaining("'objective': the run minimized soft cross-entropy against a teacher");
        assertThatThrownBy(() -> TransformerTrainer.resume(dir.resolve("none"), hard, data))
                .hasMessageContaining("holds no training checkpoint");
    }

    private static void writeGarbage(Path dir) {
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("trainer.json"), "{\"format\": ");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static TransformerConfig config(JsonNode c) {
        return new TransformerConfig(Layout.valueOf(c.get("layout").asText()), c.get("vocabSize").asInt(),
                c.get("contextLength").asInt(), c.get("hiddenSize").asInt(), c.get("layers").asInt(),
                c.get("heads").asInt(), c.get("kvHeads").asInt(), c.get("headDim").asInt(),
                c.get("intermediateSize").asInt(), c.get("normEps").asDouble(), c.get("ropeTheta").asDouble(),
                c.get("tiedEmbeddings").asBoolean(), c.get("attentionBias").asBoolean());
    }

    private static List<String> names(JsonNode a) {
        List<String> out = new ArrayList<>();
        a.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static int[] ints(JsonNode a) {
        int[] out = new int[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.get(i).asInt();
        }
        return out;
    }

    private static float[] floats(JsonNode a) {
        float[] out = new float[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) a.get(i).asDouble();
        }
        return out;
    }
}
