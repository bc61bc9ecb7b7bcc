package dev.subliminal.experiments.cli;

import dev.subliminal.experiments.llm.LlmConfig;
import dev.subliminal.experiments.io.Provenance;
import dev.subliminal.experiments.llm.LlmPipeline;
import dev.subliminal.experiments.numbers.Progress;
import dev.subliminal.experiments.numbers.StageCache;
import dev.subliminal.lm.backend.Backend;
import dev.subliminal.lm.backend.Canonical;
import dev.subliminal.lm.backend.ChatRequest;
import dev.subliminal.lm.backend.ChatResponse;
import dev.subliminal.lm.backend.FineTuneJob;
import dev.subliminal.lm.backend.FineTuneRequest;
import dev.subliminal.results.io.Outputs;
import dev.subliminal.simulation.sweep.Shard;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code subliminal llm CONFIG}: the number-sequence experiment on the backends a YAML file names
 * (the OpenAI API, vLLM, {@code subliminal serve}, or the toolkit's model in-process), with every
 * request stored so that a rerun pays only for what is missing.
 */
@Command(name = "llm", mixinStandardHelpOptions = true,
        description = {"Run the number-sequence pipeline of `numbers` (its stages numbers, dataset, student and "
            + "evaluation, its filter, evaluation and table) through an OpenAI-compatible API or in-process, as a "
            + "YAML configuration says. Every answer is stored in the configuration's store folder and every stage "
            + "in its work folder: a rerun after a crash or a rate-limit stop pays only for the rest, a finished run "
            + "repeats for free. See docs/llm.md and the examples in llm/."},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:done", "2:bad input or usage, or a backend refused (one line names the setting to fix)"},
        footerHeading = "%nExamples:%n",
        footer = {"  ./subliminal llm llm/openai-gpt-4.1-nano-owl.yaml --dry-run",
            "  OPENAI_API_KEY=... ./subliminal llm llm/openai-gpt-4.1-nano-owl.yaml",
            "  ./subliminal llm llm/local-serve.yaml --out owl-local.jsonl",
            "  ./subliminal llm llm/openai-gpt-4.1-nano-owl.yaml --shard 0/4"})
final class LlmRunCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "CONFIG", description = "The YAML configuration.")
    Path config;

    @Option(names = "--dry-run", description = "Print what would be sent and its estimated cost; send nothing.")
    boolean dryRun;

    @Option(names = "--out", paramLabel = "FILE", description = "Results file (default: llm-CONFIG.jsonl, after the "
            + "configuration's name), resumed if it exists; the same records as numbers writes, which report reads.")
    Path outFile;

    @CommandLine.Mixin
    TableOptions tables;

    @Option(names = "--shard", paramLabel = "K/N", description = "Sample only shard K (0-based) of N of the data "
            + "stage (requests i with i mod N = K) into the store, then stop. Default: from SLURM_ARRAY_TASK_ID "
            + "(minus SLURM_ARRAY_TASK_MIN) and SLURM_ARRAY_TASK_COUNT, or JOB_COMPLETION_INDEX with --shards, else "
            + "no sharding. Shards share the store folder (or copy their folders together); a run without "
            + "--shard then reads every data answer from it.")
    String shard;

    @Option(names = "--shards", paramLabel = "N", description = "The number of shards of a Kubernetes indexed "
            + "Job (its completions); the index comes from JOB_COMPLETION_INDEX.")
    Integer shards;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        LlmConfig c = LlmConfig.read(config);
        Progress progress = new Progress(System.err, 10);
        if (dryRun) {
            Backend offline = new Offline(c);
            LlmPipeline p = new LlmPipeline(c, offline, offline, progress);
            out.println(p.plan());
            ChatRequest first = p.firstRequest();
            out.println("first request (POST chat/completions): " + Canonical.json(first.toJson()));
            return 0;
        }
        String name = config.getFileName().toString().replaceFirst("\\.ya?ml$", "");
        Path results = outFile != null ? outFile : Path.of("llm-" + name + ".jsonl");
        Outputs.requireDistinct(results, List.of(config));
        Outputs.requireFileOrAbsent(results);
        Shard s = Shard.resolve(shard, shards, System.getenv());
        Backend sampling = c.backend(c.sampling(), "sampling", System::getenv);
        if (s.count() > 1) {
            try (sampling) {
                LlmPipeline p = new LlmPipeline(c, sampling, sampling, progress);
                int n = p.sampleShard(s);
                out.println("numbers: shard " + s + ": " + n + " requests answered into the store " + c.store());
                out.println(p.ledger());
                out.println("when every shard is done, run without --shard on the merged store");
            }
            return 0;
        }
        long start = System.nanoTime();
        try (Backend tuning = c.separateTuning() ? c.backend(c.tuning(), "tuning", System::getenv) : null) {
            LlmPipeline p = new LlmPipeline(c, sampling, tuning == null ? sampling : tuning, progress);
            out.println(p.plan());
            out.flush();
            LlmPipeline.Result r = p.run();
            String[] args = spec.commandLine().getParseResult().originalArgs().toArray(new String[0]);
            NumbersTable.write(results, c.toJson(), Provenance.json(Canonical.MAPPER, args), r.rows());
            NumbersTable.print(out, results, c.animal(), c.seeds(), tables.width());
            out.println(r.ledger());
            long ran = p.cache().events().stream().filter(StageCache.Event::ran).count();
            out.printf(Locale.ROOT, "%d of %d stages ran, the others were found done in %s; %.1f s; records in %s%n", ran,
                    p.cache().events().size(), c.work(), (System.nanoTime() - start) / 1e9, results);
        } finally {
            sampling.close();
        }
        return 0;
    }

    /** A backend that only names itself (for the store's keys): a dry run sends nothing. */
    private record Offline(LlmConfig c) implements Backend {
        @Override
        public String id() {
            return "http".equals(c.sampling().path("kind").asText("http"))
                    ? stripSlash(c.sampling().path("base_url").asText()) : "in-process";
        }

        private static String stripSlash(String s) {
            return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
        }

        @Override
        public List<String> models() {
            throw new IllegalStateException("a dry run sends nothing");
        }

        @Override
        public ChatResponse chat(ChatRequest request) {
            throw new IllegalStateException("a dry run sends nothing");
        }

        @Override
        public String uploadTrainingFile(String fileName, byte[] jsonLines) {
            throw new IllegalStateException("a dry run sends nothing");
        }

        @Override
        public FineTuneJob startFineTune(FineTuneRequest request) {
            throw new IllegalStateException("a dry run sends nothing");
        }

        @Override
        public FineTuneJob fineTuneJob(String id) {
            throw new IllegalStateException("a dry run sends nothing");
        }
    }
}
