package dev.subliminal.experiments.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.subliminal.experiments.io.Provenance;
import dev.subliminal.lm.transformer.LanguageModel;
import dev.subliminal.lm.transformer.Precision;
import dev.subliminal.lm.transformer.Sampling;
import dev.subliminal.results.io.Outputs;
import dev.subliminal.results.schema.Schema;
import dev.subliminal.spec.SettingType;
import dev.subliminal.theory.linalg.Gemm;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code subliminal lm}: a language model from a checkpoint folder (Hugging Face layout:
 * {@code config.json}, safetensors weights, optionally {@code tokenizer.json}): the per-token
 * log-probabilities of a text ({@code logprobs}) and sampled continuations ({@code generate}).
 */
@Command(name = "lm", mixinStandardHelpOptions = true,
        description = {"Use a language model from a checkpoint folder (config.json, model.safetensors or shards, "
            + "optionally tokenizer.json): gpt2, llama, qwen2 and mistral layouts."},
        subcommands = {LmCommand.Logprobs.class, LmCommand.Generate.class})
final class LmCommand implements Runnable {

    /** The {@code schema} of {@code lm logprobs} output. */
    static final String LOGPROBS_SCHEMA = "subliminal.lm-logprobs/1";
    /** The {@code schema} of {@code lm generate --json} output. */
    static final String GENERATE_SCHEMA = "subliminal.lm-generate/1";

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** What both subcommands read: the folder, a text or token ids, threads, an output file. */
    abstract static class Base implements Callable<Integer> {

        @Parameters(index = "0", paramLabel = "CHECKPOINT", description = "The checkpoint folder.")
        Path checkpoint;

        @Option(names = "--json", paramLabel = "FILE", description = "Write the result as JSON to FILE (a new file).")
        Path json;

        @CommandLine.Mixin
        ThreadsOption threads = new ThreadsOption();

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        /** The text or ids given by one of two options (exactly one when {@code required}). */
        static int[] ids(LmCheckpoint cp, String text, String textOption, String tokens, String tokensOption,
                boolean required) {
            if (text != null && tokens != null) {
                throw new IllegalArgumentException("give " + textOption + " or " + tokensOption + ", not both");
            }
            if (text != null) {
                return cp.encode(text, textOption);
            }
            if (tokens != null) {
                return cp.parseTokens(tokens, tokensOption);
            }
            if (required) {
                throw new IllegalArgumentException("give " + textOption + " or " + tokensOption);
            }
            return new int[0];
        }

        /** The record's common fields: schema, provenance, checkpoint. */
        ObjectNode record(String schema, LmCheckpoint cp) {
            ObjectNode root = MAPPER.createObjectNode();
            Schema.NAME.put(root, schema);
            Schema.PROVENANCE.set(root, Provenance.json(MAPPER,
                    spec.commandLine().getParseResult().originalArgs().toArray(new String[0])));
            cp.toJson(root.putObject("checkpoint"));
            return root;
        }

        /** Each token's text when there is a tokenizer (as decoded alone), else null. */
        static ArrayNode pieces(LmCheckpoint cp, int[] ids, ObjectNode parent, String field) {
            if (cp.tokenizer() == null) {
                parent.putNull(field);
                return null;
            }
            ArrayNode a = parent.putArray(field);
            for (int id : ids) {
                a.add(new String(cp.tokenizer().decodeBytes(new int[] {id}), StandardCharsets.UTF_8));
            }
            return a;
        }

        void output(ObjectNode root, String summary) {
            String text;
            try {
                text = MAPPER.writeValueAsString(root) + "\n";
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("cannot serialize the result", e);
            }
            PrintWriter out = spec.commandLine().getOut();
            if (json == null) {
                out.print(text);
            } else {
                Outputs.writeNew(json, text);
                out.println(summary + "; written to " + json);
            }
            out.flush();
        }

        void requireOutput() {
            if (json != null) {
                Outputs.requireDistinct(json, List.of(checkpoint));
                Outputs.requireAbsent(json);
            }
        }
    }

    /** {@code subliminal lm logprobs}. */
    @Command(name = "logprobs", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Print, as JSON, log P(t_i | t_<i) for every token of a text under a checkpoint, so that "
                + "another framework can compare them. With a prompt, only the text's tokens after it are scored; "
                + "without, every token but the first.",
                "Output: {\"schema\": \"" + LOGPROBS_SCHEMA + "\", \"provenance\", \"checkpoint\", \"precision\", "
                    + "\"tokens\", \"pieces\" (each token's text, or null without a tokenizer), \"scoredFrom\", "
                    + "\"logprobs\" (null for unscored tokens), \"total\"}."})
    static final class Logprobs extends Base {

        @Option(names = "--text", paramLabel = "TEXT", description = "The text to score (needs tokenizer.json).")
        String text;

        @Option(names = "--text-file", paramLabel = "FILE", description = "Read the text to score from FILE (UTF-8).")
        Path textFile;

        @Option(names = "--tokens", paramLabel = "IDS", description = "Token ids to score, e.g. 5,17,3.")
        String tokens;

        @Option(names = "--prompt", paramLabel = "TEXT", description = "Context before the text, not scored.")
        String prompt;

        @Option(names = "--prompt-tokens", paramLabel = "IDS", description = "Context as token ids, not scored.")
        String promptTokens;

        @Option(names = "--precision", paramLabel = "P", defaultValue = "float64",
                description = "float64 or float32 arithmetic (default: ${DEFAULT-VALUE}).")
        String precision;

        @Override
        public Integer call() {
            requireOutput();
            Precision p = precision(precision);
            String t = text;
            if (textFile != null) {
                if (text != null) {
                    throw new IllegalArgumentException("give --text or --text-file, not both");
                }
                t = readText(textFile);
            }
            LmCheckpoint cp = LmCheckpoint.read(checkpoint);
            int[] context = ids(cp, prompt, "--prompt", promptTokens, "--prompt-tokens", false);
            int[] scored = ids(cp, t, textFile != null ? "--text-file" : "--text", tokens, "--tokens", true);
            if (context.length + scored.length < 2 && context.length == 0 || scored.length == 0) {
                throw new IllegalArgumentException("nothing to score: without a prompt, give at least 2 tokens (the first "
                        + "has no context)");
            }
            int[] all = Arrays.copyOf(context, context.length + scored.length);
            System.arraycopy(scored, 0, all, context.length, scored.length);
            int from = Math.max(1, context.length);
            LanguageModel lm = new LanguageModel(cp.config()).withGemm(Gemm.threads(threads.count())).withPrecision(p);
            double[] lp = lm.logProbabilities(cp.theta(), Arrays.copyOf(all, from), Arrays.copyOfRange(all, from,
                    all.length));
            ObjectNode root = record(LOGPROBS_SCHEMA, cp);
            root.put("precision", p.toString());
            ArrayNode ids = root.putArray("tokens");
            Arrays.stream(all).forEach(ids::add);
            pieces(cp, all, root, "pieces");
            root.put("scoredFrom", from);
            ArrayNode values = root.putArray("logprobs");
            double total = 0;
            for (int i = 0; i < all.length; i++) {
                if (i < from) {
                    values.addNull();
                } else {
                    values.add(lp[i - from]);
                    total += lp[i - from];
                }
            }
            root.put("total", total);
            output(root, String.format(Locale.ROOT, "%d tokens scored, total log-probability %.6f", lp.length, total));
            return 0;
        }
    }

    /** {@code subliminal lm generate}. */
    @Command(name = "generate", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Continue a prompt with tokens sampled from a checkpoint (key/value cache, float64): "
                + "temperature (0: greedy), nucleus top-p and a seed that replays the same tokens.",
                "Prints the continuation's text (or its token ids without a tokenizer); --json writes {\"schema\": \""
                    + GENERATE_SCHEMA + "\", \"provenance\", \"checkpoint\", \"sampling\", \"promptTokens\", "
                    + "\"tokens\", \"pieces\", \"text\"}."})
    static final class Generate extends Base {

        @Option(names = "--prompt", paramLabel = "TEXT", description = "The prompt (needs tokenizer.json).")
        String prompt;

        @Option(names = "--prompt-tokens", paramLabel = "IDS", description = "The prompt as token ids, e.g. 5,17,3.")
        String promptTokens;

        @Option(names = "--max-new-tokens", paramLabel = "N",
                description = "Most tokens to generate (default: 32, fewer when the context fills up).")
        Integer maxNewTokens;

        @Option(names = "--temperature", paramLabel = "T", defaultValue = "1",
                description = "Sampling temperature; 0 picks the most likely token (default: ${DEFAULT-VALUE}).")
        double temperature;

        @Option(names = "--top-p", paramLabel = "P", defaultValue = "1",
                description = "Nucleus sampling mass in (0, 1] (default: ${DEFAULT-VALUE}).")
        double topP;

        @Option(names = "--seed", paramLabel = "SEED", defaultValue = "1",
                description = "Seed of the draws (default: ${DEFAULT-VALUE}).")
        long seed;

        @Option(names = "--stop-tokens", paramLabel = "IDS",
                description = "Token ids that end generation (emitted, then stop), e.g. 50256.")
        String stopTokens;

        @Override
        public Integer call() {
            requireOutput();
            LmCheckpoint cp = LmCheckpoint.read(checkpoint);
            int[] context = ids(cp, prompt, "--prompt", promptTokens, "--prompt-tokens", true);
            int[] stops = stopTokens == null ? new int[0] : cp.parseTokens(stopTokens, "--stop-tokens");
            int most = maxNewTokens != null ? maxNewTokens
                    : Math.max(0, Math.min(32, cp.config().contextLength() - context.length));
            Sampling sampling = new Sampling(most, temperature, topP, seed, stops);
            LanguageModel lm = new LanguageModel(cp.config()).withGemm(Gemm.threads(threads.count()));
            int[] out = lm.generate(cp.theta(), context, sampling);
            String decoded = cp.tokenizer() == null ? null : cp.tokenizer().decode(out);
            if (json == null) {
                PrintWriter o = spec.commandLine().getOut();
                o.println(decoded != null ? decoded : Arrays.toString(out));
                o.flush();
                return 0;
            }
            ObjectNode root = record(GENERATE_SCHEMA, cp);
            ObjectNode s = root.putObject("sampling");
            s.put("maxNewTokens", most);
            s.put("temperature", temperature);
            s.put("topP", topP);
            s.put("seed", seed);
            ArrayNode st = s.putArray("stopTokens");
            Arrays.stream(stops).forEach(st::add);
            ArrayNode pt = root.putArray("promptTokens");
            Arrays.stream(context).forEach(pt::add);
            ArrayNode ids = root.putArray("tokens");
            Arrays.stream(out).forEach(ids::add);
            pieces(cp, out, root, "pieces");
            root.put("text", decoded);
            output(root, out.length + " tokens generated");
            return 0;
        }
    }

    /** float32 or float64, named in the error. */
    static Precision precision(String text) {
        try {
            return SettingType.choice(Precision.class).parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--precision: " + e.getMessage());
        }
    }

    static String readText(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (java.nio.charset.MalformedInputException e) {
            throw new IllegalArgumentException(file + " is not valid UTF-8 text");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
