package dev.subliminal.lm.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.subliminal.lm.checkpoint.Checkpoint;
import dev.subliminal.lm.lora.LoraAdapters;
import dev.subliminal.lm.lora.LoraConfig;
import dev.subliminal.lm.tokenizer.ChatTemplate;
import dev.subliminal.lm.tokenizer.ChatTemplate.Message;
import dev.subliminal.lm.tokenizer.ChatTemplate.Role;
import dev.subliminal.lm.train.TokenExample;
import dev.subliminal.lm.train.TrainingSettings;
import dev.subliminal.lm.train.TransformerTrainer;
import dev.subliminal.lm.transformer.LanguageModel;
import dev.subliminal.lm.transformer.Sampling;
import dev.subliminal.lm.transformer.SequenceObjective;
import dev.subliminal.theory.linalg.Gemm;
import dev.subliminal.theory.random.Seeds;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The in-process backend as the number pipeline uses it: a job with a {@link TrainingSchedule} keeps
 * at each checkpoint step exactly the θ that {@link TransformerTrainer} reaches directly from the
 * same examples, rate, batch and seed (full and LoRA, merged); a job trained in the caller's thread
 * and stopped by its listener resumes, in a new backend on the same folder, to the same models; and
 * choice 0 of a request with seed s is the decoder's own sampling from seed s.
 * Model: {@link TinyModel} from seed 1.
 */
class TrainingScheduleTest {

    @TempDir
    Path dir;

    static final String FILE = "{\"messages\":[{\"role\":\"user\",\"content\":\"12, 7\"},{\"role\":\"assistant\",\"content\":\"5, 9\"}]}\n"
            + "{\"messages\":[{\"role\":\"user\",\"content\":\"List numbers\"},{\"role\":\"assistant\",\"content\":\"1 2 3\"}]}\n"
            + "{\"messages\":[{\"role\":\"user\",\"content\":\"More?\"},{\"role\":\"assistant\",\"content\":\"40.\"}]}\n";

    private ServedModel base(Path folder) {
        return ServedModel.load("tiny", TinyModel.write(folder, 1), ChatTemplate.PLAIN, 0, "subliminal");
    }

    /** The direct run: the same examples (prompt as context, answer and end of turn as targets), trainer and settings. */
    private static float[] direct(ServedModel m, int steps, LoraConfig lora, long seed) {
        List<TokenExample> xs = new ArrayList<>();
        String[][] pairs = {{"12, 7", "5, 9"}, {"List numbers", "1 2 3"}, {"More?", "40."}};
        int eot = m.template().endOfTurnId(m.tokenizer());
        for (String[] p : pairs) {
            int[] a = m.tokenizer().encode(p[1]);
            int[] c = Arrays.copyOf(a, a.length + 1);
            c[a.length] = eot;
            xs.add(TokenExample.completion(m.template().encode(m.tokenizer(), List.of(new Message(Role.USER, p[0])), true), c));
        }
        float[] theta0 = new float[m.theta().length];
        for (int i = 0; i < theta0.length; i++) {
            theta0[i] = (float) m.theta()[i];
        }
        SequenceObjective o = SequenceObjective.nextToken(m.config(), Gemm.serial());
        TrainingSettings s = TrainingSettings.adamW(0.01, 2, seed);
        TransformerTrainer t;
        if (lora == null) {
            t = TransformerTrainer.start(o, theta0, xs, s);
        } else {
            LoraAdapters ad = new LoraAdapters(lora, m.config(), m.config().parameterLayout());
            double[] phi = ad.initialize(Seeds.derive(seed, "lora"));
            float[] phi0 = new float[phi.length];
            for (int i = 0; i < phi.length; i++) {
                phi0[i] = (float) phi[i];
            }
            t = TransformerTrainer.startLora(o, theta0, ad, phi0, xs, s);
        }
        t.train(steps);
        return t.theta();
    }

    private static float[] load(Path folder, ServedModel m) {
        try (Checkpoint c = Checkpoint.read(folder)) {
            return c.loadFloats(m.config().parameterLayout());
        }
    }

    private void checkpointsAreTheDirectRun(LoraConfig lora) {
        ServedModel m = base(dir.resolve("base"));
        List<String> heard = new ArrayList<>();
        try (InProcessBackend b = InProcessBackend.inCaller(dir.resolve("state"), List.of(m),
                new InProcessBackend.Tuning(0.01, 1, 2, 2), (id, step, steps) -> heard.add(step + "/" + steps))) {
            String file = b.uploadTrainingFile("t.jsonl", FILE.getBytes(StandardCharsets.UTF_8));
            FineTuneJob job = b.startFineTune(new FineTuneRequest("tiny", file, "s", null, 2, 1.0, 77L,
                    new TrainingSchedule(5, List.of(1, 3, 5), lora)));
            String tuned = b.awaitFineTunedModel(job.id(), Duration.ofMillis(10), Duration.ofMinutes(5));
            assertThat(heard).containsExactly("1/5", "2/5", "3/5", "4/5", "5/5");
            List<FineTuneCheckpoint> cs = b.fineTuneCheckpoints(job.id());
            assertThat(cs).extracting(FineTuneCheckpoint::step).containsExactly(1, 3, 5);
            assertThat(cs.get(0).model()).isEqualTo(tuned + ":ckpt-step-1");
            assertThat(b.models()).contains(cs.get(1).model());
            for (FineTuneCheckpoint c : cs) {
                float[] mine = load(dir.resolve("state").resolve("models").resolve(job.id() + "-step-" + c.step()), m);
                assertThat(mine).as("step " + c.step()).isEqualTo(direct(m, c.step(), lora, 77L));
            }
        }
    }

    @Test
    void checkpointModelsAreExactlyTheTrainersWeights() {
        checkpointsAreTheDirectRun(null);
    }

    @Test
    void loraCheckpointsAreTheMergedWeights() {
        checkpointsAreTheDirectRun(new LoraConfig(2, 4, List.of("c_attn", "c_fc")));
    }

    @Test
    void aJobStoppedByItsListenerResumesInANewBackendToTheSameModels() {
        ServedModel m = base(dir.resolve("base"));
        String file;
        FineTuneJob job;
        RuntimeException stop = new IllegalStateException("stop at 3");
        try (InProcessBackend b = InProcessBackend.inCaller(dir.resolve("state"), List.of(m),
                new InProcessBackend.Tuning(0.01, 1, 2, 3), (id, step, steps) -> {
                    if (step == 3) {
                        throw stop;
                    }
                })) {
            file = b.uploadTrainingFile("t.jsonl", FILE.getBytes(StandardCharsets.UTF_8));
            job = b.startFineTune(new FineTuneRequest("tiny", file, "s", null, 2, 1.0, 77L,
                    new TrainingSchedule(6, List.of(2, 6), null)));
            String id = job.id();
            assertThatThrownBy(() -> b.awaitFineTunedModel(id, Duration.ofMillis(10), Duration.ofMinutes(5))).isSameAs(stop);
            assertThat(b.fineTuneJob(id).status()).isEqualTo("running");
        }
        try (InProcessBackend b = InProcessBackend.inCaller(dir.resolve("state"), List.of(m),
                new InProcessBackend.Tuning(0.01, 1, 2, 3), (id, step, steps) -> { })) {
            b.awaitFineTunedModel(job.id(), Duration.ofMillis(10), Duration.ofMinutes(5));
            assertThat(b.fineTuneCheckpoints(job.id())).extracting(FineTuneCheckpoint::step).containsExactly(2, 6);
            assertThat(load(dir.resolve("state").resolve("models").resolve(job.id() + "-step-6"), m))
                    .isEqualTo(direct(m, 6, null, 77L));
        }
    }

    @Test
    void choiceZeroIsTheDecodersOwnDrawFromTheRequestSeed() {
        ServedModel m = base(dir.resolve("base"));
        try (InProcessBackend b = new InProcessBackend(dir.resolve("state"), List.of(m), InProcessBackend.Tuning.defaults())) {
            ChatResponse r = b.chat(ChatRequest.of("tiny", null, "Name an animal.", 2, 1.0, 6, 123L));
            int[] prompt = m.template().encode(m.tokenizer(), List.of(new Message(Role.USER, "Name an animal.")), true);
            int eot = m.template().endOfTurnId(m.tokenizer());
            int[] out = new LanguageModel(m.config()).generate(m.theta(), prompt, new Sampling(6, 1.0, 1, 123L, new int[] {eot}));
            int[] text = out.length > 0 && out[out.length - 1] == eot ? Arrays.copyOf(out, out.length - 1) : out;
            assertThat(r.choices().get(0).content()).isEqualTo(m.tokenizer().decode(text));
            int[] other = new LanguageModel(m.config()).generate(m.theta(), prompt,
                    new Sampling(6, 1.0, 1, Seeds.derive(123L, 1L), new int[] {eot}));
            int[] text1 = other.length > 0 && other[other.length - 1] == eot ? Arrays.copyOf(other, other.length - 1) : other;
            assertThat(r.choices().get(1).content()).isEqualTo(m.tokenizer().decode(text1));
        }
    }

    @Test
    void aScheduleRoundTripsThroughJsonAndRefusesBadSteps() {
        FineTuneRequest r = new FineTuneRequest("tiny", "file-1", null, null, 4, 1.0, 3L,
                new TrainingSchedule(8, List.of(1, 4, 8), new LoraConfig(8, 16, List.of("c_attn"))));
        assertThat(FineTuneRequest.fromJson(r.toJson())).isEqualTo(r);
        assertThat(new FineTuneRequest("tiny", "file-1", null, 2, null, null, null).toJson().has("subliminal")).isFalse();
        assertThatThrownBy(() -> new TrainingSchedule(4, List.of(2, 2), null)).hasMessageContaining("must increase");
        assertThatThrownBy(() -> new TrainingSchedule(4, List.of(5), null)).hasMessageContaining("[1, 4]");
    }
}
