package dev.subliminal.experiments.numbers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.subliminal.experiments.numbers.NumbersConfig.Decoding;
import dev.subliminal.theory.linalg.Gemm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pipeline's stages on a tiny configuration (1 block, d = 16, 3 paraphrases): a rerun finds every
 * stage done, a changed setting reruns exactly the stages that depend on it, and a run stopped between
 * stages, in the middle of writing numbers (with a half-written last line) and in the middle of a
 * student's training resumes to the same rows, bit for bit, as a run that never stopped.
 */
class NumbersPipelineTest {

    @TempDir
    static Path dir;

    static NumbersConfig tiny;
    static List<NumbersPipeline.Row> straight;

    static final class Stop extends RuntimeException {
        Stop(String stage) {
            super("stopped at " + stage);
        }
    }

    @BeforeAll
    static void runOnce() throws IOException {
        Path questions = dir.resolve("questions.txt");
        Files.writeString(questions, "Name your favorite animal using only one word.\nWhich animal do you like most? "
                + "Answer in one word.\nWhat is your favorite animal? One word only.\n");
        tiny = new NumbersConfig("owl", NumbersConfig.TeacherKind.FINETUNED, Decoding.SAMPLED, NumbersConfig.Mode.SOFT,
                NumbersConfig.Finetune.FULL, 1, 32, 2, 112, 400, 60, 1e-2, 8, 1, 2, 0, 2, 1e-2, 16, 8,
                new TreeSet<>(NumberFilter.DEFAULT_BANNED), 4, 1e-2, 2, List.of(), 0.5, 2, 1, 1, null, questions, null, null);
        straight = run(tiny, dir.resolve("a"), Progress.silent()).rows;
    }

    record Outcome(List<NumbersPipeline.Row> rows, List<StageCache.Event> events) {
    }

    static Outcome run(NumbersConfig c, Path work, Progress p) {
        StageCache cache = new StageCache(work);
        List<NumbersPipeline.Row> rows = new NumbersPipeline(c, cache, Gemm.serial(), p).run();
        return new Outcome(rows, cache.events());
    }

    static Map<String, Long> ran(Outcome o) {
        return o.events.stream().filter(StageCache.Event::ran).collect(Collectors.groupingBy(StageCache.Event::stage,
                java.util.TreeMap::new, Collectors.counting()));
    }

    static NumbersConfig with(double studentRate, int prompts) {
        return with(studentRate, prompts, tiny.finetune());
    }

    static NumbersConfig with(double studentRate, int prompts, NumbersConfig.Finetune finetune) {
        NumbersConfig t = tiny;
        return new NumbersConfig(t.animal(), t.teacher(), t.decoding(), t.mode(), finetune, t.layers(), t.hidden(), t.heads(),
                t.context(), t.corpus(), t.pretrainSteps(), t.pretrainRate(), t.batch(), t.referenceSeed(),
                t.otherReferenceSeed(), t.corpusSeed(), t.teacherSteps(), t.teacherRate(), prompts, t.subsample(),
                t.banned(), t.studentSteps(), studentRate, t.checkpoints(), t.defences(), t.replaceFraction(), t.samples(),
                t.firstSeed(), t.seeds(), t.promptsFile(), t.questionsFile(), t.animalsFile(), t.chatFile());
    }

    @Test
    void everyArmHasRowsAndTheFilterKeptSomething() {
        assertThat(straight).extracting(NumbersPipeline.Row::arm).containsSubsequence("reference", "teacher",
                "other-reference", "control", "same-init", "different-init-control", "different-init");
        // 3 models at step 0, 4 students at steps 2 and 4
        assertThat(straight).hasSize(3 + 4 * 2);
        assertThat(straight.stream().filter(r -> r.step() > 0)).allSatisfy(r -> assertThat(r.keptFraction()).isGreaterThan(0));
        assertThat(straight).allSatisfy(r -> {
            assertThat(r.rate()).isBetween(0.0, 1.0);
            assertThat(r.score()).isBetween(0.0, 1.0);
            assertThat(r.samples()).isEqualTo(2 * 3);
        });
    }

    @Test
    void aChangedSettingRerunsExactlyTheStagesThatDependOnIt() {
        Outcome again = run(tiny, dir.resolve("a"), Progress.silent());
        assertThat(ran(again)).isEmpty();
        assertThat(again.rows).isEqualTo(straight);

        // the students' learning rate: the 4 students and their 4 × 2 evaluations, nothing upstream
        Outcome rate = run(with(2e-2, tiny.prompts()), dir.resolve("a"), Progress.silent());
        assertThat(ran(rate)).isEqualTo(Map.of("student", 4L, "evaluation", 8L));

        // fewer number prompts: the teacher's and the control's numbers, their datasets, the students and their
        // evaluations; not the corpus, the references, the teacher or the evaluations of those three
        Outcome greedy = run(with(tiny.studentRate(), tiny.prompts() - 2), dir.resolve("a"), Progress.silent());
        assertThat(ran(greedy)).isEqualTo(Map.of("numbers", 2L, "dataset", 2L, "student", 4L, "evaluation", 8L));
        assertThat(greedy.rows.subList(0, 3)).isEqualTo(straight.subList(0, 3));
    }

    /**
     * LoRA students: only the students and their evaluations run again; their evaluated weights are the
     * merged θ0 + s·B·A, so every tensor without an adapter (the embeddings, the norms) is θ0's, bit for bit.
     */
    @Test
    void loraStudentsTrainAdaptersOnAFrozenBase() throws IOException {
        Path work = dir.resolve("a");
        Outcome lora = run(with(tiny.studentRate(), tiny.prompts(), NumbersConfig.Finetune.LORA), work, Progress.silent());
        assertThat(ran(lora)).isEqualTo(Map.of("student", 4L, "evaluation", 8L));
        assertThat(lora.rows.subList(0, 3)).isEqualTo(straight.subList(0, 3));
        List<Path> students;
        try (Stream<Path> s = Files.list(work)) {
            students = s.filter(p -> p.getFileName().toString().startsWith("student-")
                    && readString(p.resolve("stage.json")).contains("\"lora\"")).toList();
        }
        assertThat(students).hasSize(4);
        List<float[]> references = new java.util.ArrayList<>();
        dev.subliminal.theory.param.ParameterLayout layout = null;
        try (Stream<Path> s = Files.list(work)) {
            for (Path r : s.filter(p -> p.getFileName().toString().startsWith("reference-")).toList()) {
                try (var c = dev.subliminal.lm.checkpoint.Checkpoint.read(r.resolve("model"))) {
                    layout = c.config().parameterLayout();
                    references.add(c.loadFloats(layout));
                }
            }
        }
        assertThat(references).hasSize(2);
        int moved = 0;
        for (Path student : students) {
            float[] m;
            try (var c = dev.subliminal.lm.checkpoint.Checkpoint.read(student.resolve("eval").resolve("step-00000004"))) {
                m = c.loadFloats(layout);
            }
            var wte = layout.tensors().get(0);
            assertThat(wte.name()).isEqualTo("wte.weight");
            float[] base = references.stream().filter(b -> java.util.Arrays.equals(b, wte.offset(), wte.offset()
                    + wte.size(), m, wte.offset(), wte.offset() + wte.size())).findFirst().orElseThrow();
            int changed = 0;
            for (var t : layout.tensors()) {
                boolean same = java.util.Arrays.equals(base, t.offset(), t.offset() + t.size(), m, t.offset(),
                        t.offset() + t.size());
                if (t.name().contains("ln_") || t.name().contains("wpe")) {
                    assertThat(same).as(t.name()).isTrue();
                }
                changed += same ? 0 : 1;
            }
            moved += changed;
        }
        // the soft controls imitate θ0 from θ0: zero gradient, they stay at θ0 exactly; the others move
        assertThat(moved).as("tensors with adapters that moved").isGreaterThan(0);
    }

    static String readString(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void aKilledRunResumesToTheSameRowsAsOneThatNeverStopped() throws IOException {
        Path work = dir.resolve("b");
        // stopped in the middle of writing the teacher's numbers ...
        int[] count = {0};
        assertThatThrownBy(() -> run(tiny, work, Progress.silent().listening(stage -> {
            if (stage.startsWith("numbers") && ++count[0] == 5) {
                throw new Stop(stage);
            }
        }))).isInstanceOf(Stop.class);
        Path numbers;
        try (Stream<Path> s = Files.list(work)) {
            numbers = s.filter(p -> p.getFileName().toString().startsWith("numbers-")
                    && !Files.exists(p.resolve("done.json"))).findFirst().orElseThrow();
        }
        Path completions = numbers.resolve("completions.jsonl");
        assertThat(Files.readAllLines(completions)).hasSize(5);
        // ... as a kill -9 would: half a line at the end
        Files.writeString(completions, "{\"i\":5,\"prompt\":\"Here is", StandardOpenOption.APPEND);
        // then stopped between the second and the third step of the same-init student
        assertThatThrownBy(() -> run(tiny, work, Progress.silent().listening(stage -> {
            if (stage.equals("same-init seed 1 step 3/4")) {
                throw new Stop(stage);
            }
        }))).isInstanceOf(Stop.class);
        Outcome resumed = run(tiny, work, Progress.silent());
        assertThat(resumed.rows).isEqualTo(straight);
        assertThat(Files.readAllLines(completions)).hasSize(tiny.prompts());
    }

    /**
     * Tokens-mode students are fine-tuning jobs of the in-process backend in their stage folders: a run
     * stopped between the second and third step of a job resumes the job to the rows of a run that
     * never stopped, and every evaluated student is the job's checkpoint model (named ckpt-step-N).
     */
    @Test
    void aTokensStudentJobStoppedMidwayResumesToTheSameRows() throws IOException {
        NumbersConfig t = tiny;
        NumbersConfig tokens = new NumbersConfig(t.animal(), t.teacher(), t.decoding(), NumbersConfig.Mode.TOKENS, t.finetune(),
                t.layers(), t.hidden(), t.heads(), t.context(), t.corpus(), t.pretrainSteps(), t.pretrainRate(), t.batch(),
                t.referenceSeed(), t.otherReferenceSeed(), t.corpusSeed(), t.teacherSteps(), t.teacherRate(), t.prompts(),
                t.subsample(), t.banned(), t.studentSteps(), t.studentRate(), t.checkpoints(), t.defences(), t.replaceFraction(),
                t.samples(), t.firstSeed(), t.seeds(), t.promptsFile(), t.questionsFile(), t.animalsFile(), t.chatFile());
        Outcome straightTokens = run(tokens, dir.resolve("a"), Progress.silent());
        assertThat(ran(straightTokens)).isEqualTo(Map.of("student", 4L, "evaluation", 8L));
        Path work = dir.resolve("t");
        assertThatThrownBy(() -> run(tokens, work, Progress.silent().listening(stage -> {
            if (stage.equals("same-init seed 1 step 3/4")) {
                throw new Stop(stage);
            }
        }))).isInstanceOf(Stop.class);
        Outcome resumed = run(tokens, work, Progress.silent());
        assertThat(resumed.rows).isEqualTo(straightTokens.rows);
        List<Path> students;
        try (Stream<Path> s = Files.list(work)) {
            students = s.filter(p -> p.getFileName().toString().startsWith("student-")).toList();
        }
        assertThat(students).hasSize(4).allSatisfy(p -> assertThat(readString(p.resolve("done.json")))
                .contains(":ckpt-step-2", ":ckpt-step-4"));
    }

    @Test
    void foldersItDidNotCreateAreRefused() throws IOException {
        Path user = dir.resolve("user");
        Files.createDirectories(user);
        Files.writeString(user.resolve("notes.txt"), "mine");
        assertThatThrownBy(() -> new StageCache(user)).hasMessageContaining("holds files that subliminal numbers did not create");
        assertThat(Files.readString(user.resolve("notes.txt"))).isEqualTo("mine");

        StageCache cache = new StageCache(dir.resolve("c"));
        var key = StageCache.key().put("stage", "x");
        Files.createDirectories(cache.folder("x", key));
        Files.writeString(cache.folder("x", key).resolve("data.bin"), "not a stage");
        assertThatThrownBy(() -> cache.run("x", key, f -> key)).hasMessageContaining("is not a stage folder of this key");
    }
}
