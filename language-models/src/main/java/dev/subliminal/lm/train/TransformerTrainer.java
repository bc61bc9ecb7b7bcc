package dev.subliminal.lm.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.subliminal.lm.checkpoint.Checkpoint;
import dev.subliminal.lm.io.AtomicOutput;
import dev.subliminal.lm.io.FormatException;
import dev.subliminal.lm.io.StrictJson;
import dev.subliminal.lm.lora.LoraAdapters;
import dev.subliminal.lm.lora.LoraConfig;
import dev.subliminal.lm.safetensors.DType;
import dev.subliminal.lm.safetensors.SafetensorsFile;
import dev.subliminal.lm.safetensors.SafetensorsWriter;
import dev.subliminal.lm.transformer.SequenceObjective;
import dev.subliminal.lm.transformer.TransformerConfig;
import dev.subliminal.simulation.optim.FloatOptimizer;
import dev.subliminal.simulation.train.BatchOrder;
import dev.subliminal.simulation.train.TrainingLoop;
import dev.subliminal.theory.param.ParameterLayout;
import dev.subliminal.theory.param.TensorSpec;
import dev.subliminal.theory.random.Seeds;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Trains a transformer in float32 on token sequences with the project's one training loop
 * ({@link TrainingLoop}) and optimizer contract ({@link FloatOptimizer}): each step draws the next
 * batch of examples (shuffled each epoch from the settings' seed), computes the objective's loss and
 * gradient in one forward and one backward pass ({@link SequenceObjective}: next-token cross-entropy
 * on hard labels, or soft cross-entropy against a teacher's next-token distributions) and takes the
 * optimizer's step (SGD, Adam or AdamW with clipping and a warm-up + cosine schedule, from
 * {@link TrainingSettings}).
 *
 * <p>A run saves and resumes: {@link #save} writes a folder {@code step-NNNNNNNN} under the given
 * folder, atomically (a hidden temporary folder renamed into place), holding {@code config.json} and
 * {@code model.safetensors} (θ in F32: the folder loads as a Hugging Face checkpoint),
 * {@code optimizer.safetensors} (the optimizer's buffers, e.g. {@code exp_avg.wte.weight}) and
 * {@code trainer.json} (step, settings, the batch order's position, and SHA-256 fingerprints of the
 * examples and the objective). {@link #resume} continues from the newest complete one; the steps
 * that follow are bit for bit those of a run that never stopped. Results do not depend on the
 * thread count. Not thread-safe.
 *
 * <p>With LoRA adapters ({@link #startLora}) the base θ0 is frozen and the optimizer moves only the
 * adapters φ; the step folder then holds θ0 as {@code model.safetensors}, φ as
 * {@code adapter_model.safetensors} (tensors {@code X.lora_A.weight}, {@code X.lora_B.weight}) with
 * {@code adapter_config.json} (PEFT's field names), and the optimizer's buffers over φ.
 */
public final class TransformerTrainer {

    /** Sees every step. */
    @FunctionalInterface
    public interface Listener {
        /** After step t (1-based, counted over the whole run), with the loss of its batch at θ_{t−1}. */
        void stepped(int step, double loss);
    }

    /** The {@code format} of {@code trainer.json}. */
    public static final String FORMAT = "subliminal-transformer-training";
    private static final String TRAINER = "trainer.json";
    private static final String OPTIMIZER = "optimizer.safetensors";
    private static final Pattern STEP = Pattern.compile("step-(\\d{8,})");

    private static final String ADAPTER = "adapter_model.safetensors";
    private static final String ADAPTER_CONFIG = "adapter_config.json";

    private final SequenceObjective objective;
    private final List<TokenExample> data;
    private final TrainingSettings settings;
    /** The trained vector: θ, or φ with LoRA adapters. */
    private final float[] theta;
    /** With adapters: the frozen base θ, the merged θ' and ∂L/∂θ' (scratch); else null. */
    private final LoraAdapters lora;
    private final float[] base;
    private final float[] merged;
    private final float[] fullGradient;
    private final FloatOptimizer optimizer;
    private final BatchOrder order;
    private final float[] gradient;
    private final String dataSha256;
    private int step;
    private double lastLoss = Double.NaN;

    private TransformerTrainer(SequenceObjective objective, float[] theta, List<TokenExample> data,
            TrainingSettings settings, LoraAdapters lora, float[] base) {
        float[] full = lora == null ? theta : base;
        if (full.length != objective.parameterCount()) {
            throw new IllegalArgumentException("θ has " + full.length + " entries, the model "
                    + objective.parameterCount());
        }
        if (lora != null && (!lora.baseLayout().equals(objective.layout()) || theta.length != lora.layout().size())) {
            throw new IllegalArgumentException("the adapters (" + theta.length + " entries) do not fit the objective's "
                    + "model");
        }
        this.lora = lora;
        this.base = base;
        this.merged = lora == null ? null : base.clone();
        this.fullGradient = lora == null ? null : new float[base.length];
        if (data.isEmpty()) {
            throw new IllegalArgumentException("training needs at least one example");
        }
        this.objective = objective;
        this.data = List.copyOf(data);
        this.settings = settings;
        this.theta = theta;
        this.optimizer = FloatOptimizer.of(settings.spec(), theta.length);
        this.order = BatchOrder.shuffled(data.size(), settings.batchSize(), Seeds.stream(settings.seed(),
                "training-batches"));
        this.gradient = new float[theta.length];
        this.dataSha256 = fingerprint(this.data);
        TransformerConfig c = objective.config();
        for (int e = 0; e < this.data.size(); e++) {
            TokenExample x = this.data.get(e);
            if (x.length() - 1 > c.contextLength()) {
                throw new IllegalArgumentException("example " + e + " has " + x.length() + " tokens; the model reads at most "
                        + c.contextLength() + " (the context length) plus the last target");
            }
            for (int t : x.ids()) {
                if (t >= c.vocabSize()) {
                    throw new IllegalArgumentException("example " + e + " holds token " + t
                            + ", out of range for a vocabulary of " + c.vocabSize());
                }
            }
        }
    }

    /**
     * A fresh run from θ0 (copied; float32, in the layout of the objective's configuration).
     *
     * @param objective what is minimized, and the model's shape and matrix context
     * @param theta0 the initial parameters
     * @param data the training examples
     * @param settings optimizer, schedule, batch size and seed
     */
    public static TransformerTrainer start(SequenceObjective objective, float[] theta0, List<TokenExample> data,
            TrainingSettings settings) {
        return new TransformerTrainer(objective, theta0.clone(), data, settings, null, null);
    }

    /**
     * {@link #start} without the copy: {@code theta0} becomes the run's θ and changes with every step,
     * so the caller must not use it afterwards. For large models, whose θ would otherwise be held twice
     * at the start (0.5 GB more for GPT-2 small in float32).
     */
    public static TransformerTrainer startOwning(SequenceObjective objective, float[] theta0, List<TokenExample> data,
            TrainingSettings settings) {
        return new TransformerTrainer(objective, theta0, data, settings, null, null);
    }

    /**
     * A fresh run that trains LoRA adapters φ (from {@link LoraAdapters#initialize}) on the frozen base
     * θ0: each step's gradient is the objective's full gradient at θ' = θ0 + s·ΔW(φ), pulled back to φ,
     * and the optimizer (weight decay included) moves φ only.
     *
     * @param objective what is minimized
     * @param base θ0, copied and never changed
     * @param adapters the targets, rank and α
     * @param phi0 the initial adapters
     * @param data the training examples
     * @param settings optimizer, schedule, batch size and seed
     */
    public static TransformerTrainer startLora(SequenceObjective objective, float[] base, LoraAdapters adapters,
            float[] phi0, List<TokenExample> data, TrainingSettings settings) {
        return new TransformerTrainer(objective, phi0.clone(), data, settings, adapters, base.clone());
    }

    /** The adapters, or null when every weight trains. */
    public LoraAdapters lora() {
        return lora;
    }

    /** φ_t, a copy (null without adapters). */
    public float[] adapters() {
        return lora == null ? null : theta.clone();
    }

    /** The weights the model runs on: θ_t, or θ0 + s·ΔW(φ_t) with adapters. */
    private float[] current() {
        if (lora == null) {
            return theta;
        }
        lora.merge(base, theta, merged);
        return merged;
    }

    /** The step count t (0 before the first step). */
    public int step() {
        return step;
    }

    /** θ_t (with adapters, the merged weights θ0 + s·ΔW(φ_t)), a copy. */
    public float[] theta() {
        return current().clone();
    }

    /** θ_t widened to double (exact), e.g. for the float64 model or {@code LanguageModel}. */
    public double[] thetaAsDouble() {
        return widen(current());
    }

    /** The settings. */
    public TrainingSettings settings() {
        return settings;
    }

    /** The loss of the last step's batch (at θ before that step); NaN before the first. */
    public double lastLoss() {
        return lastLoss;
    }

    /** Takes {@code steps} steps. */
    public void train(int steps) {
        train(steps, (t, loss) -> { });
    }

    /** Takes {@code steps} steps, telling the listener after each. */
    public void train(int steps, Listener listener) {
        List<int[]> batch = new ArrayList<>();
        TrainingLoop.Gradient<float[]> g = (th, examples, rows, grad) -> {
            batch.clear();
            int[] from = new int[rows];
            for (int i = 0; i < rows; i++) {
                TokenExample x = data.get(examples[i]);
                batch.add(x.ids());
                from[i] = x.firstTarget();
            }
            if (lora == null) {
                lastLoss = objective.valueAndGradient(th, batch, from, grad);
            } else {
                lora.merge(base, th, merged);
                lastLoss = objective.valueAndGradient(merged, batch, from, fullGradient);
                lora.pullback(fullGradient, th, grad);
            }
        };
        new TrainingLoop<>(optimizer, g, order).run(theta, steps, gradient, null, (t, th, grad, update) -> {
            step++;
            listener.stepped(step, lastLoss);
        });
    }

    /** The mean loss over all examples at θ_t (forward passes only, in batches of the batch size). */
    public double loss() {
        return loss(data);
    }

    /** The mean loss per scored position over the given examples at θ_t. */
    public double loss(List<TokenExample> examples) {
        float[] weights = current();
        double total = 0;
        long positions = 0;
        for (int e0 = 0; e0 < examples.size(); e0 += settings.batchSize()) {
            List<TokenExample> part = examples.subList(e0, Math.min(examples.size(), e0 + settings.batchSize()));
            List<int[]> ids = new ArrayList<>();
            int[] from = new int[part.size()];
            long n = 0;
            for (int i = 0; i < part.size(); i++) {
                ids.add(part.get(i).ids());
                from[i] = part.get(i).firstTarget();
                n += part.get(i).targets();
            }
            total += objective.value(weights, ids, from) * n;
            positions += n;
        }
        return total / positions;
    }

    // Checkpoints.

    /**
     * Saves the run's state as {@code folder/step-NNNNNNNN} (created atomically; the folder is created
     * if needed) and removes older step folders but the newest {@code keep} (≥ 1) of all, the new one
     * included.
     *
     * @return the new step folder
     */
    public Path save(Path folder, int keep) {
        if (keep < 1) {
            throw new IllegalArgumentException("keep at least the checkpoint just written, got keep = " + keep);
        }
        Path target = folder.resolve(String.format("step-%08d", step));
        try {
            Files.createDirectories(folder);
            if (Files.exists(target)) {
                throw new FormatException(FormatException.name(target), "already exists; refusing to replace it");
            }
            Path tmp = Files.createTempDirectory(folder, "." + target.getFileName() + "-");
            try {
                writeState(tmp);
                try {
                    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, target);
                }
            } finally {
                deleteTree(tmp);
            }
            List<Path> steps = stepFolders(folder);
            for (int i = 0; i < steps.size() - keep; i++) {
                deleteTree(steps.get(i));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save the training state to " + target + ": " + e.getMessage(), e);
        }
        return target;
    }

    /** {@link #save(Path, int)} keeping the two newest checkpoints. */
    public Path save(Path folder) {
        return save(folder, 2);
    }

    private void writeState(Path dir) {
        TransformerConfig c = objective.config();
        Checkpoint.write(dir, c, objective.layout(), widen(lora == null ? theta : base), DType.F32);
        ParameterLayout layout = layout();
        if (lora != null) {
            writeTensors(dir.resolve(ADAPTER), layout, "", theta);
            byte[] cfg = (lora.config().toJson(lora.fanInFanOut()).toPrettyString() + "\n")
                    .getBytes(StandardCharsets.UTF_8);
            AtomicOutput.write(dir.resolve(ADAPTER_CONFIG), false, f -> Files.write(f, cfg));
        }
        List<SafetensorsWriter.Entry> entries = new ArrayList<>();
        for (Map.Entry<String, float[]> b : optimizer.buffers().entrySet()) {
            double[] values = widen(b.getValue());
            for (TensorSpec t : layout.tensors()) {
                entries.add(new SafetensorsWriter.Entry(b.getKey() + "." + t.name(), DType.F32, t.shape(), values,
                        t.offset()));
            }
        }
        SafetensorsWriter.write(dir.resolve(OPTIMIZER), entries, Map.of("format", "pt"), false);
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("format", FORMAT);
        o.put("step", step);
        o.set("settings", settings.toJson());
        o.put("examples", data.size());
        o.put("examplesSha256", dataSha256);
        o.set("objective", objectiveJson());
        o.put("batchOrderStream", "training-batches");
        if (lora != null) {
            o.set("lora", lora.config().toJson(lora.fanInFanOut()));
        }
        ArrayNode buffers = o.putArray("optimizerBuffers");
        optimizer.buffers().keySet().forEach(buffers::add);
        byte[] text = (o.toPrettyString() + "\n").getBytes(StandardCharsets.UTF_8);
        AtomicOutput.write(dir.resolve(TRAINER), false, f -> Files.write(f, text));
    }

    private ObjectNode objectiveJson() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("description", objective.describe());
        o.put("sha256", objective.fingerprint());
        return o;
    }

    /**
     * Continues the run saved in the newest complete {@code step-NNNNNNNN} folder under {@code folder}
     * (hidden temporary folders of an interrupted save are ignored). The objective and the examples
     * must be those of the saved run (checked by fingerprint); the settings come from the checkpoint.
     */
    public static TransformerTrainer resume(Path folder, SequenceObjective objective, List<TokenExample> data) {
        List<Path> steps;
        try {
            steps = Files.isDirectory(folder) ? stepFolders(folder) : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + folder + ": " + e.getMessage(), e);
        }
        if (steps.isEmpty()) {
            throw new FormatException(FormatException.name(folder), "holds no training checkpoint (step-NNNNNNNN folder)");
        }
        return load(steps.get(steps.size() - 1), objective, data);
    }

    /** Continues the run saved in this step folder (see {@link #resume}). */
    public static TransformerTrainer load(Path stepFolder, SequenceObjective objective, List<TokenExample> data) {
        Path file = stepFolder.resolve(TRAINER);
        String source = FormatException.name(file);
        JsonNode o = StrictJson.object(StrictJson.read(file, 1 << 20), source, "trainer");
        if (!FORMAT.equals(StrictJson.string(o.get("format"), source, "format"))) {
            throw new FormatException(source, "format", "is not " + FORMAT);
        }
        int step = StrictJson.intValue(o.get("step"), source, "step", 0, Integer.MAX_VALUE);
        TrainingSettings settings = TrainingSettings.fromJson(o.get("settings"), source);
        int count = StrictJson.intValue(o.get("examples"), source, "examples", 1, Integer.MAX_VALUE);
        String sha = StrictJson.string(o.get("examplesSha256"), source, "examplesSha256");
        if (count != data.size() || !sha.equals(fingerprint(List.copyOf(data)))) {
            throw new FormatException(source, "examplesSha256", "the run was trained on " + count
                    + " other examples (SHA-256 " + sha + "); resume with the same examples in the same order");
        }
        JsonNode obj = StrictJson.object(o.get("objective"), source, "objective");
        String objSha = StrictJson.string(obj.get("sha256"), source, "objective.sha256");
        if (!objSha.equals(objective.fingerprint())) {
            throw new FormatException(source, "objective", "the run minimized "
                    + StrictJson.string(obj.get("description"), source, "objective.description")
                    + " (SHA-256 " + objSha + "), not " + objective.describe());
        }
        float[] theta;
        LoraAdapters lora = null;
        float[] phi = null;
        try (Checkpoint cp = Checkpoint.read(stepFolder)) {
            if (!sameShape(cp.config(), objective.config())) {
                throw new FormatException(FormatException.name(stepFolder.resolve(Checkpoint.CONFIG)), "the saved shape "
                        + cp.config() + " differs from the objective's " + objective.config());
            }
            theta = cp.loadFloats(layoutOf(objective));
        }
        if (o.has("lora")) {
            try {
                lora = new LoraAdapters(LoraConfig.fromJson(o.get("lora"), source), objective.config(),
                        objective.layout());
            } catch (IllegalArgumentException e) {
                throw new FormatException(source, "lora", e.getMessage());
            }
            phi = readTensors(stepFolder.resolve(ADAPTER), lora.layout(), "");
        }
        TransformerTrainer t = lora == null ? new TransformerTrainer(objective, theta, data, settings, null, null)
                : new TransformerTrainer(objective, phi, data, settings, lora, theta);
        Map<String, float[]> buffers = new LinkedHashMap<>();
        for (String name : t.optimizer.buffers().keySet()) {
            buffers.put(name, readTensors(stepFolder.resolve(OPTIMIZER), t.layout(), name + "."));
        }
        t.optimizer.restore(step, buffers);
        int[] skip = new int[settings.batchSize()];
        for (int i = 0; i < step; i++) {
            t.order.next(skip);
        }
        t.step = step;
        return t;
    }

    /** Equal configurations, but for the rotary base of a GPT-2 layout, which it does not use. */
    private static boolean sameShape(TransformerConfig a, TransformerConfig b) {
        return a.layout() == TransformerConfig.Layout.GPT2 ? a.equals(new TransformerConfig(b.layout(), b.vocabSize(),
                b.contextLength(), b.hiddenSize(), b.layers(), b.heads(), b.kvHeads(), b.headDim(), b.intermediateSize(),
                b.normEps(), a.ropeTheta(), b.tiedEmbeddings(), b.attentionBias())) : a.equals(b);
    }

    /** The layout of the trained vector: θ's, or φ's with adapters. */
    private ParameterLayout layout() {
        return lora == null ? layoutOf(objective) : lora.layout();
    }

    private static void writeTensors(Path file, ParameterLayout layout, String prefix, float[] values) {
        double[] wide = widen(values);
        List<SafetensorsWriter.Entry> entries = new ArrayList<>();
        for (TensorSpec t : layout.tensors()) {
            entries.add(new SafetensorsWriter.Entry(prefix + t.name(), DType.F32, t.shape(), wide, t.offset()));
        }
        SafetensorsWriter.write(file, entries, Map.of("format", "pt"), false);
    }

    /** Every tensor of the layout, named with the prefix, from the file; an error names file and tensor. */
    private static float[] readTensors(Path file, ParameterLayout layout, String prefix) {
        float[] out = new float[layout.size()];
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            for (TensorSpec s : layout.tensors()) {
                String key = prefix + s.name();
                var info = f.find(key);
                if (info == null || !info.hasShape(s.shape())) {
                    throw new FormatException(f.source(), key, info == null ? "is missing"
                            : "has shape " + java.util.Arrays.toString(info.shape()) + ", expected "
                                    + java.util.Arrays.toString(s.shape()));
                }
                f.read(key, out, s.offset());
            }
        }
        return out;
    }

    private static ParameterLayout layoutOf(SequenceObjective objective) {
        return objective.layout();
    }

    private static List<Path> stepFolders(Path folder) throws IOException {
        try (Stream<Path> s = Files.list(folder)) {
            return s.filter(p -> STEP.matcher(p.getFileName().toString()).matches() && Files.isDirectory(p))
                    .sorted(Comparator.comparingLong(TransformerTrainer::stepOf)).toList();
        }
    }

    private static long stepOf(Path p) {
        Matcher m = STEP.matcher(p.getFileName().toString());
        return m.matches() ? Long.parseLong(m.group(1)) : -1;
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            for (Path q : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(q);
            }
        }
    }

    private static double[] widen(float[] v) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i];
        }
        return out;
    }

    /** SHA-256 of the examples in order: each as its first target, its length and its ids (big-endian ints). */
    static String fingerprint(List<TokenExample> data) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (TokenExample e : data) {
                ByteBuffer b = ByteBuffer.allocate(8 + 4 * e.length()).order(ByteOrder.BIG_ENDIAN);
                b.putInt(e.firstTarget()).putInt(e.length());
                for (int t : e.ids()) {
                    b.putInt(t);
                }
                md.update(b.array());
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
