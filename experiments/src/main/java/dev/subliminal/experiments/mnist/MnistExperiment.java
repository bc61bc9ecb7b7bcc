package dev.subliminal.experiments.mnist;

import dev.subliminal.results.mnist.Arm;
import dev.subliminal.simulation.mlp.Activation;
import dev.subliminal.simulation.mlp.FloatMlpNetwork;
import dev.subliminal.simulation.mlp.Mlp;
import dev.subliminal.simulation.optim.FloatOptimizer;
import dev.subliminal.simulation.optim.OptimizerSpec;
import dev.subliminal.simulation.train.BatchOrder;
import dev.subliminal.simulation.train.TrainingLoop;
import dev.subliminal.theory.linalg.Gemm;
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
 *       ({@code teacher-batches} shuffles);</li>
 *   <li>fixed noise images ({@code noise}) and the teacher's logits on them;</li>
 *   <li>four students trained to match the teacher's softmax over the m auxiliary logits (aux) or
 *       all 10+m logits (all), from θ0 (perturbed by σ·ξ, {@code student-perturbation}, if σ &gt; 0)
 *       or from θ0′ (cross), all on the same batch order ({@code student-batches});</li>
 *   <li>test accuracy of every arm, and for each student Δ_S·Δ_T, its cosine and the cosine of the
 *       cumulative update ({@link ArmResult}).</li>
 * </ol>
 * Every phase takes {@link MnistConfig#steps()} optimizer steps over mini-batches drawn as a
 * DataLoader with shuffling does: epochs of a fresh random permutation cut into batches of
 * {@code batch} (the last one partial), repeated until the step count is reached. Results are
 * bit-identical for a seed whatever the number of threads. An instance reuses its buffers and is
 * not thread-safe.
 */
public final class MnistExperiment {

    private final MnistConfig config;
    private final MnistData data;
    private final Mlp model;
    private final FloatMlpNetwork net;
    private final FloatMlpNetwork.Workspace ws;
    private final float[] batchInputs;
    private final float[] gradient;
    private final float[] noise;

    public MnistExperiment(MnistConfig config, MnistData data) {
        this(config, data, Gemm.defaults());
    }

    /** The experiment with its matrix products on {@code gemm} (the thread count; results do not depend on it). */
    public MnistExperiment(MnistConfig config, MnistData data, Gemm gemm) {
        this.config = config;
        this.data = data;
        model = new Mlp(config.sizes(), Activation.RELU, gemm);
        net = new FloatMlpNetwork(config.sizes(), Activation.RELU, gemm);
        ws = net.workspace(config.batch());
        batchInputs = new float[Math.multiplyExact(config.batch(), Idx.PIXELS)];
        gradient = new float[net.parameterCount()];
        noise = new float[Math.multiplyExact(config.noiseImages(), Idx.PIXELS)];
    }

    /** The network trained in every arm, as a model in double precision (same layout). */
    public Mlp network() {
        return model;
    }

    /** A fresh θ: weights N(0, 1/fan_in), biases 0 ({@link Initialization#NORMAL_FAN_IN}), rounded to float. */
    private float[] initialize(UniformRandomProvider rng) {
        double[] theta = Initialization.NORMAL_FAN_IN.initialize(model.layout(), rng);
        float[] f = new float[theta.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) theta[i];
        }
        return f;
    }

    /** Runs every arm for one seed, in {@link Arm} order. */
    public List<ArmResult> run(long seed) {
        float[] theta0 = initialize(Seeds.stream(seed, "reference-init"));
        float[] cross0 = initialize(Seeds.stream(seed, "cross-init"));
        float[] teacher = theta0.clone();
        train(teacher, data.train().images(), data.train().count(),
                new Objective.Labels(data.train().labels(), Idx.CLASSES), Seeds.stream(seed, "teacher-batches"));
        double[] deltaT = difference(teacher, theta0);
        config.noise().fill(noise, Seeds.stream(seed, "noise"));
        float[] targets = logits(teacher, noise, config.noiseImages());
        float[] student0 = perturbed(theta0, seed);

        List<ArmResult> results = new ArrayList<>();
        results.add(new ArmResult(Arm.REFERENCE, accuracy(theta0), Double.NaN, Double.NaN, Double.NaN));
        results.add(new ArmResult(Arm.TEACHER, accuracy(teacher), Double.NaN, Double.NaN, Double.NaN));
        for (Arm arm : Arm.values()) {
            if (!arm.student()) {
                continue;
            }
            float[] start = arm.sameInit() ? student0 : cross0;
            float[] theta = start.clone();
            Objective imitation = new Objective.Distillation(targets, net.outputs(), arm.auxOnly() ? Idx.CLASSES : 0);
            float[] first = train(theta, noise, config.noiseImages(), imitation, Seeds.stream(seed, "student-batches"));
            double[] deltaS = new double[first.length];
            for (int i = 0; i < first.length; i++) {
                deltaS[i] = -first[i];
            }
            double dot = Vectors.dot(deltaS, deltaT);
            results.add(new ArmResult(arm, accuracy(theta), dot, Vectors.cosine(deltaS, deltaT),
                    Vectors.cosine(difference(theta, start), deltaT)));
        }
        return results;
    }

    /**
     * Trains θ in place for {@link MnistConfig#steps()} steps of the one training loop, on
     * DataLoader-style shuffled batches of the first {@code count} rows of {@code inputs}, and returns
     * the loss gradient of the first step.
     */
    float[] train(float[] theta, float[] inputs, int count, Objective objective, UniformRandomProvider order) {
        OptimizerSpec spec = OptimizerSpec.of(config.optimizer(), config.lr(), config.weightDecay());
        float[][] first = {null};
        TrainingLoop.Gradient<float[]> loss = (th, examples, rows, g) -> {
            for (int r = 0; r < rows; r++) {
                System.arraycopy(inputs, examples[r] * Idx.PIXELS, batchInputs, r * Idx.PIXELS, Idx.PIXELS);
            }
            net.forward(th, batchInputs, rows, ws, true);
            objective.gradient(ws.outputs(), net.outputs(), examples, rows, ws.outputGradient());
            net.backward(th, batchInputs, rows, ws, g);
        };
        new TrainingLoop<>(FloatOptimizer.of(spec, theta.length), loss, BatchOrder.shuffled(count, config.batch(), order))
                .run(theta, config.steps(), gradient, null, (step, th, g, u) -> {
                    if (step == 1) {
                        first[0] = g.clone();
                    }
                });
        return first[0];
    }

    /** The logits of θ on the first {@code count} rows of {@code inputs}, count × (10 + m). */
    float[] logits(float[] theta, float[] inputs, int count) {
        int n = net.outputs();
        float[] out = new float[count * n];
        for (int start = 0; start < count; start += config.batch()) {
            int rows = Math.min(config.batch(), count - start);
            System.arraycopy(inputs, start * Idx.PIXELS, batchInputs, 0, rows * Idx.PIXELS);
            net.forward(theta, batchInputs, rows, ws, false);
            System.arraycopy(ws.outputs(), 0, out, start * n, rows * n);
        }
        return out;
    }

    /** The fraction of test digits whose largest class logit (first of equals) is the label. */
    double accuracy(float[] theta) {
        MnistData.Digits test = data.test();
        float[] z = logits(theta, test.images(), test.count());
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

    private float[] perturbed(float[] theta0, long seed) {
        float[] s = theta0.clone();
        if (config.perturbation() > 0) {
            ZigguratSampler.NormalizedGaussian g = ZigguratSampler.NormalizedGaussian.of(
                    Seeds.stream(seed, "student-perturbation"));
            for (int i = 0; i < s.length; i++) {
                s[i] = (float) (s[i] + config.perturbation() * g.sample());
            }
        }
        return s;
    }

    private static double[] difference(float[] a, float[] b) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = (double) a[i] - b[i];
        }
        return d;
    }
}
