package dev.subliminal.experiments.mnist;

import dev.subliminal.results.mnist.Arm;
import dev.subliminal.theory.linalg.Gemm;
import dev.subliminal.theory.param.Vectors;
import dev.subliminal.theory.random.Seeds;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.PermutationSampler;
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
    private final FloatMlp net;
    private final FloatMlp.Workspace ws;
    private final float[] batchInputs;
    private final int[] batchExamples;
    private final float[] gradient;
    private final float[] noise;

    public MnistExperiment(MnistConfig config, MnistData data) {
        this(config, data, Gemm.defaults());
    }

    /** The experiment with its matrix products on {@code gemm} (the thread count; results do not depend on it). */
    public MnistExperiment(MnistConfig config, MnistData data, Gemm gemm) {
        this.config = config;
        this.data = data;
        net = new FloatMlp(gemm, config.sizes());
        ws = net.workspace(config.batch());
        batchInputs = new float[config.batch() * Idx.PIXELS];
        batchExamples = new int[config.batch()];
        gradient = new float[net.parameterCount()];
        noise = new float[Math.multiplyExact(config.noiseImages(), Idx.PIXELS)];
    }

    /** The network trained in every arm. */
    public FloatMlp network() {
        return net;
    }

    /** Runs every arm for one seed, in {@link Arm} order. */
    public List<ArmResult> run(long seed) {
        float[] theta0 = net.initialize(Seeds.stream(seed, "reference-init"));
        float[] cross0 = net.initialize(Seeds.stream(seed, "cross-init"));
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
     * Trains θ in place for {@link MnistConfig#steps()} steps on the first {@code count} rows of
     * {@code inputs} and returns the loss gradient of the first step.
     */
    float[] train(float[] theta, float[] inputs, int count, Objective objective, UniformRandomProvider order) {
        FloatOptimizer optimizer = FloatOptimizer.of(config.optimizer(), theta.length, config.lr(), config.weightDecay());
        float[] first = null;
        int steps = config.steps();
        int batch = config.batch();
        int done = 0;
        while (done < steps) {
            int[] perm = PermutationSampler.natural(count);
            PermutationSampler.shuffle(order, perm);
            for (int start = 0; start < count && done < steps; start += batch, done++) {
                int rows = Math.min(batch, count - start);
                for (int r = 0; r < rows; r++) {
                    batchExamples[r] = perm[start + r];
                    System.arraycopy(inputs, perm[start + r] * Idx.PIXELS, batchInputs, r * Idx.PIXELS, Idx.PIXELS);
                }
                net.forward(theta, batchInputs, rows, ws);
                objective.gradient(ws.logits(), net.outputs(), batchExamples, rows, ws.logitGradient());
                net.backward(theta, batchInputs, rows, ws, gradient);
                if (first == null) {
                    first = gradient.clone();
                }
                optimizer.step(theta, gradient);
            }
        }
        return first;
    }

    /** The logits of θ on the first {@code count} rows of {@code inputs}, count × (10 + m). */
    float[] logits(float[] theta, float[] inputs, int count) {
        int n = net.outputs();
        float[] out = new float[count * n];
        for (int start = 0; start < count; start += config.batch()) {
            int rows = Math.min(config.batch(), count - start);
            System.arraycopy(inputs, start * Idx.PIXELS, batchInputs, 0, rows * Idx.PIXELS);
            net.forward(theta, batchInputs, rows, ws);
            System.arraycopy(ws.logits(), 0, out, start * n, rows * n);
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
