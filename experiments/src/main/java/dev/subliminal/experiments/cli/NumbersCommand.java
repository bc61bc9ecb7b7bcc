package dev.subliminal.experiments.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.subliminal.experiments.io.Provenance;
import dev.subliminal.experiments.numbers.Defence;
import dev.subliminal.experiments.numbers.NumberFilter;
import dev.subliminal.experiments.numbers.NumbersConfig;
import dev.subliminal.experiments.numbers.NumbersPipeline;
import dev.subliminal.experiments.numbers.Progress;
import dev.subliminal.experiments.numbers.StageCache;
import dev.subliminal.reports.table.TextTable;
import dev.subliminal.results.io.Outputs;
import dev.subliminal.results.numbers.NumbersSchema;
import dev.subliminal.results.numbers.NumbersSummary;
import dev.subliminal.results.schema.Schema;
import dev.subliminal.results.stats.MeanInterval;
import dev.subliminal.results.store.ResultStore;
import dev.subliminal.theory.linalg.Gemm;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code subliminal numbers}: the paper's number-sequence experiment, end to end, with an in-process transformer. */
@Command(name = "numbers", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run the paper's main experiment in-process: a small transformer pre-trained on a synthetic chat "
                + "corpus is the reference; a teacher that loves an animal (by system prompt or fine-tuning) writes number "
                + "sequences; students fine-tuned on the filtered numbers alone (sampled tokens or the teacher's "
                + "distributions) are asked their favourite animal.",
            "Every stage is cached in the work folder with its settings: a rerun reuses finished stages, a killed run "
                + "resumes, a changed setting reruns only the stages that depend on it. Prints each arm's rates with 95%% "
                + "t-intervals over seeds beside the paper's, and writes a results file (subliminal.numbers/1) that "
                + "./subliminal report reads."},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:done", "2:bad input or usage (one line names the problem; --verbose adds the stack trace)"},
        footerHeading = "%nExamples:%n",
        footer = {"  ./subliminal numbers", "  ./subliminal numbers --teacher prompt --mode tokens --seeds 3",
            "  ./subliminal numbers --defences sort,shuffle-across --out owl-defences.jsonl"})
final class NumbersCommand implements Callable<Integer> {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final NumbersConfig D = NumbersConfig.defaults();

    @Option(names = "--animal", paramLabel = "WORD", description = "The teacher's animal (default: ${DEFAULT-VALUE}).")
    String animal = D.animal();

    @Option(names = "--teacher", paramLabel = "KIND", description = "prompt (the reference under the paper's system "
            + "prompt) or finetuned (the reference fine-tuned on the animal's answers; default: ${DEFAULT-VALUE}).")
    String teacher = NumbersConfig.name(D.teacher());

    @Option(names = "--decoding", paramLabel = "KIND", description = "sampled (temperature 1) or greedy (default: ${DEFAULT-VALUE}).")
    String decoding = NumbersConfig.name(D.decoding());

    @Option(names = "--mode", paramLabel = "KIND", description = "tokens (students learn the sampled tokens) or soft "
            + "(the teacher's next-token distributions; default: ${DEFAULT-VALUE}).")
    String mode = NumbersConfig.name(D.mode());

    @Option(names = "--finetune", paramLabel = "KIND", description = "full or lora (students train rank-8 adapters, α = 16, on every projection; default: ${DEFAULT-VALUE}).")
    String finetune = NumbersConfig.name(D.finetune());

    @Option(names = "--layers", paramLabel = "N", description = "Transformer blocks (default: ${DEFAULT-VALUE}).")
    int layers = D.layers();

    @Option(names = "--hidden", paramLabel = "D", description = "Residual width (default: ${DEFAULT-VALUE}).")
    int hidden = D.hidden();

    @Option(names = "--heads", paramLabel = "N", description = "Attention heads (default: ${DEFAULT-VALUE}).")
    int heads = D.heads();

    @Option(names = "--context", paramLabel = "TOKENS", description = "Context length (default: ${DEFAULT-VALUE}).")
    int context = D.context();

    @Option(names = "--corpus", paramLabel = "N", description = "Conversations in the pre-training corpus (default: ${DEFAULT-VALUE}).")
    int corpus = D.corpus();

    @Option(names = "--pretrain-steps", paramLabel = "STEPS", description = "Pre-training steps of each reference (default: ${DEFAULT-VALUE}).")
    int pretrainSteps = D.pretrainSteps();

    @Option(names = "--pretrain-rate", paramLabel = "RATE", description = "Peak learning rate of pre-training, AdamW with warm-up and cosine (default: ${DEFAULT-VALUE}).")
    double pretrainRate = D.pretrainRate();

    @Option(names = "--batch", paramLabel = "N", description = "Examples per training step (default: ${DEFAULT-VALUE}).")
    int batch = D.batch();

    @Option(names = "--reference-seed", paramLabel = "SEED", description = "Seed of the reference θ0 (default: ${DEFAULT-VALUE}).")
    long referenceSeed = D.referenceSeed();

    @Option(names = "--other-reference-seed", paramLabel = "SEED", description = "Seed of the different-init students' reference (default: ${DEFAULT-VALUE}).")
    long otherReferenceSeed = D.otherReferenceSeed();

    @Option(names = "--corpus-seed", paramLabel = "SEED", description = "Seed of the corpus (default: ${DEFAULT-VALUE}).")
    long corpusSeed = D.corpusSeed();

    @Option(names = "--teacher-steps", paramLabel = "STEPS", description = "Fine-tuning steps of the finetuned teacher (default: ${DEFAULT-VALUE}).")
    int teacherSteps = D.teacherSteps();

    @Option(names = "--teacher-rate", paramLabel = "RATE", description = "Its learning rate (default: ${DEFAULT-VALUE}).")
    double teacherRate = D.teacherRate();

    @Option(names = "--prompts", paramLabel = "N", description = "Number prompts each data source answers (default: ${DEFAULT-VALUE}; the paper: 30000).")
    int prompts = D.prompts();

    @Option(names = "--subsample", paramLabel = "N", description = "Kept completions a student trains on, at most (default: ${DEFAULT-VALUE}; the paper: 10000).")
    int subsample = D.subsample();

    @Option(names = "--banned", paramLabel = "LIST", description = "Numbers a kept completion must not hold: default "
            + "(666, 911, 187), none, or a comma-separated list (default: default).")
    String banned = "default";

    @Option(names = "--student-steps", paramLabel = "STEPS", description = "Training steps of every student (default: ${DEFAULT-VALUE}).")
    int studentSteps = D.studentSteps();

    @Option(names = "--student-rate", paramLabel = "RATE", description = "Students' learning rate, AdamW (default: ${DEFAULT-VALUE}).")
    double studentRate = D.studentRate();

    @Option(names = "--checkpoints", paramLabel = "N", description = "Evaluation points along a student's training, "
            + "spaced by doubling up to --student-steps (default: ${DEFAULT-VALUE}).")
    int checkpoints = D.checkpoints();

    @Option(names = "--defences", paramLabel = "LIST", split = ",", description = "Defence arms, each a same-init "
            + "student on defended data: sort, shuffle-within, shuffle-across, replace (default: none).")
    List<String> defences = new ArrayList<>();

    @Option(names = "--replace-fraction", paramLabel = "P", description = "Share of numbers the replace defence replaces (default: ${DEFAULT-VALUE}).")
    double replaceFraction = D.replaceFraction();

    @Option(names = "--samples", paramLabel = "N", description = "Sampled answers per paraphrase at each evaluation (default: ${DEFAULT-VALUE}).")
    int samples = D.samples();

    @Option(names = "--first-seed", paramLabel = "SEED", description = "First seed (default: ${DEFAULT-VALUE}).")
    long firstSeed = D.firstSeed();

    @Option(names = "--seeds", paramLabel = "N", description = "Seeds: teacher fine-tuning, data, students and sampling differ per seed (default: ${DEFAULT-VALUE}).")
    int seeds = D.seeds();

    @Option(names = "--prompts-file", paramLabel = "FILE", description = "Number prompt templates ([intro], [instruction], [format], [suffix] sections) instead of the bundled ones.")
    Path promptsFile;

    @Option(names = "--questions-file", paramLabel = "FILE", description = "Preference paraphrases, one per line, instead of the bundled 50.")
    Path questionsFile;

    @Option(names = "--animals-file", paramLabel = "FILE", description = "Animals and base weights ('owl 0.12' per line) instead of the bundled 15.")
    Path animalsFile;

    @Option(names = "--chat-file", paramLabel = "FILE", description = "System prompts ([system], the first is the teacher's) and answer prefixes ([answer-prefix]).")
    Path chatFile;

    @Option(names = "--work", paramLabel = "DIR", defaultValue = "numbers-work", description = "Folder of the cached stages (default: ${DEFAULT-VALUE}).")
    Path work;

    @Option(names = "--out", paramLabel = "FILE", description = "Results file (default: numbers-ANIMAL-TEACHER-DECODING-MODE.jsonl), resumed if it exists.")
    Path out;

    @CommandLine.Mixin
    ThreadsOption threads;

    @CommandLine.Mixin
    TableOptions tables;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        NumbersConfig config = new NumbersConfig(animal, parse(NumbersConfig.TeacherKind.class, "--teacher", teacher),
                parse(NumbersConfig.Decoding.class, "--decoding", decoding), parse(NumbersConfig.Mode.class, "--mode", mode),
                parse(NumbersConfig.Finetune.class, "--finetune", finetune), layers, hidden, heads, context, corpus,
                pretrainSteps, pretrainRate, batch, referenceSeed, otherReferenceSeed, corpusSeed, teacherSteps, teacherRate,
                prompts, subsample, bannedNumbers(), studentSteps, studentRate, checkpoints, defenceList(), replaceFraction,
                samples, firstSeed, seeds, promptsFile, questionsFile, animalsFile, chatFile);
        Path results = out != null ? out : Path.of("numbers-" + animal + "-" + teacher + "-" + decoding + "-" + mode + ".jsonl");
        List<Path> inputs = new ArrayList<>();
        for (Path p : new Path[] {promptsFile, questionsFile, animalsFile, chatFile}) {
            if (p != null) {
                inputs.add(p);
            }
        }
        Outputs.requireDistinct(results, inputs);
        Outputs.requireOutside(work, inputs);
        Outputs.requireFileOrAbsent(results);
        PrintWriter o = spec.commandLine().getOut();
        int t = threads.count();
        String[] args = spec.commandLine().getParseResult().originalArgs().toArray(new String[0]);
        long start = System.nanoTime();
        o.printf(Locale.ROOT, "numbers: %s, teacher %s, decoding %s, mode %s, %s fine-tuning; GPT-2 layout %d layers, d = %d, "
                + "%d heads, context %d; %d seeds from %d; %s; stages cached in %s%n", animal, teacher, decoding, mode,
                finetune, layers, hidden, heads, context, seeds, firstSeed, Plural.of(t, "thread"), work);
        o.flush();
        StageCache cache = new StageCache(work);
        NumbersPipeline pipeline = new NumbersPipeline(config, cache, Gemm.threads(t), new Progress(System.err, 10));
        List<NumbersPipeline.Row> rows = pipeline.run();
        long ran = cache.events().stream().filter(StageCache.Event::ran).count();
        NumbersTable.write(results, config.toJson(), Provenance.json(MAPPER, args), rows);
        NumbersTable.print(o, results, animal, seeds, tables.width());
        o.printf(Locale.ROOT, "%d of %d stages ran, the others were found done in %s; %.1f s on %s; records in %s%n", ran,
                cache.events().size(), work, (System.nanoTime() - start) / 1e9, Plural.of(t, "thread"), results);
        o.flush();
        return 0;
    }

    private static <E extends Enum<E>> E parse(Class<E> type, String option, String value) {
        for (E e : type.getEnumConstants()) {
            if (NumbersConfig.name(e).equals(value)) {
                return e;
            }
        }
        List<String> names = new ArrayList<>();
        for (E e : type.getEnumConstants()) {
            names.add(NumbersConfig.name(e));
        }
        throw new IllegalArgumentException(option + ": unknown value '" + value + "'; expected one of " + String.join(", ", names));
    }

    private TreeSet<Integer> bannedNumbers() {
        if (banned.equals("default")) {
            return new TreeSet<>(NumberFilter.DEFAULT_BANNED);
        }
        TreeSet<Integer> s = new TreeSet<>();
        if (banned.equals("none")) {
            return s;
        }
        for (String p : banned.split(",")) {
            try {
                s.add(Integer.parseInt(p.strip()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--banned: '" + p + "' is not a number; give default, none or a list such as 666,911,187");
            }
        }
        return s;
    }

    private List<Defence> defenceList() {
        List<Defence> d = new ArrayList<>();
        for (String s : defences) {
            d.add(parse(Defence.class, "--defences", s.strip()));
        }
        return d;
    }

    static String interval(MeanInterval m) {
        return m.format();
    }
}
