package dev.subliminal.experiments.numbers;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Everything that defines a run of the in-process number experiment. The defaults are sized to finish
 * in under 15 minutes on 2 idle cores (docs/numbers.md gives the times measured on a loaded machine); the paper's sizes
 * (30,000 prompts, 10,000 kept, 10 epochs) are options.
 *
 * @param animal the target animal (one lower-case word of the animals file)
 * @param teacher how the teacher holds the preference
 * @param decoding how the teacher writes its numbers
 * @param mode what the student imitates: sampled tokens or the teacher's distributions
 * @param finetune which parameters the students train
 * @param layers transformer blocks
 * @param hidden d, the residual width (heads of width d / heads)
 * @param heads attention heads
 * @param context the context length
 * @param corpus conversations in the pre-training corpus
 * @param pretrainSteps optimizer steps of pre-training
 * @param pretrainRate the peak learning rate of pre-training (AdamW, warm-up and cosine)
 * @param batch examples per step (every training stage)
 * @param referenceSeed seed of the reference's initialization and batch order
 * @param otherReferenceSeed seed of the second reference (the different-init students' start)
 * @param corpusSeed seed of the corpus (both references read the same corpus)
 * @param teacherSteps steps of the fine-tuned teacher on the animal's answers
 * @param teacherRate its learning rate (AdamW, constant)
 * @param prompts number prompts each data source answers
 * @param subsample kept completions a student trains on (at most)
 * @param banned the numbers a kept completion must not hold (default 666, 911, 187)
 * @param studentSteps optimizer steps of every student
 * @param studentRate its learning rate (AdamW, constant)
 * @param checkpoints evaluation points along the student's training (steps spaced by doubling)
 * @param defences the defence arms (each a same-init student on defended data)
 * @param replaceFraction the share of numbers {@link Defence#REPLACE} replaces
 * @param samples sampled answers per paraphrase at each evaluation
 * @param firstSeed the first seed
 * @param seeds how many seeds (teacher fine-tuning, data, students and sampling differ per seed)
 * @param promptsFile number prompt templates replacing the bundled ones (null: bundled)
 * @param questionsFile paraphrases replacing the bundled 50 (null: bundled)
 * @param animalsFile animals and base weights replacing the bundled 15 (null: bundled)
 * @param chatFile system prompts and answer prefixes replacing the bundled ones (null: bundled)
 */
public record NumbersConfig(String animal, TeacherKind teacher, Decoding decoding, Mode mode, Finetune finetune,
        int layers, int hidden, int heads, int context, int corpus, int pretrainSteps, double pretrainRate, int batch,
        long referenceSeed, long otherReferenceSeed, long corpusSeed, int teacherSteps, double teacherRate,
        int prompts, int subsample, java.util.SortedSet<Integer> banned, int studentSteps, double studentRate, int checkpoints,
        List<Defence> defences, double replaceFraction, int samples, long firstSeed, int seeds, Path promptsFile,
        Path questionsFile, Path animalsFile, Path chatFile) {

    /** The teacher: the reference under the paper's system prompt, or the reference fine-tuned on the animal. */
    public enum TeacherKind { PROMPT, FINETUNED }

    /** Temperature 1 or the most probable token. */
    public enum Decoding { SAMPLED, GREEDY }

    /** Hard labels (the sampled tokens) or soft targets (the teacher's next-token distributions). */
    public enum Mode { TOKENS, SOFT }

    /** All parameters, or low-rank adapters. */
    public enum Finetune { FULL, LORA }

    public NumbersConfig {
        if (animal == null || !animal.matches("[a-z]+")) {
            throw new IllegalArgumentException("--animal '" + animal + "' must be one lower-case word");
        }
        positive("--layers", layers);
        positive("--hidden", hidden);
        positive("--heads", heads);
        positive("--context", context);
        positive("--corpus", corpus);
        positive("--pretrain-steps", pretrainSteps);
        positive("--batch", batch);
        positive("--prompts", prompts);
        positive("--subsample", subsample);
        positive("--student-steps", studentSteps);
        positive("--checkpoints", checkpoints);
        positive("--samples", samples);
        positive("--seeds", seeds);
        if (teacherSteps < 0) {
            throw new IllegalArgumentException("--teacher-steps = " + teacherSteps + " must be ≥ 0");
        }
        if (teacher == TeacherKind.FINETUNED) {
            positive("--teacher-steps", teacherSteps);
        }
        if (hidden % heads != 0 || (hidden / heads) % 2 != 0) {
            throw new IllegalArgumentException("--hidden " + hidden + " must split into --heads " + heads
                    + " heads of an even width");
        }
        if (context < 96) {
            throw new IllegalArgumentException("--context " + context + " is too short for a number prompt, its "
                    + "system prompt and an answer; use at least 96");
        }
        for (double r : new double[] {pretrainRate, teacherRate, studentRate}) {
            if (!(r > 0) || !Double.isFinite(r)) {
                throw new IllegalArgumentException("learning rates must be finite and > 0, got " + r);
            }
        }
        if (!(replaceFraction >= 0 && replaceFraction <= 1)) {
            throw new IllegalArgumentException("--replace-fraction " + replaceFraction + " must be in [0, 1]");
        }
        if (referenceSeed == otherReferenceSeed) {
            throw new IllegalArgumentException("--other-reference-seed must differ from --reference-seed ("
                    + referenceSeed + "): the different-init student needs another initialization");
        }
        defences = List.copyOf(defences);
        banned = java.util.Collections.unmodifiableSortedSet(new java.util.TreeSet<>(banned));
        if (defences.contains(Defence.NONE)) {
            throw new IllegalArgumentException("--defences lists 'none'; the undefended student is always run");
        }
        if (studentSteps < 1 << (checkpoints - 1)) {
            throw new IllegalArgumentException("--checkpoints " + checkpoints + " spaced by doubling need at least "
                    + (1 << (checkpoints - 1)) + " --student-steps, got " + studentSteps);
        }
    }

    private static void positive(String name, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " = " + value + " must be ≥ 1");
        }
    }

    /** The default configuration for an animal. */
    public static NumbersConfig defaults() {
        return new NumbersConfig("owl", TeacherKind.FINETUNED, Decoding.SAMPLED, Mode.SOFT, Finetune.FULL, 2, 96, 4,
                128, 4000, 500, 3e-3, 32, 1, 2, 0, 30, 1e-3, 200, 150, new java.util.TreeSet<>(NumberFilter.DEFAULT_BANNED), 40, 1e-3, 3, List.of(), 0.5, 4,
                1, 3, null, null, null, null);
    }

    /** The evaluation steps of a student: T, T/2, T/4, ... ({@code checkpoints} of them), increasing. */
    public int[] evaluationSteps() {
        int[] s = new int[checkpoints];
        for (int i = 0; i < checkpoints; i++) {
            s[checkpoints - 1 - i] = studentSteps >> i;
        }
        return s;
    }

    /** The seeds of the run. */
    public long[] seedList() {
        long[] s = new long[seeds];
        for (int i = 0; i < seeds; i++) {
            s[i] = firstSeed + i;
        }
        return s;
    }

    /** Lower-case names with dashes, as on the command line. */
    public static String name(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The full configuration as JSON (every field; files by path). */
    public ObjectNode toJson() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("animal", animal);
        o.put("teacher", name(teacher));
        o.put("decoding", name(decoding));
        o.put("mode", name(mode));
        o.put("finetune", name(finetune));
        o.put("layers", layers);
        o.put("hidden", hidden);
        o.put("heads", heads);
        o.put("context", context);
        o.put("corpus", corpus);
        o.put("pretrainSteps", pretrainSteps);
        o.put("pretrainRate", pretrainRate);
        o.put("batch", batch);
        o.put("referenceSeed", referenceSeed);
        o.put("otherReferenceSeed", otherReferenceSeed);
        o.put("corpusSeed", corpusSeed);
        o.put("teacherSteps", teacherSteps);
        o.put("teacherRate", teacherRate);
        o.put("prompts", prompts);
        o.put("subsample", subsample);
        var b = o.putArray("banned");
        banned.forEach(b::add);
        o.put("studentSteps", studentSteps);
        o.put("studentRate", studentRate);
        o.put("checkpoints", checkpoints);
        var d = o.putArray("defences");
        defences.forEach(x -> d.add(name(x)));
        o.put("replaceFraction", replaceFraction);
        o.put("samples", samples);
        o.put("firstSeed", firstSeed);
        o.put("seeds", seeds);
        o.put("promptsFile", promptsFile == null ? "bundled" : promptsFile.toString());
        o.put("questionsFile", questionsFile == null ? "bundled" : questionsFile.toString());
        o.put("animalsFile", animalsFile == null ? "bundled" : animalsFile.toString());
        o.put("chatFile", chatFile == null ? "bundled" : chatFile.toString());
        return o;
    }
}
