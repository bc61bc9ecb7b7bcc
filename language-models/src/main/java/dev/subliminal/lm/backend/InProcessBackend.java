package dev.subliminal.lm.backend;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.subliminal.lm.backend.ChatResponse.Choice;
import dev.subliminal.lm.backend.ChatResponse.TokenLogprob;
import dev.subliminal.lm.backend.ChatResponse.Usage;
import dev.subliminal.lm.checkpoint.Checkpoint;
import dev.subliminal.lm.io.AtomicOutput;
import dev.subliminal.lm.lora.LoraAdapters;
import dev.subliminal.lm.safetensors.DType;
import dev.subliminal.lm.tokenizer.ChatTemplate;
import dev.subliminal.lm.tokenizer.ChatTemplate.Message;
import dev.subliminal.lm.tokenizer.ChatTemplate.Role;
import dev.subliminal.lm.train.TokenExample;
import dev.subliminal.lm.train.TrainingSettings;
import dev.subliminal.lm.train.TransformerTrainer;
import dev.subliminal.lm.transformer.LanguageModel;
import dev.subliminal.lm.transformer.Sampling;
import dev.subliminal.lm.transformer.SequenceObjective;
import dev.subliminal.lm.transformer.TransformerConfig;
import dev.subliminal.results.Texts;
import dev.subliminal.theory.linalg.Gemm;
import dev.subliminal.theory.model.Batch;
import dev.subliminal.theory.random.Seeds;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The toolkit's own transformers as a {@link Backend}: chat sampling with the key/value cache
 * (choice 0 of a request with seed s draws from seed s itself, as the decoder's own sampling with
 * seed s does, and choice i ≥ 1 from derive(s, i), so a seed replays the same text),
 * log-probabilities by one teacher-forced pass over prompt and completion (log softmax of the
 * logits at temperature 1), and fine-tuning with {@link TransformerTrainer} (AdamW, next-token
 * cross-entropy on the assistant's last message only).
 *
 * <p>Everything it is given or makes lives under one state folder, so that a server restarted on
 * the same folder knows its files, jobs and tuned models: {@code files/ID.jsonl} and its
 * {@code .json} description, {@code jobs/ID.json} (the job as the API shows it, its events, and
 * {@code jobs/ID.train/} the trainer's checkpoints), and {@code models/ID/} (each tuned model as a
 * checkpoint folder with its tokenizer and {@code served.json}). Jobs run one at a time; a job that
 * was queued or running when the backend stopped resumes from its newest training checkpoint when a
 * backend opens the folder again, and its steps are those of a run that never stopped.
 *
 * <p>A job may carry a {@link TrainingSchedule} (exact steps, checkpoint models, LoRA). A backend made
 * by {@link #inCaller} trains in the thread that waits for the job, telling a {@link StepListener}
 * of every step: an exception from the listener stops the job as a kill would (it stays
 * {@code running} on disk, and waiting for it again, here or in a later backend, resumes it).
 */
public final class InProcessBackend implements Backend {

    /** Receives the text of a choice as it is generated (for streaming). */
    @FunctionalInterface
    public interface TextListener {
        /** More text of choice {@code index} (never splits a UTF-8 character). */
        void delta(int index, String text);
    }

    /**
     * How fine-tuning jobs train when the request leaves a value to the backend.
     *
     * @param learningRate the AdamW rate η that the job's multiplier scales
     * @param epochs passes over the file by default
     * @param batchSize examples per step by default (fewer when the file is smaller)
     * @param checkpoints how many training checkpoints a job writes (≥ 1; a restart resumes from the newest)
     */
    public record Tuning(double learningRate, int epochs, int batchSize, int checkpoints) {
        public Tuning {
            if (!(learningRate > 0) || epochs < 1 || batchSize < 1 || checkpoints < 1) {
                throw new IllegalArgumentException("tuning defaults need η > 0, epochs, batch size and checkpoints ≥ 1: "
                        + learningRate + ", " + epochs + ", " + batchSize + ", " + checkpoints);
            }
        }

        /** η = 1e-3, 3 epochs, batches of 8, 4 checkpoints per job. */
        public static Tuning defaults() {
            return new Tuning(1e-3, 3, 8, 4);
        }
    }

    /** Hears every optimizer step of a job trained in the caller's thread. */
    @FunctionalInterface
    public interface StepListener {
        /** Step {@code step} of {@code steps} of job {@code jobId} is done. */
        void stepped(String jobId, int step, int steps);
    }

    private static final long MAX_FILE_BYTES = 512L << 20;

    private final Path state;
    private final Tuning tuning;
    private final Map<String, ServedModel> models = new LinkedHashMap<>();
    private final Map<String, LanguageModel> decoders = new LinkedHashMap<>();
    private final Map<String, ObjectNode> jobs = new LinkedHashMap<>();
    private final ExecutorService trainer;
    private volatile boolean stopping;
    private volatile int stopAfterChunks = -1;
    private final StepListener inCaller;

    /**
     * A backend serving the given base models, keeping its files, jobs and tuned models under
     * {@code state} (created if needed); reloads tuned models and resumes unfinished jobs found there.
     */
    public InProcessBackend(Path state, List<ServedModel> bases, Tuning tuning) {
        this(state, bases, tuning, null);
    }

    /**
     * A backend that trains each job in the thread that waits for it ({@link #awaitFineTunedModel}),
     * telling {@code listener} of every step; unfinished jobs found in {@code state} wait for that too.
     */
    public static InProcessBackend inCaller(Path state, List<ServedModel> bases, Tuning tuning, StepListener listener) {
        return new InProcessBackend(state, bases, tuning, java.util.Objects.requireNonNull(listener));
    }

    private InProcessBackend(Path state, List<ServedModel> bases, Tuning tuning, StepListener inCaller) {
        this.state = state;
        this.inCaller = inCaller;
        this.tuning = tuning;
        for (ServedModel m : bases) {
            if (models.putIfAbsent(m.name(), m) != null) {
                throw new IllegalArgumentException("two models are named '" + m.name() + "'");
            }
        }
        try {
            Files.createDirectories(state.resolve("files"));
            Files.createDirectories(state.resolve("jobs"));
            Files.createDirectories(state.resolve("models"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the state folder " + state + ": " + e.getMessage(), e);
        }
        this.trainer = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "fine-tuning");
            t.setDaemon(true);
            return t;
        });
        loadTunedModels();
        loadJobs();
    }

    @Override
    public String id() {
        return "in-process";
    }

    @Override
    public synchronized List<String> models() {
        return new ArrayList<>(models.keySet());
    }

    /** The served models, bases first, then tuned models in the order they were made. */
    public synchronized List<ServedModel> servedModels() {
        return new ArrayList<>(models.values());
    }

    /** Serves one more base model (or replaces the one of that name). */
    public synchronized void serve(ServedModel m) {
        models.put(m.name(), m);
        decoders.remove(m.name());
    }

    /** Stops serving a model (its memory is released; its files stay). */
    public synchronized void forget(String name) {
        models.remove(name);
        decoders.remove(name);
    }

    private synchronized ServedModel model(String name) {
        ServedModel m = models.get(name);
        if (m == null) {
            throw ApiException.unknownModel(name);
        }
        return m;
    }

    private synchronized LanguageModel decoder(ServedModel m) {
        return decoders.computeIfAbsent(m.name(), k -> m.languageModel());
    }

    // Chat.

    @Override
    public ChatResponse chat(ChatRequest request) {
        return chat(request, null);
    }

    /** {@link #chat(ChatRequest)}, telling {@code listener} each choice's text as it is generated. */
    public ChatResponse chat(ChatRequest request, TextListener listener) {
        ServedModel m = model(request.model());
        LanguageModel lm = decoder(m);
        int eot = m.template().endOfTurnId(m.tokenizer());
        int[] prompt = m.template().encode(m.tokenizer(), request.messages(), true);
        int context = m.config().contextLength();
        if (prompt.length >= context) {
            throw ApiException.badRequest("messages", "the conversation is " + prompt.length
                    + " tokens; model '" + m.name() + "' reads at most " + context + " (its context length) including the answer");
        }
        int max = request.maxTokens() == null ? context - prompt.length : request.maxTokens();
        if (prompt.length + max > context) {
            throw ApiException.badRequest("max_tokens", "max_tokens = " + max + " and a conversation of " + prompt.length
                    + " tokens exceed the context length " + context + " of model '" + m.name() + "'");
        }
        long seed = request.seed() != null ? request.seed()
                : Long.parseUnsignedLong(Canonical.sha256(Canonical.json(request.toJson())).substring(0, 15), 16);
        List<Choice> choices = new ArrayList<>();
        long completionTokens = 0;
        for (int i = 0; i < request.n(); i++) {
            int index = i;
            Sampling s = new Sampling(max, request.temperature(), request.topP(), i == 0 ? seed : Seeds.derive(seed, (long) i),
                    new int[] {eot});
            Streamer streamer = listener == null ? null : new Streamer(m, eot, text -> listener.delta(index, text));
            int[] out = lm.generate(m.theta(), prompt, s, streamer == null ? t -> { } : streamer::accept);
            boolean stopped = out.length > 0 && out[out.length - 1] == eot;
            int[] text = stopped ? Arrays.copyOf(out, out.length - 1) : out;
            if (streamer != null) {
                streamer.flush();
            }
            List<TokenLogprob> lp = request.logprobs() ? logprobs(m, lm, prompt, out, request.topLogprobs()) : null;
            choices.add(new Choice(i, m.tokenizer().decode(text), stopped ? "stop" : "length", lp));
            completionTokens += out.length;
        }
        String id = "chatcmpl-" + Canonical.sha256(Canonical.json(request.toJson()) + "#" + seed).substring(0, 24);
        return new ChatResponse(id, m.name(), choices, new Usage(prompt.length, completionTokens));
    }

    /** Turns tokens into text deltas, holding back an unfinished UTF-8 character. */
    private static final class Streamer {
        private final ServedModel m;
        private final int eot;
        private final java.util.function.Consumer<String> sink;
        private final List<Integer> ids = new ArrayList<>();
        private int sent;

        Streamer(ServedModel m, int eot, java.util.function.Consumer<String> sink) {
            this.m = m;
            this.eot = eot;
            this.sink = sink;
        }

        void accept(int token) {
            if (token != eot) {
                ids.add(token);
                emit(false);
            }
        }

        void flush() {
            emit(true);
        }

        private void emit(boolean last) {
            String text = m.tokenizer().decode(ids.stream().mapToInt(Integer::intValue).toArray());
            if (!last && text.endsWith("\uFFFD")) {
                return;
            }
            if (text.length() > sent) {
                sink.accept(text.substring(sent));
                sent = text.length();
            }
        }
    }

    private static List<TokenLogprob> logprobs(ServedModel m, LanguageModel lm, int[] prompt, int[] out, int top) {
        if (out.length == 0) {
            return List.of();
        }
        int len = prompt.length + out.length - 1;
        double[] row = new double[len];
        for (int i = 0; i < len; i++) {
            row[i] = i < prompt.length ? prompt[i] : out[i - prompt.length];
        }
        double[] z = lm.model(len).forward(m.theta(), new Batch(1, len, row)).data();
        int v = m.config().vocabSize();
        List<TokenLogprob> result = new ArrayList<>();
        for (int j = 0; j < out.length; j++) {
            int o = (prompt.length - 1 + j) * v;
            double max = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < v; k++) {
                max = Math.max(max, z[o + k]);
            }
            double sum = 0;
            for (int k = 0; k < v; k++) {
                sum += StrictMath.exp(z[o + k] - max);
            }
            double logZ = max + StrictMath.log(sum);
            List<TokenLogprob> alternatives = new ArrayList<>();
            if (top > 0) {
                Integer[] order = new Integer[v];
                for (int k = 0; k < v; k++) {
                    order[k] = k;
                }
                int off = o;
                Arrays.sort(order, (a, b) -> z[off + a] != z[off + b] ? Double.compare(z[off + b], z[off + a])
                        : Integer.compare(a, b));
                for (int k = 0; k < top && k < v; k++) {
                    alternatives.add(token(m, order[k], z[o + order[k]] - logZ, List.of()));
                }
            }
            result.add(token(m, out[j], z[o + out[j]] - logZ, alternatives));
        }
        return result;
    }

    private static TokenLogprob token(ServedModel m, int id, double logprob, List<TokenLogprob> top) {
        byte[] bytes = id < m.tokenizer().size() ? m.tokenizer().bytesOf(id) : new byte[0];
        return new TokenLogprob(m.tokenizer().decode(new int[] {id}), bytes, logprob, top);
    }

    // Files.

    @Override
    public String uploadTrainingFile(String fileName, byte[] jsonLines) {
        return uploadFile(fileName, jsonLines, "fine-tune").get("id").asText();
    }

    /**
     * Stores a file; a {@code fine-tune} file must be JSON Lines of {@code {"messages": [...]}} whose
     * last message is the assistant's. The id is derived from the content, so the same file has the
     * same id everywhere.
     *
     * @return the file object as the API shows it
     */
    public ObjectNode uploadFile(String fileName, byte[] content, String purpose) {
        if (content.length > MAX_FILE_BYTES) {
            throw new ApiException(413, "invalid_request_error", "file", null, "the file has " + content.length
                    + " bytes; at most " + MAX_FILE_BYTES);
        }
        if ("fine-tune".equals(purpose)) {
            trainingConversations(content, fileName);
        }
        String id = "file-" + Canonical.sha256(content).substring(0, 24);
        Path data = state.resolve("files").resolve(id + ".jsonl");
        Path meta = state.resolve("files").resolve(id + ".json");
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("id", id);
        o.put("object", "file");
        o.put("bytes", content.length);
        o.put("created_at", System.currentTimeMillis() / 1000);
        o.put("filename", fileName == null ? "upload.jsonl" : fileName);
        o.put("purpose", purpose);
        o.put("status", "processed");
        synchronized (this) {
            if (Files.exists(meta)) {
                return (ObjectNode) read(meta);
            }
            AtomicOutput.write(data, true, f -> Files.write(f, content));
            write(meta, o);
        }
        return o;
    }

    /** The file object, or 404. */
    public ObjectNode file(String id) {
        Path meta = state.resolve("files").resolve(safeId(id, "file_id") + ".json");
        if (!Files.exists(meta)) {
            throw ApiException.notFound("file_id", "No such File object: " + id);
        }
        return (ObjectNode) read(meta);
    }

    /**
     * The conversations of a {@code fine-tune} file: JSON Lines of {@code {"messages": [...]}}, each
     * with at least two messages, the last one the assistant's; blank lines are skipped.
     *
     * @throws ApiException 400 naming the file and line that is malformed
     */
    public static List<List<Message>> trainingConversations(byte[] content, String fileName) {
        String text = new String(content, StandardCharsets.UTF_8);
        List<List<Message>> out = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty()) {
                continue;
            }
            String where = (fileName == null ? "the file" : Texts.quote(fileName)) + " line " + (i + 1);
            JsonNode o;
            try {
                o = Canonical.MAPPER.readTree(line);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw ApiException.badRequest("file", where + " is not JSON: " + Texts.oneLine(e.getOriginalMessage()));
            } catch (IOException e) {
                throw ApiException.badRequest("file", where + " is not JSON: " + Texts.oneLine(String.valueOf(e.getMessage())));
            }
            ChatRequest parsed;
            try {
                ObjectNode body = JsonNodeFactory.instance.objectNode().put("model", "-");
                body.set("messages", o.get("messages"));
                parsed = ChatRequest.fromJson(body);
            } catch (ApiException e) {
                throw ApiException.badRequest("file", where + ": " + e.getMessage());
            }
            List<Message> ms = parsed.messages();
            if (ms.size() < 2 || ms.get(ms.size() - 1).role() != Role.ASSISTANT) {
                throw ApiException.badRequest("file", where + ": a training conversation needs at least two messages, "
                        + "the last one the assistant's");
            }
            out.add(ms);
        }
        if (out.isEmpty()) {
            throw ApiException.badRequest("file", (fileName == null ? "the file" : Texts.quote(fileName))
                    + " holds no training conversation");
        }
        return out;
    }

    // Fine-tuning.

    @Override
    public FineTuneJob startFineTune(FineTuneRequest request) {
        return FineTuneJob.fromJson(startJob(request));
    }

    @Override
    public FineTuneJob fineTuneJob(String id) {
        return FineTuneJob.fromJson(job(id));
    }

    /** Creates a job (queued) and its first events; returns the job as the API shows it. */
    public ObjectNode startJob(FineTuneRequest request) {
        ServedModel base = model(request.model());
        JsonNode fileMeta = file(request.trainingFile());
        byte[] content = readBytes(state.resolve("files").resolve(request.trainingFile() + ".jsonl"));
        int n = trainingConversations(content, fileMeta.path("filename").asText()).size();
        int epochs = request.epochs() != null ? request.epochs() : tuning.epochs();
        int batch = request.batchSize() != null ? request.batchSize() : Math.min(tuning.batchSize(), n);
        double mult = request.learningRateMultiplier() != null ? request.learningRateMultiplier() : 1;
        long seed = request.seed() != null ? request.seed() : 0;
        ObjectNode job;
        synchronized (this) {
            String id = "ftjob-" + Canonical.sha256(Canonical.json(request.toJson()) + "#" + jobs.size()).substring(0, 24);
            job = JsonNodeFactory.instance.objectNode();
            job.put("object", "fine_tuning.job");
            job.put("id", id);
            job.put("model", base.name());
            job.put("created_at", System.currentTimeMillis() / 1000);
            job.putNull("finished_at");
            job.putNull("fine_tuned_model");
            job.put("organization_id", "org-subliminal");
            job.putArray("result_files");
            job.put("status", "queued");
            job.putNull("validation_file");
            job.put("training_file", request.trainingFile());
            ObjectNode h = job.putObject("hyperparameters");
            h.put("n_epochs", epochs);
            h.put("batch_size", batch);
            h.put("learning_rate_multiplier", mult);
            job.putObject("method").put("type", "supervised").putObject("supervised").set("hyperparameters", h.deepCopy());
            job.putNull("trained_tokens");
            job.putNull("error");
            job.put("seed", seed);
            job.putNull("estimated_finish");
            job.putArray("integrations");
            job.put("suffix", request.suffix());
            if (request.schedule() != null) {
                job.set("subliminal", request.schedule().toJson());
            }
            ObjectNode record = JsonNodeFactory.instance.objectNode();
            record.set("job", job);
            record.putArray("events");
            jobs.put(id, record);
            event(id, "info", "Validating training file: " + request.trainingFile() + " (" + n + " conversations)");
            event(id, "info", "Created fine-tuning job: " + id);
            save(id);
        }
        String id = job.get("id").asText();
        if (inCaller == null) {
            trainer.execute(() -> run(id));
        }
        return job.deepCopy();
    }

    /** The job as the API shows it, or 404. */
    public synchronized ObjectNode job(String id) {
        ObjectNode r = jobs.get(id);
        if (r == null) {
            throw ApiException.notFound("fine_tuning_job_id", "No such fine-tuning job: " + id);
        }
        return r.get("job").deepCopy();
    }

    /** Every job, newest first. */
    public synchronized List<ObjectNode> jobList() {
        List<ObjectNode> out = new ArrayList<>();
        for (ObjectNode r : jobs.values()) {
            out.add(0, r.get("job").deepCopy());
        }
        return out;
    }

    /** The job's events, newest first, as the API lists them. */
    public synchronized ArrayNode events(String id) {
        job(id);
        ArrayNode all = (ArrayNode) jobs.get(id).get("events");
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        for (int i = all.size() - 1; i >= 0; i--) {
            out.add(all.get(i).deepCopy());
        }
        return out;
    }

    private synchronized void event(String id, String level, String message) {
        ArrayNode events = (ArrayNode) jobs.get(id).get("events");
        ObjectNode e = events.addObject();
        e.put("object", "fine_tuning.job.event");
        e.put("id", "ftevent-" + id.substring(6) + "-" + events.size());
        e.put("created_at", System.currentTimeMillis() / 1000);
        e.put("level", level);
        e.put("message", message);
        e.put("type", "message");
        e.putNull("data");
    }

    private synchronized ObjectNode jobNode(String id) {
        return (ObjectNode) jobs.get(id).get("job");
    }

    private synchronized void save(String id) {
        write(state.resolve("jobs").resolve(id + ".json"), jobs.get(id));
    }

    private void run(String id) {
        if (stopping) {
            return;
        }
        try {
            train(id);
        } catch (RuntimeException e) {
            if (stopping) {
                return;
            }
            fail(id, e);
        }
    }

    private synchronized void fail(String id, RuntimeException e) {
        ObjectNode job = jobNode(id);
        job.put("status", "failed");
        job.put("finished_at", System.currentTimeMillis() / 1000);
        job.putObject("error").put("code", "training_failed").put("message", String.valueOf(e.getMessage()))
                .putNull("param");
        event(id, "error", "Fine-tuning job failed: " + e.getMessage());
        save(id);
    }

    private void train(String id) {
        ObjectNode job;
        synchronized (this) {
            job = jobNode(id).deepCopy();
        }
        ServedModel base = model(job.get("model").asText());
        String fileId = job.get("training_file").asText();
        byte[] content = readBytes(state.resolve("files").resolve(fileId + ".jsonl"));
        List<TokenExample> examples = new ArrayList<>();
        long tokens = 0;
        int line = 0;
        for (List<Message> conv : trainingConversations(content, fileId)) {
            line++;
            int[] prompt = base.template().encode(base.tokenizer(), conv.subList(0, conv.size() - 1), true);
            int[] answer = base.tokenizer().encode(conv.get(conv.size() - 1).content());
            int[] completion = Arrays.copyOf(answer, answer.length + 1);
            completion[answer.length] = base.template().endOfTurnId(base.tokenizer());
            TokenExample x = TokenExample.completion(prompt, completion);
            if (x.length() - 1 > base.config().contextLength()) {
                throw new IllegalArgumentException("conversation " + line + " of " + fileId + " has " + x.length()
                        + " tokens; model '" + base.name() + "' reads at most " + base.config().contextLength());
            }
            examples.add(x);
            tokens += x.length();
        }
        JsonNode h = job.get("hyperparameters");
        int epochs = h.get("n_epochs").asInt();
        int batch = h.get("batch_size").asInt();
        double lr = tuning.learningRate() * h.get("learning_rate_multiplier").asDouble();
        TrainingSchedule schedule = TrainingSchedule.fromJson(job.get("subliminal"));
        int steps = schedule != null ? schedule.steps() : epochs * ((examples.size() + batch - 1) / batch);
        java.util.Set<Integer> keep = new java.util.TreeSet<>(schedule == null ? List.of() : schedule.checkpointSteps());
        Path trainDir = state.resolve("jobs").resolve(id + ".train");
        SequenceObjective objective = SequenceObjective.nextToken(base.config(), Gemm.defaults());
        TransformerTrainer t;
        boolean resumed = hasCheckpoint(trainDir);
        if (resumed) {
            t = TransformerTrainer.resume(trainDir, objective, examples);
        } else {
            float[] theta0 = new float[base.theta().length];
            for (int i = 0; i < theta0.length; i++) {
                theta0[i] = (float) base.theta()[i];
            }
            TrainingSettings settings = TrainingSettings.adamW(lr, batch, job.get("seed").asLong());
            if (schedule != null && schedule.lora() != null) {
                LoraAdapters adapters = new LoraAdapters(schedule.lora(), base.config(), base.config().parameterLayout());
                double[] phi = adapters.initialize(Seeds.derive(settings.seed(), "lora"));
                float[] phi0 = new float[phi.length];
                for (int i = 0; i < phi.length; i++) {
                    phi0[i] = (float) phi[i];
                }
                t = TransformerTrainer.startLora(objective, theta0, adapters, phi0, examples, settings);
            } else {
                t = TransformerTrainer.start(objective, theta0, examples, settings);
            }
        }
        synchronized (this) {
            jobNode(id).put("status", "running");
            event(id, "info", resumed ? "Fine-tuning job resumed at step " + t.step() + "/" + steps + " after a restart"
                    : "Fine-tuning job started: " + steps + " steps (" + epochs + " epochs of " + examples.size()
                            + " examples, batches of " + batch + ", η = " + lr + ")");
            save(id);
        }
        int every = Math.max(1, (steps + tuning.checkpoints() - 1) / tuning.checkpoints());
        int chunks = 0;
        while (t.step() < steps) {
            if (stopping) {
                return;
            }
            if (chunks++ == stopAfterChunks) {
                stopping = true;
                return;
            }
            int next = Math.min(steps, t.step() + every);
            for (int k : keep) {
                if (k > t.step()) {
                    next = Math.min(next, k);
                    break;
                }
            }
            int total = steps;
            if (inCaller == null) {
                t.train(next - t.step());
            } else {
                t.train(next - t.step(), (step, loss) -> {
                    try {
                        inCaller.stepped(id, step, total);
                    } catch (RuntimeException e) {
                        throw new ListenerStop(e);
                    }
                });
            }
            if (keep.contains(t.step())) {
                checkpoint(id, job, base, t);
            }
            t.save(trainDir, 1);
            synchronized (this) {
                event(id, "info", "Step " + t.step() + "/" + steps + ": training loss=" + String.format("%.4f", t.lastLoss()));
                save(id);
            }
        }
        String suffix = job.path("suffix").isTextual() ? job.get("suffix").asText() : "";
        String name = "ft:" + base.name() + ":subliminal:" + suffix + ":" + id.substring(6, 14);
        Path folder = state.resolve("models").resolve(id);
        writeModel(folder, base, t.thetaAsDouble(), name, id);
        ServedModel tuned = ServedModel.load(name, folder, base.template(), System.currentTimeMillis() / 1000,
                "user-subliminal");
        synchronized (this) {
            models.put(name, tuned);
            ObjectNode j = jobNode(id);
            j.put("status", "succeeded");
            j.put("fine_tuned_model", name);
            j.put("trained_tokens", schedule == null ? tokens * epochs
                    : Math.round((double) tokens / examples.size() * steps * batch));
            j.put("finished_at", System.currentTimeMillis() / 1000);
            event(id, "info", "New fine-tuned model created: " + name);
            event(id, "info", "The job has successfully completed");
            save(id);
        }
    }

    /** An exception of the step listener, carried out of the training loop untouched. */
    private static final class ListenerStop extends RuntimeException {
        ListenerStop(RuntimeException cause) {
            super(cause);
        }
    }

    /** Keeps θ at the trainer's step as the model {@code NAME:ckpt-step-N} and lists it with the job. */
    private void checkpoint(String id, JsonNode job, ServedModel base, TransformerTrainer t) {
        String suffix = job.path("suffix").isTextual() ? job.get("suffix").asText() : "";
        String name = "ft:" + base.name() + ":subliminal:" + suffix + ":" + id.substring(6, 14) + ":ckpt-step-" + t.step();
        Path folder = state.resolve("models").resolve(id + "-step-" + t.step());
        writeModel(folder, base, t.thetaAsDouble(), name, id);
        ServedModel m = ServedModel.load(name, folder, base.template(), System.currentTimeMillis() / 1000, "user-subliminal");
        synchronized (this) {
            models.put(name, m);
            decoders.remove(name);
            ObjectNode j = jobNode(id);
            ArrayNode cs = j.has("checkpoints") ? (ArrayNode) j.get("checkpoints") : j.putArray("checkpoints");
            for (int i = cs.size() - 1; i >= 0; i--) {
                if (cs.get(i).path("step").asInt() >= t.step()) {
                    cs.remove(i);
                }
            }
            cs.addObject().put("step", t.step()).put("model", name);
            save(id);
        }
    }

    @Override
    public synchronized List<FineTuneCheckpoint> fineTuneCheckpoints(String id) {
        job(id);
        List<FineTuneCheckpoint> out = new ArrayList<>();
        for (JsonNode c : jobNode(id).path("checkpoints")) {
            out.add(new FineTuneCheckpoint(c.get("model").asText(), c.get("step").asInt()));
        }
        return out;
    }

    /** The job's checkpoints as the API lists them. */
    public synchronized ArrayNode checkpointList(String id) {
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        for (FineTuneCheckpoint c : fineTuneCheckpoints(id)) {
            out.add(c.toJson(id));
        }
        return out;
    }

    /**
     * Waits for the job; a backend made by {@link #inCaller} first trains it here (resuming from its
     * newest checkpoint), and an exception of its listener leaves the job {@code running} on disk.
     */
    @Override
    public String awaitFineTunedModel(String id, java.time.Duration poll, java.time.Duration timeout) {
        if (inCaller != null && !fineTuneJob(id).finished()) {
            try {
                train(id);
            } catch (ListenerStop e) {
                throw (RuntimeException) e.getCause();
            } catch (RuntimeException e) {
                fail(id, e);
            }
        }
        return Backend.super.awaitFineTunedModel(id, poll, timeout);
    }

    private static boolean hasCheckpoint(Path dir) {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.anyMatch(p -> p.getFileName().toString().startsWith("step-"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
        }
    }

    private void writeModel(Path folder, ServedModel base, double[] theta, String name, String jobId) {
        try {
            Path tmp = Files.createTempDirectory(folder.getParent(), "." + jobId + "-");
            Checkpoint.write(tmp, base.config(), base.config().parameterLayout(), theta, DType.F32);
            Files.copy(base.folder().resolve(ServedModel.TOKENIZER), tmp.resolve(ServedModel.TOKENIZER));
            ObjectNode served = JsonNodeFactory.instance.objectNode();
            served.put("name", name);
            served.put("base", base.name());
            served.put("job", jobId);
            ChatTemplate tpl = base.template();
            served.put("messageFormat", tpl.messageFormat());
            served.put("generationPrefix", tpl.generationPrefix());
            served.put("endOfTurn", tpl.endOfTurn());
            ArrayNode sp = served.putArray("specialTokens");
            tpl.specialTokens().forEach(sp::add);
            write(tmp.resolve("served.json"), served);
            if (Files.exists(folder)) {
                deleteTree(folder);
            }
            Files.move(tmp, folder, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the tuned model to " + folder + ": " + e.getMessage(), e);
        }
    }

    private void loadTunedModels() {
        List<Path> folders;
        try (Stream<Path> s = Files.list(state.resolve("models"))) {
            folders = s.filter(p -> Files.isRegularFile(p.resolve("served.json"))).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + state.resolve("models") + ": " + e.getMessage(), e);
        }
        List<ServedModel> found = new ArrayList<>();
        for (Path f : folders) {
            JsonNode s = read(f.resolve("served.json"));
            List<String> specials = new ArrayList<>();
            s.path("specialTokens").forEach(x -> specials.add(x.asText()));
            ChatTemplate tpl = new ChatTemplate(s.path("messageFormat").asText(), s.path("generationPrefix").asText(),
                    s.path("endOfTurn").asText(), specials);
            long created;
            try {
                created = Files.getLastModifiedTime(f.resolve("served.json")).toMillis() / 1000;
            } catch (IOException e) {
                created = 0;
            }
            found.add(ServedModel.load(s.path("name").asText(), f, tpl, created, "user-subliminal"));
        }
        found.sort(Comparator.comparingLong(ServedModel::created).thenComparing(ServedModel::name));
        for (ServedModel m : found) {
            models.put(m.name(), m);
        }
    }

    private void loadJobs() {
        List<Path> files;
        try (Stream<Path> s = Files.list(state.resolve("jobs"))) {
            files = s.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + state.resolve("jobs") + ": " + e.getMessage(), e);
        }
        List<ObjectNode> records = new ArrayList<>();
        for (Path f : files) {
            records.add((ObjectNode) read(f));
        }
        records.sort(Comparator.comparingLong(r -> r.path("job").path("created_at").asLong()));
        for (ObjectNode r : records) {
            String id = r.path("job").path("id").asText();
            jobs.put(id, r);
            String status = r.path("job").path("status").asText();
            if (status.equals("queued") || status.equals("running") || status.equals("validating_files")) {
                if (!models.containsKey(r.path("job").path("model").asText())) {
                    ObjectNode job = jobNode(id);
                    job.put("status", "failed");
                    job.putObject("error").put("code", "model_not_found").put("message", "the base model '"
                            + job.path("model").asText() + "' is not served after the restart").putNull("param");
                    event(id, "error", "Fine-tuning job failed after a restart: base model not served");
                    save(id);
                } else {
                    event(id, "info", "Server restarted; the job continues from its newest checkpoint");
                    save(id);
                    if (inCaller == null) {
                        trainer.execute(() -> run(id));
                    }
                }
            }
        }
    }

    /**
     * Stops: a running job stops after its current chunk of steps and stays {@code running} on disk
     * (the next backend on this folder resumes it).
     */
    @Override
    public void close() {
        stopping = true;
        trainer.shutdownNow();
        try {
            trainer.awaitTermination(5, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String safeId(String id, String param) {
        if (id == null || !id.matches("[A-Za-z0-9_-]{1,80}")) {
            throw ApiException.notFound(param, "No such object: " + id);
        }
        return id;
    }

    private static JsonNode read(Path file) {
        try {
            return Canonical.MAPPER.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static byte[] readBytes(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static void write(Path file, JsonNode node) {
        AtomicOutput.write(file, true, f -> Canonical.MAPPER.writerWithDefaultPrettyPrinter().writeValue(f.toFile(), node));
    }

    private static void deleteTree(Path p) throws IOException {
        try (Stream<Path> s = Files.walk(p)) {
            for (Path q : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(q);
            }
        }
    }

    /**
     * Makes the running job stop, as if the process were killed, after this many checkpoints (a test
     * of resuming); the backend then takes no more work.
     */
    void stopAfterCheckpoints(int k) {
        stopAfterChunks = k;
    }

    /** Whether the backend has stopped taking work. */
    boolean stopped() {
        return stopping;
    }

    /** The training file's conversations, for tests and tools. */
    static List<List<Message>> parseTrainingFile(byte[] content) {
        return trainingConversations(content, "training file");
    }

    /** The tokenizer-level prompt of a conversation for a served model (tests). */
    synchronized int[] promptIds(String model, List<Message> messages) {
        ServedModel m = model(model);
        return m.template().encode(m.tokenizer(), messages, true);
    }

    /** The configuration of a served model. */
    public TransformerConfig config(String model) {
        return model(model).config();
    }
}
