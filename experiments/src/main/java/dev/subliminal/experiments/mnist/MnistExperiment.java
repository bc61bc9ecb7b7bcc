package dev.subliminal.experiments.mnist;

import dev.subliminal.results.mnist.Arm;
import dev.subliminal.simulation.mlp.Activation;
import dev.subliminal.simulation.mlp.Mlp;
import dev.subliminal.simulation.optim.FloatOptimizer;
import dev.subliminal.simulation.optim.OptimizerSpec;
import dev.subliminal.simulation.train.BatchOrder;
import dev.subliminal.simulation.train.TrainingLoop;
import dev.subliminal.theory.linalg.Gemm;
import dev.subliminal.theory.model.Batch;
import dev.subliminal.theory.param.Initialization;
import dev.subliminal.theory.param.Vectors;
import dev.subliminal.theory.random.Seeds;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.distribution.ZigguratSampler;

/**
 * The paper's MNIST auxiliary-logit experiment (Fig. 10), one run per seed. Run with seed s:
 * <ol>
 *   <li>θ0 (stream {@code reference-init}) and another init θ0′ ({@code cross-init}) of the
 *       784-w-w-(10+m) ReLU network, weights N(0, 1/fan_in), biases 0;</li>
 *   <li>teacher θ_T: θ0 trained with cross-entropy on the 10 class logits of the training digits
 *       ({@code teacher-batches} shuffles) for {@link MnistConfig#teacherSteps()} steps
 *       ({@link #teacher}: shared by every cell of a sweep with the same teacher settings);</li>
 *   <li>fixed noise images ({@code noise}) and the teacher's logits on them;</li>
 *   <li>the students ({@link MnistConfig#STUDENTS}) trained to match the teacher's m auxiliary logits
 *       (aux) or all 10+m logits (all) under the imitation loss ({@link MnistConfig#LOSS}), from θ0
 *       layer by layer as {@link MnistConfig#STUDENT_LAYERS} says (perturbed by σ·ξ,
 *       {@code student-perturbation}, if σ &gt; 0, and their head by σ_head·ξ′, {@code head-perturbation})
 *       or from θ0′ (cross), all on the same batch order
 *       ({@code student-batches});</li>
 *   <li>test accuracy of every arm; for each student Δ_S·Δ_T, its cosine, the cosine of the
 *       cumulative update, the predictors ({@link Predictors}), its representation read through the
 *       teacher's head and a fresh one ({@code fresh-head}), if asked its {@link Trajectory}, and for
 *       a small student the {@link Spectra} of G and of the eNTK cross block ({@link ArmResult}).</li>
 * </ol>
 * With {@link MnistConfig#STUDENT_ARCHITECTURE} {@code cnn} the students are CNNs
 * ({@link MnistConfig#studentGeometry()}) whose head has the teacher's shape: "same init" is θ0's
 * head (perturbed as above) on fresh convolutions and hidden layer ({@code cnn-init}), the cross arms
 * take θ0′'s head on the same fresh layers; the numbers that need Δ_T in the student's parameter
 * space are NaN for them and no trajectory is recorded.
 * Every student takes {@link MnistConfig#steps()} optimizer steps over mini-batches drawn as a
 * DataLoader with shuffling does: epochs of a fresh random permutation cut into batches of
 * {@code batch} (the last one partial), repeated until the step count is reached. Results are
 * bit-identical for a seed whatever the number of threads. An instance reuses its buffers and is
 * not thread-safe.
 */
public final class MnistExperiment {

    private final MnistConfig config;
    private final MnistData data;
    private final Mlp model;
    private final Network teacherNet;
    private final Network studentNet;
    private final float[] batchInputs;
    private final float[] noise;

    public MnistExperiment(MnistConfig config, MnistData data) {
        this(config, data, Gemm.defaults());
    }

    /** The experiment with its matrix products on {@code gemm} (the thread count; results do not depend on it). */
    public MnistExperiment(MnistConfig config, MnistData data, Gemm gemm) {
        this.config = config;
        this.data = data;
        model = new Mlp(config.sizes(), Activation.RELU, gemm);
        teacherNet = Network.mlp(config.sizes(), gemm, config.batch());
        studentNet = config.studentArchitecture() == StudentArchitecture.CNN
                ? Network.cnn(config.studentGeometry(), gemm, config.batch()) : teacherNet;
        batchInputs = new float[Math.multiplyExact(config.batch(), Idx.PIXELS)];
        noise = new float[Math.multiplyExact(config.noiseImages(), Idx.PIXELS)];
    }

    /** The network trained in every arm, as a model in double precision (same layout). */
    public Mlp network() {
        return model;
    }

    /** A fresh θ of the MLP: weights N(0, 1/fan_in), biases 0 ({@link Initialization#NORMAL_FAN_IN}), rounded to float. */
    private float[] initialize(UniformRandomProvider rng) {
        return initialize(teacherNet, rng);
    }

    /** A fresh θ of a network: weights N(0, 1/fan_in), biases 0, rounded to float. */
    private static float[] initialize(Network network, UniformRandomProvider rng) {
        double[] theta = Initialization.NORMAL_FAN_IN.initialize(network.model().layout(), rng);
        float[] f = new float[theta.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) theta[i];
        }
        return f;
    }

    /** Runs every arm for one seed, in {@link Arm} order (the students {@link MnistConfig#STUDENTS} selects). */
    public List<ArmResult> run(long seed) {
        Teacher t = teacher(seed);
        List<ArmResult> results = new ArrayList<>();
        results.add(ArmResult.of(Arm.REFERENCE, t.referenceAccuracy()));
        results.add(ArmResult.of(Arm.TEACHER, t.teacherAccuracy()));
        results.addAll(students(t));
        return results;
    }

    /**
     * θ0 (stream {@code reference-init}), θ0′ ({@code cross-init}) and the teacher trained from θ0 for
     * {@link MnistConfig#teacherSteps()} steps on the digits ({@code teacher-batches}).
     */
    public Teacher teacher(long seed) {
        float[] theta0 = initialize(Seeds.stream(seed, "reference-init"));
        float[] cross0 = initialize(Seeds.stream(seed, "cross-init"));
        float[] teacher = theta0.clone();
        train(teacherNet, teacher, data.train().images(), data.train().count(),
                new Objective.Labels(data.train().labels(), Idx.CLASSES), Seeds.stream(seed, "teacher-batches"),
                config.teacherSteps(), null, null);
        return new Teacher(seed, theta0, cross0, teacher, difference(teacher, theta0), accuracy(teacherNet, theta0),
                accuracy(teacherNet, teacher));
    }

    /** The students of the teacher's run, in {@link Arm} order, all on the same noise and batch order. */
    public List<ArmResult> students(Teacher t) {
        long seed = t.seed();
        float[] targets = prepare(t);
        float[] student0 = studentStart(t);
        int[] teacherAux = auxArgmax(teacherNet, t.theta());
        Batch ntk = config.get(MnistConfig.NTK_INPUTS) == 0 ? null : ntkInputs(seed);
        double[] theta0 = toDouble(t.theta0());
        boolean sameArchitecture = studentNet == teacherNet;
        boolean spectra = ntk != null && studentNet.parameterCount() <= config.get(MnistConfig.SPECTRUM_PARAMETERS);
        List<ArmResult> results = new ArrayList<>();
        double[] crossSame = {Double.NaN};
        for (Arm arm : Arm.values()) {
            if (!config.get(MnistConfig.STUDENTS).includes(arm)) {
                continue;
            }
            float[] start = studentInit(t, arm, student0);
            float[] theta = start.clone();
            Objective imitation = imitation(arm, targets);
            Recorder recorder = config.get(MnistConfig.RECORD_EVERY) == 0 || !sameArchitecture ? null
                    : new Recorder(t.delta(), start, imitation, teacherAux);
            float[] first = trainStudent(theta, arm, imitation, seed, recorder);
            Spectra.Spectrum spectrum = spectra ? Spectra.of(studentNet.model(), toDouble(start), imitation,
                    sameArchitecture ? model : null, theta0, ntk) : null;
            if (!sameArchitecture) {
                // Δ_S and Δ_T live in different parameter spaces: only the head-swap and head numbers exist
                results.add(new ArmResult(arm, accuracy(studentNet, theta), Double.NaN, Double.NaN, Double.NaN,
                        Double.NaN, headAlignment(start, t.theta()), accuracy(studentNet, withHead(theta, t.theta())),
                        accuracy(studentNet, withHead(theta, freshHead(seed))), null, spectrum));
                continue;
            }
            double[] deltaS = new double[first.length];
            for (int i = 0; i < first.length; i++) {
                deltaS[i] = -first[i];
            }
            double cross = Double.NaN;
            if (ntk != null) {
                if (arm.sameInit() && !Double.isNaN(crossSame[0])) {
                    cross = crossSame[0];
                } else {
                    cross = Predictors.crossBlock(model, toDouble(start), theta0, ntk);
                    if (arm.sameInit()) {
                        crossSame[0] = cross;
                    }
                }
            }
            results.add(new ArmResult(arm, accuracy(studentNet, theta), Vectors.dot(deltaS, t.delta()),
                    Vectors.cosine(deltaS, t.delta()), Vectors.cosine(difference(theta, start), t.delta()), cross,
                    headAlignment(start, t.theta()), accuracy(studentNet, withHead(theta, t.theta())),
                    accuracy(studentNet, withHead(theta, freshHead(seed))),
                    recorder == null ? null : recorder.trajectory(), spectrum));
        }
        return results;
    }

    /** Fills the noise images of the teacher's seed ({@code noise}) and returns the teacher's logits on them. */
    private float[] prepare(Teacher t) {
        config.noise().fill(noise, Seeds.stream(t.seed(), "noise"));
        return logits(teacherNet, t.theta(), noise, config.noiseImages());
    }

    /**
     * An arm's start: for an MLP student θ_S0 (same init) or θ0′ (cross); for a CNN student fresh
     * convolutions and hidden layer (stream {@code cnn-init}, the same for every arm) under θ_S0's head
     * (θ0's, perturbed as the same-init students are) or θ0′'s head (cross).
     */
    float[] studentInit(Teacher t, Arm arm, float[] student0) {
        if (studentNet == teacherNet) {
            return arm.sameInit() ? student0 : t.cross0();
        }
        return arm.sameInit() ? student0 : withHead(initialize(studentNet, Seeds.stream(t.seed(), "cnn-init")), t.cross0());
    }

    /** The cosine of a student's initial class head with the teacher's trained one ({@link Predictors#headAlignment}). */
    private double headAlignment(float[] student, float[] teacher) {
        return Predictors.headAlignment(student, studentNet.headOffset(), teacher, teacherNet.headOffset(),
                studentNet.headIn(), studentNet.outputs());
    }

    /** The arm's imitation loss on the teacher's logits over the noise images. */
    private Objective imitation(Arm arm, float[] targets) {
        int from = arm.auxOnly() ? Idx.CLASSES : 0;
        return config.get(MnistConfig.LOSS) == Imitation.MSE
                ? new Objective.SquaredError(targets, teacherNet.outputs(), from)
                : new Objective.Distillation(targets, teacherNet.outputs(), from, config.get(MnistConfig.TEMPERATURE));
    }

    /** Trains a student arm from θ in place (the same-init arms with their frozen layers); returns its first gradient. */
    private float[] trainStudent(float[] theta, Arm arm, Objective imitation, long seed, Recorder recorder) {
        return train(studentNet, theta, noise, config.noiseImages(), imitation, Seeds.stream(seed, "student-batches"),
                config.steps(), arm.sameInit() ? frozenLayers() : null, recorder);
    }

    /**
     * The same-init students' start θ_S0: for an MLP layer by layer ({@link MnistConfig#STUDENT_LAYERS});
     * for a CNN fresh layers (stream {@code cnn-init}) under θ0's head; then perturbed.
     */
    float[] studentStart(Teacher t) {
        float[] s = studentNet == teacherNet ? layered(t, t.seed())
                : withHead(initialize(studentNet, Seeds.stream(t.seed(), "cnn-init")), t.theta0());
        return perturbed(s, t.seed());
    }

    /** One student arm of the teacher's run, trained: its end θ_S. */
    float[] trainedStudent(Teacher t, Arm arm) {
        float[] targets = prepare(t);
        float[] theta = studentInit(t, arm, studentStart(t)).clone();
        trainStudent(theta, arm, imitation(arm, targets), t.seed(), null);
        return theta;
    }

    /**
     * The same-init students' start before any perturbation: layer l from θ0, θ0′ or a fresh draw
     * (stream {@code random-layers}) as {@link MnistConfig#STUDENT_LAYERS} says.
     */
    private float[] layered(Teacher t, long seed) {
        LayerInits inits = config.get(MnistConfig.STUDENT_LAYERS);
        if (inits.layers().stream().allMatch(l -> l.source() == LayerInits.Source.TEACHER)) {
            return t.theta0();
        }
        float[] fresh = inits.layers().stream().anyMatch(l -> l.source() == LayerInits.Source.RANDOM)
                ? initialize(Seeds.stream(seed, "random-layers")) : null;
        float[] s = t.theta0().clone();
        int[] sizes = config.sizes();
        for (int l = 0; l < inits.layers().size(); l++) {
            float[] source = switch (inits.layers().get(l).source()) {
                case TEACHER -> t.theta0();
                case OTHER -> t.cross0();
                case RANDOM -> fresh;
            };
            int off = Predictors.layerOffset(sizes, l);
            System.arraycopy(source, off, s, off, Predictors.layerSize(sizes, l));
        }
        return s;
    }

    /** Which layers of the same-init (MLP) students are frozen; null when none is. */
    private boolean[] frozenLayers() {
        LayerInits inits = config.get(MnistConfig.STUDENT_LAYERS);
        if (studentNet != teacherNet || !inits.anyFrozen()) {
            return null;
        }
        boolean[] f = new boolean[inits.layers().size()];
        for (int l = 0; l < f.length; l++) {
            f[l] = !inits.layers().get(l).trainable();
        }
        return f;
    }

    /** A student's θ with its head (last layer) replaced by the head of {@code head}, an MLP θ (the teacher's shape). */
    float[] withHead(float[] theta, float[] head) {
        float[] s = theta.clone();
        System.arraycopy(head, teacherNet.headOffset(), s, studentNet.headOffset(), studentNet.headSize());
        return s;
    }

    /** A fresh head: the last layer of a new N(0, 1/fan_in) draw (stream {@code fresh-head}). */
    float[] freshHead(long seed) {
        return initialize(Seeds.stream(seed, "fresh-head"));
    }

    /** Held-out noise images for the eNTK predictor (stream {@code ntk-inputs}), in double. */
    private Batch ntkInputs(long seed) {
        int n = config.get(MnistConfig.NTK_INPUTS);
        float[] x = new float[n * Idx.PIXELS];
        config.noise().fill(x, Seeds.stream(seed, "ntk-inputs"));
        return new Batch(n, Idx.PIXELS, toDouble(x));
    }

    /**
     * Trains θ in place for {@code steps} steps of the one training loop, on DataLoader-style shuffled
     * batches of the first {@code count} rows of {@code inputs}, keeping the layers {@code frozen} (may
     * be null) at their start, and returns the loss gradient of the first step.
     */
    float[] train(Network net, float[] theta, float[] inputs, int count, Objective objective,
            UniformRandomProvider order, int steps, boolean[] frozen, Recorder recorder) {
        OptimizerSpec spec = OptimizerSpec.of(config.optimizer(), config.lr(), config.weightDecay());
        float[] gradient = new float[net.parameterCount()];
        float[][] first = {null};
        float[] start = frozen == null ? null : theta.clone();
        int[] sizes = config.sizes();
        TrainingLoop.Gradient<float[]> loss = (th, examples, rows, g) -> {
            for (int r = 0; r < rows; r++) {
                System.arraycopy(inputs, examples[r] * Idx.PIXELS, batchInputs, r * Idx.PIXELS, Idx.PIXELS);
            }
            net.forward(th, batchInputs, rows, true);
            objective.gradient(net.output(), net.outputs(), examples, rows, net.outputGradient());
            net.backward(th, batchInputs, rows, g);
            for (int l = 0; frozen != null && l < frozen.length; l++) {
                if (frozen[l]) {
                    int off = Predictors.layerOffset(sizes, l);
                    java.util.Arrays.fill(g, off, off + Predictors.layerSize(sizes, l), 0f);
                }
            }
            if (recorder != null) {
                recorder.measure(th, rows);
            }
        };
        if (recorder != null) {
            recorder.begin(steps);
        }
        new TrainingLoop<>(FloatOptimizer.of(spec, theta.length), loss, BatchOrder.shuffled(count, config.batch(), order))
                .run(theta, steps, gradient, null, (step, th, g, u) -> {
                    if (step == 1) {
                        first[0] = g.clone();
                    }
                    for (int l = 0; frozen != null && l < frozen.length; l++) {
                        if (frozen[l]) {
                            int off = Predictors.layerOffset(sizes, l);
                            System.arraycopy(start, off, th, off, Predictors.layerSize(sizes, l));
                        }
                    }
                    if (recorder != null) {
                        recorder.stepped(step, th);
                    }
                });
        return first[0];
    }

    /**
     * Records a student's {@link Trajectory}: per step, γ_t and the curvature term from one
     * Jacobian-vector product J_t d on the step's batch (after its backward pass, at θ_{t−1}), and the
     * step's contribution (θ_t − θ_{t−1})·d; every {@code recordEvery} steps and at the last, the
     * cumulative numbers and the accuracies.
     */
    final class Recorder {
        private final double[] d;
        private final float[] dFloat;
        private final double dNorm2;
        private final float[] start;
        private final float[] previous;
        private final Objective objective;
        private final int[] teacherAux;
        private final float[] jd;
        private final List<Trajectory.Point> points = new ArrayList<>();
        private int steps;
        private double gamma;
        private double curvature;
        private double signal;
        private double contributions;

        Recorder(double[] d, float[] start, Objective objective, int[] teacherAux) {
            this.d = d;
            this.dFloat = new float[d.length];
            for (int i = 0; i < d.length; i++) {
                dFloat[i] = (float) d[i];
            }
            this.dNorm2 = Vectors.dot(d, d);
            this.start = start.clone();
            this.previous = start.clone();
            this.objective = objective;
            this.teacherAux = teacherAux;
            this.jd = new float[Math.multiplyExact(config.batch(), studentNet.outputs())];
        }

        void begin(int totalSteps) {
            steps = totalSteps;
            points.add(point(0, start, Double.NaN));
        }

        /** At θ_{t−1} on step t's batch, after the forward pass with slopes: J_t d and its two quadratic forms. */
        void measure(float[] theta, int rows) {
            studentNet.tangent(theta, dFloat, batchInputs, rows, jd);
            int n = studentNet.outputs();
            double squares = 0;
            for (int r = 0; r < rows; r++) {
                for (int i = objective.from(); i < objective.to(); i++) {
                    double v = jd[r * n + i];
                    squares += v * v;
                }
            }
            gamma = dNorm2 == 0 ? Double.NaN : squares / rows / dNorm2;
            curvature = objective.curvature(studentNet.output(), n, rows, jd);
        }

        /** After step t: θ_t. */
        void stepped(int step, float[] theta) {
            contributions += contribution(theta, previous);
            signal += config.lr() * curvature;
            System.arraycopy(theta, 0, previous, 0, theta.length);
            if (step % config.get(MnistConfig.RECORD_EVERY) == 0 || step == steps) {
                points.add(point(step, theta, gamma));
            }
        }

        private double contribution(float[] now, float[] before) {
            double sum = 0;
            for (int i = 0; i < d.length; i++) {
                sum += ((double) now[i] - before[i]) * d[i];
            }
            return sum;
        }

        private Trajectory.Point point(int step, float[] theta, double g) {
            double[] u = difference(theta, start);
            return new Trajectory.Point(step, Vectors.dot(u, d), step == 0 ? Double.NaN : Vectors.cosine(u, d), g,
                    signal, contributions - signal, accuracy(studentNet, theta), agreement(studentNet, theta, teacherAux));
        }

        Trajectory trajectory() {
            return new Trajectory(points);
        }
    }

    /** The logits of θ on the first {@code count} rows of {@code inputs}, count × (10 + m). */
    float[] logits(Network net, float[] theta, float[] inputs, int count) {
        int n = net.outputs();
        float[] out = new float[count * n];
        for (int start = 0; start < count; start += config.batch()) {
            int rows = Math.min(config.batch(), count - start);
            System.arraycopy(inputs, start * Idx.PIXELS, batchInputs, 0, rows * Idx.PIXELS);
            net.forward(theta, batchInputs, rows, false);
            System.arraycopy(net.output(), 0, out, start * n, rows * n);
        }
        return out;
    }

    /** Per test digit, the index of θ's largest auxiliary logit (first of equals); empty for m = 0. */
    int[] auxArgmax(Network net, float[] theta) {
        MnistData.Digits test = data.test();
        float[] z = logits(net, theta, test.images(), test.count());
        int n = net.outputs();
        int[] best = new int[test.count()];
        for (int i = 0; i < test.count(); i++) {
            int b = Idx.CLASSES;
            for (int c = Idx.CLASSES + 1; c < n; c++) {
                if (z[i * n + c] > z[i * n + b]) {
                    b = c;
                }
            }
            best[i] = b;
        }
        return best;
    }

    /** The fraction of test digits on which θ's largest auxiliary logit is the one given. */
    double agreement(Network net, float[] theta, int[] aux) {
        int[] mine = auxArgmax(net, theta);
        int same = 0;
        for (int i = 0; i < mine.length; i++) {
            if (mine[i] == aux[i]) {
                same++;
            }
        }
        return (double) same / mine.length;
    }

    /** The fraction of test digits whose largest class logit (first of equals) is the label. */
    double accuracy(Network net, float[] theta) {
        MnistData.Digits test = data.test();
        float[] z = logits(net, theta, test.images(), test.count());
        int n = net.outputs();
        int correct = 0;
        for (int i = 0; i < test.count(); i++) {
            int best = 0;
            for (int c = 1; c < Idx.CLASSES; c++) {
                if (z[i * n + c] > z[i * n + best]) {
                    best = c;
                }
            }
            if (best == test.labels()[i]) {
                correct++;
            }
        }
        return (double) correct / test.count();
    }

    /**
     * θ + σ·ξ over every parameter ({@code student-perturbation}), then + σ_head·ξ′ over the last
     * layer only ({@code head-perturbation}), each when its σ is positive.
     */
    private float[] perturbed(float[] theta0, long seed) {
        float[] s = theta0.clone();
        if (config.perturbation() > 0) {
            addNoise(s, 0, s.length, config.perturbation(), Seeds.stream(seed, "student-perturbation"));
        }
        double head = config.get(MnistConfig.HEAD_PERTURBATION);
        if (head > 0) {
            int off = studentNet.headOffset();
            addNoise(s, off, off + studentNet.headSize(), head, Seeds.stream(seed, "head-perturbation"));
        }
        return s;
    }

    private static void addNoise(float[] s, int from, int to, double sigma, UniformRandomProvider rng) {
        ZigguratSampler.NormalizedGaussian g = ZigguratSampler.NormalizedGaussian.of(rng);
        for (int i = from; i < to; i++) {
            s[i] = (float) (s[i] + sigma * g.sample());
        }
    }

    private static double[] toDouble(float[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = a[i];
        }
        return d;
    }

    private static double[] difference(float[] a, float[] b) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = (double) a[i] - b[i];
        }
        return d;
    }
}
