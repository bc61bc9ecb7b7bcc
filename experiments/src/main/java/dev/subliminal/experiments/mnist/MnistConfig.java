package dev.subliminal.experiments.mnist;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.subliminal.simulation.conv.ConvGeometry;
import dev.subliminal.simulation.optim.OptimizerKind;
import dev.subliminal.spec.Setting;
import dev.subliminal.spec.SettingType;
import dev.subliminal.spec.SettingType.Sizes;
import dev.subliminal.spec.Values;
import java.util.List;

/**
 * The configuration of an MNIST auxiliary-logit experiment: how many runs from which seed, where the
 * digits come from, and the values of the experiment's settings below, each declared once with its
 * default (the paper's official script, docs/reference-figures.md), range and help; the command
 * line's options are derived from them.
 *
 * @param runs independent runs; run r uses seed {@code firstSeed + r}
 * @param firstSeed the seed of run 0
 * @param values the settings' values (missing ones take their defaults)
 * @param data where the digits come from
 */
public record MnistConfig(int runs, long firstSeed, Values values, String data) {

    /** m, the number of auxiliary logits (network outputs 10 + m). */
    public static final Setting<Integer> AUX = Setting.of("aux", SettingType.integer(1, 1 << 16), 3,
            "m, the number of auxiliary logits");
    /** The width of both hidden layers. */
    public static final Setting<Integer> WIDTH = Setting.of("width", SettingType.integer(1, 1 << 16), 256,
            "Width of both hidden layers");
    /** The distribution of the students' noise images. */
    public static final Setting<NoiseKind> NOISE = Setting.of("noise", SettingType.choice(NoiseKind.class),
            NoiseKind.UNIFORM, "Noise images: uniform (on [−1, 1]) or gaussian (N(0, 1))");
    /** How many fixed noise images the students train on (as many as the full training set by default). */
    public static final Setting<Integer> NOISE_IMAGES = Setting.of("noiseImages", SettingType.integer(1, 10_000_000),
            60_000, "Fixed noise images the students train on");
    /** The optimizer of every phase. */
    public static final Setting<OptimizerKind> OPTIMIZER = Setting.of("optimizer", SettingType.choice(OptimizerKind.class),
            OptimizerKind.ADAM, "Optimizer of every phase");
    /** Its learning rate. */
    public static final Setting<Double> LR = Setting.of("lr", SettingType.real(true), 3e-4, "Learning rate");
    /** L2 weight decay λ of every phase (decoupled for AdamW). */
    public static final Setting<Double> WEIGHT_DECAY = Setting.of("weightDecay", SettingType.real(false), 0.0,
            "Weight decay λ of every phase");
    /** σ of the Gaussian perturbation θ0 + σ·ξ of the same-init students' start. */
    public static final Setting<Double> PERTURBATION = Setting.of("perturbation", SettingType.real(false), 0.0,
            "σ: the same-init students start at θ0 + σ·N(0, I)");
    /** σ_head of a Gaussian perturbation of the same-init students' last layer only. */
    public static final Setting<Double> HEAD_PERTURBATION = Setting.of("headPerturbation", SettingType.real(false), 0.0,
            "σ_head: the same-init students' last layer (the head) starts at its value + σ_head·N(0, I)");
    /** Student epochs over the noise images. */
    public static final Setting<Integer> EPOCHS = Setting.of("epochs", SettingType.integer(1, 1_000_000), 5,
            "Student epochs over the noise images; every phase takes epochs·⌈noise-images/batch⌉ steps");
    /** The mini-batch size. */
    public static final Setting<Integer> BATCH = Setting.of("batch", SettingType.integer(1, 1 << 20), 1024,
            "Mini-batch size");

    /** The teacher's optimizer steps on the digits; 0: as many as each student takes. */
    public static final Setting<Integer> TEACHER_STEPS = Setting.of("teacherSteps", SettingType.integer(0, 10_000_000),
            0, "Teacher's optimizer steps on the training digits (0: as many as each student)");
    /** The students' imitation loss. */
    public static final Setting<Imitation> LOSS = Setting.of("loss", SettingType.choice(Imitation.class), Imitation.CE,
            "Students' imitation loss: ce (soft cross-entropy at the temperature) or mse (squared error on the logits)");
    /** T of the soft cross-entropy. */
    public static final Setting<Double> TEMPERATURE = Setting.of("temperature", SettingType.real(true), 1.0,
            "T: both logit vectors are divided by T before the softmax").appliesWhen("loss is ce",
                    v -> v.get(LOSS) == Imitation.CE);
    /** Which students run. */
    public static final Setting<StudentArms> STUDENTS = Setting.of("students", SettingType.choice(StudentArms.class),
            StudentArms.ALL, "Student arms: all four, or aux (the two aux-only students)");
    /** Where each layer of the same-init students starts, and whether it trains. */
    public static final Setting<LayerInits> STUDENT_LAYERS = Setting.of("studentLayers", LayerInits.TYPE,
            LayerInits.teacher(3), "Same-init students' start per layer (input first): teacher (θ0's), other "
                    + "(the cross init's) or random, each optionally -frozen (mlp students)");
    /** Steps between trajectory records (0: none). */
    public static final Setting<Integer> RECORD_EVERY = Setting.of("recordEvery", SettingType.integer(0, 10_000_000),
            0, "Record each student's trajectory every N steps (0: no trajectory)");
    /** Held-out noise images for the eNTK cross-block predictor (0: not computed). */
    public static final Setting<Integer> NTK_INPUTS = Setting.of("ntkInputs", SettingType.integer(0, 4096), 0,
            "Held-out noise images for the eNTK cross-output block norm (0: not computed)");

    /** The students' architecture: the teacher's MLP or a CNN with a head of the teacher's shape. */
    public static final Setting<StudentArchitecture> STUDENT_ARCHITECTURE = Setting.of("studentArchitecture",
            SettingType.choice(StudentArchitecture.class), StudentArchitecture.MLP,
            "Students' architecture: mlp (the teacher's) or cnn (convolutions, a hidden layer of the width, the "
                    + "teacher's head shape; same init = θ0's head on fresh hidden layers)");
    /** The CNN student's convolution channels. */
    public static final Setting<Sizes> CNN_CHANNELS = Setting.of("cnnChannels", SettingType.sizes(1, 1 << 12),
            new Sizes(new int[] {8, 16}), "Output channels of the CNN student's convolutions, first first")
            .appliesWhen("studentArchitecture is cnn", v -> v.get(STUDENT_ARCHITECTURE) == StudentArchitecture.CNN);
    /** The CNN student's kernel size. */
    public static final Setting<Integer> CNN_KERNEL = Setting.of("cnnKernel", SettingType.integer(1, 27), 3,
            "Kernel size k of the CNN student's convolutions (odd; zero padding (k − 1)/2)")
            .appliesWhen("studentArchitecture is cnn", v -> v.get(STUDENT_ARCHITECTURE) == StudentArchitecture.CNN);
    /** The CNN student's stride. */
    public static final Setting<Integer> CNN_STRIDE = Setting.of("cnnStride", SettingType.integer(1, 28), 2,
            "Stride s of the CNN student's convolutions (28 × 28 → 14 × 14 → 7 × 7 at s = 2)")
            .appliesWhen("studentArchitecture is cnn", v -> v.get(STUDENT_ARCHITECTURE) == StudentArchitecture.CNN);
    /** The largest student for which the spectra of G and of the eNTK cross block are computed. */
    public static final Setting<Integer> SPECTRUM_PARAMETERS = Setting.of("spectrumParameters",
            SettingType.integer(0, Integer.MAX_VALUE), 30_000,
            "Spectra of G and of the eNTK cross block on the ntkInputs held-out images for students of at most this "
                    + "many parameters (0: never)");

    /** The experiment's settings, in the order of the results header. */
    public static final List<Setting<?>> SETTINGS = List.of(AUX, WIDTH, NOISE, NOISE_IMAGES, OPTIMIZER, LR,
            WEIGHT_DECAY, PERTURBATION, EPOCHS, BATCH, TEACHER_STEPS, LOSS, TEMPERATURE, STUDENTS, STUDENT_LAYERS,
            HEAD_PERTURBATION, RECORD_EVERY, NTK_INPUTS, STUDENT_ARCHITECTURE, CNN_CHANNELS, CNN_KERNEL, CNN_STRIDE,
            SPECTRUM_PARAMETERS);

    /** The settings a teacher depends on (with the seed and the digits): runs that agree on them share it. */
    public static final List<Setting<?>> TEACHER_SETTINGS = List.of(AUX, WIDTH, OPTIMIZER, LR, WEIGHT_DECAY, BATCH);

    /** The most optimizer steps of one phase. */
    public static final int MAX_STEPS = 10_000_000;

    public MnistConfig {
        if (runs < 1) {
            throw new IllegalArgumentException("--runs " + runs + ": need at least 1 run");
        }
        if (firstSeed > Long.MAX_VALUE - (runs - 1)) {
            throw new IllegalArgumentException("--first-seed " + firstSeed + " with --runs " + runs
                    + " runs past the largest seed " + Long.MAX_VALUE);
        }
        if (data == null) {
            throw new IllegalArgumentException("the digits' source must be given");
        }
        values = values.select(SETTINGS);
        long steps = (long) values.get(EPOCHS) * ((values.get(NOISE_IMAGES) + (long) values.get(BATCH) - 1)
                / values.get(BATCH));
        if (steps > MAX_STEPS) {
            throw new IllegalArgumentException(EPOCHS.flag() + " " + values.get(EPOCHS) + " over "
                    + values.get(NOISE_IMAGES) + " noise images in batches of " + values.get(BATCH) + " makes " + steps
                    + " optimizer steps per phase; at most " + MAX_STEPS);
        }
        if (values.get(STUDENT_ARCHITECTURE) == StudentArchitecture.CNN) {
            if (values.get(CNN_KERNEL) % 2 == 0) {
                throw new IllegalArgumentException(CNN_KERNEL.flag() + " " + values.get(CNN_KERNEL)
                        + ": the kernel size must be odd");
            }
            if (studentGeometry(values).parameters() > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("the CNN student " + studentGeometry(values) + " has too many parameters");
            }
        } else if (values.get(STUDENT_LAYERS).layers().size() != 3) {
            throw new IllegalArgumentException(STUDENT_LAYERS.flag() + " " + values.get(STUDENT_LAYERS) + " names "
                    + values.get(STUDENT_LAYERS).layers().size() + " layers; the network 784-w-w-(10+m) has 3");
        }
    }

    /** The paper's configuration for these runs and digits. */
    public static MnistConfig defaults(int runs, long firstSeed, String data) {
        return new MnistConfig(runs, firstSeed, Values.empty(), data);
    }

    /** This configuration with one setting changed. */
    public <T> MnistConfig with(Setting<T> s, T value) {
        return new MnistConfig(runs, firstSeed, values.with(s, value), data);
    }

    public int aux() {
        return values.get(AUX);
    }

    public int width() {
        return values.get(WIDTH);
    }

    public NoiseKind noise() {
        return values.get(NOISE);
    }

    public int noiseImages() {
        return values.get(NOISE_IMAGES);
    }

    public OptimizerKind optimizer() {
        return values.get(OPTIMIZER);
    }

    public double lr() {
        return values.get(LR);
    }

    public double weightDecay() {
        return values.get(WEIGHT_DECAY);
    }

    public double perturbation() {
        return values.get(PERTURBATION);
    }

    public int epochs() {
        return values.get(EPOCHS);
    }

    public int batch() {
        return values.get(BATCH);
    }

    /**
     * The optimizer steps of every training phase: epochs·⌈noiseImages / batch⌉, 5·⌈60000/1024⌉ = 295
     * by default (the official script's DataLoader keeps the last, partial batch). The teacher takes
     * the same number of steps on the training digits, in epochs of ⌈N/batch⌉ batches.
     */
    public int steps() {
        return epochs() * ((noiseImages() + batch() - 1) / batch());
    }

    /** The teacher's optimizer steps: {@link #TEACHER_STEPS}, or {@link #steps()} when that is 0. */
    public int teacherSteps() {
        int t = values.get(TEACHER_STEPS);
        return t == 0 ? steps() : t;
    }

    /** The setting's value. */
    public <T> T get(Setting<T> s) {
        return values.get(s);
    }

    /**
     * What a teacher depends on besides the seed: {@link #TEACHER_SETTINGS}, its step count and the
     * digits. Runs with equal keys and seeds train the same teacher.
     */
    public String teacherKey() {
        return values.select(TEACHER_SETTINGS).toJson().toString() + "|" + teacherSteps() + "|" + data;
    }

    /** The students' architecture. */
    public StudentArchitecture studentArchitecture() {
        return values.get(STUDENT_ARCHITECTURE);
    }

    /**
     * The CNN student's shapes: the 1 × 28 × 28 image, {@link #CNN_CHANNELS} convolutions of
     * {@link #CNN_KERNEL} × {@link #CNN_KERNEL} at stride {@link #CNN_STRIDE}, a dense hidden layer of
     * {@link #WIDTH} and the head of 10 + m: the teacher's head shape.
     */
    public ConvGeometry studentGeometry() {
        return studentGeometry(values);
    }

    private static ConvGeometry studentGeometry(Values v) {
        return new ConvGeometry(1, Idx.SIDE, Idx.SIDE, v.get(CNN_CHANNELS).values(), v.get(CNN_KERNEL),
                v.get(CNN_STRIDE), new int[] {v.get(WIDTH), Idx.CLASSES + v.get(AUX)});
    }

    /** The network sizes 784-width-width-(10 + m). */
    public int[] sizes() {
        return new int[] {Idx.PIXELS, width(), width(), Idx.CLASSES + aux()};
    }

    /**
     * Bytes a run needs, roughly: θ-sized float arrays (every arm's parameters, gradient, Adam's two
     * moments and copies: about 16), one batch's activations, and the noise images with the teacher's
     * logits on them.
     */
    public long memoryBytes(int trainingDigits) {
        int[] s = sizes();
        long batchValues = (long) batch() * (s[0] + 6L * (s[1] + s[2] + s[3]));
        long p = 0;
        for (int l = 1; l < s.length; l++) {
            p += (long) s[l] * (s[l - 1] + 1);
        }
        if (studentArchitecture() == StudentArchitecture.CNN) {
            p = Math.max(p, studentGeometry().parameters());
            batchValues += (long) batch() * studentGeometry().unitsPerRow();
        }
        long images = (long) noiseImages() * (s[0] + s[3]) + (long) trainingDigits * s[0];
        return 4L * (16 * p + batchValues + images);
    }

    /** The header {@code config} of the results file. */
    public JsonNode json(ObjectMapper mapper) {
        ObjectNode o = mapper.createObjectNode();
        o.put("runs", runs);
        o.put("firstSeed", firstSeed);
        o.setAll(values.toJson());
        o.put("steps", steps());
        o.put("data", data);
        return o;
    }
}
