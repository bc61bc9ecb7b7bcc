package dev.subliminal.experiments.cli;

import dev.subliminal.lm.backend.InProcessBackend;
import dev.subliminal.lm.backend.ServedModel;
import dev.subliminal.lm.backend.TinyModel;
import dev.subliminal.lm.serve.OpenAiServer;
import dev.subliminal.lm.tokenizer.ChatTemplate;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code subliminal serve}: the toolkit's own models behind an OpenAI-compatible HTTP API
 * ({@link OpenAiServer}), so that OpenAI clients and {@code HttpBackend} sample them and fine-tune
 * them unchanged. Runs until interrupted; files, jobs and tuned models live in the state folder and
 * survive a restart.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Serve checkpoint folders through an OpenAI-compatible API: GET /v1/models, "
            + "POST /v1/chat/completions (n, temperature, top_p, max_tokens, seed, logprobs, top_logprobs, stream), "
            + "POST /v1/files, POST /v1/fine_tuning/jobs, GET /v1/fine_tuning/jobs/ID and its events. "
            + "Runs until interrupted (Ctrl-C). See docs/llm.md."},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:stopped", "2:bad input or usage (one line names the problem; --verbose adds the stack trace)"},
        footerHeading = "%nExamples:%n",
        footer = {"  ./subliminal serve --tiny tiny --port 8000",
            "  ./subliminal serve --model owl=runs/owl/teacher --api-key-env SERVE_KEY",
            "  curl -s localhost:8000/v1/models"})
final class ServeCommand implements Callable<Integer> {

    @Option(names = "--model", paramLabel = "NAME=FOLDER",
            description = "A model to serve: its name for clients and its checkpoint folder (config.json, safetensors, "
                    + "tokenizer.json). Repeat for more.")
    List<String> models = new ArrayList<>();

    @Option(names = "--tiny", paramLabel = "NAME",
            description = "Also serve a small random model (byte-level tokenizer, seed --seed) under this name, "
                    + "written into the state folder: for trying clients without a checkpoint.")
    String tiny;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "1", description = "Seed of the --tiny model's weights "
            + "(default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--template", paramLabel = "plain|chatml", defaultValue = "plain",
            description = "Chat format of the --model folders (default ${DEFAULT-VALUE}).")
    String template;

    @Option(names = "--state", paramLabel = "DIR", defaultValue = "serve-state",
            description = "Folder of uploaded files, fine-tuning jobs and tuned models (default ${DEFAULT-VALUE}).")
    Path state;

    @Option(names = "--host", paramLabel = "ADDRESS", defaultValue = "127.0.0.1",
            description = "Address to bind (default ${DEFAULT-VALUE}: this machine only).")
    String host;

    @Option(names = "--port", paramLabel = "N", defaultValue = "8000",
            description = "Port (default ${DEFAULT-VALUE}; 0 picks a free one, see --port-file).")
    int port;

    @Option(names = "--port-file", paramLabel = "FILE", description = "Write the bound port to FILE once serving.")
    Path portFile;

    @Option(names = "--api-key-env", paramLabel = "VAR",
            description = "Require clients to send the key held in the environment variable VAR (never printed).")
    String apiKeyEnv;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "4",
            description = "Requests handled at once; more wait in line (default ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--max-body", paramLabel = "BYTES", defaultValue = "1048576",
            description = "Largest JSON request (default ${DEFAULT-VALUE}; larger ones get 413).")
    long maxBody;

    @Option(names = "--max-file", paramLabel = "BYTES", defaultValue = "67108864",
            description = "Largest upload (default ${DEFAULT-VALUE}).")
    long maxFile;

    @Option(names = "--learning-rate", paramLabel = "X", defaultValue = "1e-3",
            description = "Fine-tuning rate η that a job's learning_rate_multiplier scales (default ${DEFAULT-VALUE}).")
    double learningRate;

    @Option(names = "--epochs", paramLabel = "N", defaultValue = "3",
            description = "Fine-tuning epochs when a job leaves n_epochs to the server (default ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "8",
            description = "Fine-tuning batch when a job leaves batch_size to the server (default ${DEFAULT-VALUE}).")
    int batchSize;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        ChatTemplate tpl = ChatTemplate.named(template);
        Map<String, Path> folders = new LinkedHashMap<>();
        for (String m : models) {
            int eq = m.indexOf('=');
            if (eq <= 0 || eq == m.length() - 1) {
                throw new IllegalArgumentException("--model " + m + ": expected NAME=FOLDER");
            }
            if (folders.put(m.substring(0, eq), Path.of(m.substring(eq + 1))) != null) {
                throw new IllegalArgumentException("--model: two models are named '" + m.substring(0, eq) + "'");
            }
        }
        List<ServedModel> served = new ArrayList<>();
        long now = System.currentTimeMillis() / 1000;
        for (var e : folders.entrySet()) {
            if (!Files.isDirectory(e.getValue())) {
                throw new IllegalArgumentException("--model " + e.getKey() + "=" + e.getValue() + ": no such folder");
            }
            served.add(ServedModel.load(e.getKey(), e.getValue(), tpl, now, "subliminal"));
        }
        if (tiny != null) {
            Path folder = TinyModel.write(state.resolve("tiny-" + seed), seed);
            served.add(ServedModel.load(tiny, folder, ChatTemplate.PLAIN, now, "subliminal"));
        }
        if (served.isEmpty()) {
            throw new IllegalArgumentException("nothing to serve: give --model NAME=FOLDER or --tiny NAME");
        }
        String key = null;
        if (apiKeyEnv != null) {
            key = System.getenv(apiKeyEnv);
            if (key == null || key.isBlank()) {
                throw new IllegalArgumentException("--api-key-env " + apiKeyEnv + ": the variable is not set");
            }
        }
        InProcessBackend backend = new InProcessBackend(state, served,
                new InProcessBackend.Tuning(learningRate, epochs, batchSize, 4));
        OpenAiServer server;
        try {
            server = new OpenAiServer(backend, new OpenAiServer.Settings(host, port, key, maxBody, maxFile, threads));
        } catch (IOException e) {
            backend.close();
            throw new UncheckedIOException("cannot listen on " + host + ":" + port + ": " + e.getMessage(), e);
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            backend.close();
            stopped.countDown();
        }, "serve-shutdown"));
        if (portFile != null) {
            Files.writeString(portFile, Integer.toString(server.port()));
        }
        out.println("serving " + backend.models() + " at " + server.baseUrl() + (key == null ? "" : " (API key required)")
                + "; state in " + state + "; Ctrl-C stops");
        out.flush();
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }
}
