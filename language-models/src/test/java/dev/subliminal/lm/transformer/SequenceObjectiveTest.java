package dev.subliminal.lm.transformer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.subliminal.lm.loss.AnswerLikelihoodTrait;
import dev.subliminal.lm.loss.PromptAnswer;
import dev.subliminal.lm.loss.SequenceImitation;
import dev.subliminal.lm.transformer.TransformerConfig.Layout;
import dev.subliminal.theory.linalg.Gemm;
import dev.subliminal.theory.loss.SoftCrossEntropy;
import dev.subliminal.theory.model.Batch;
import dev.subliminal.theory.param.Vectors;
import dev.subliminal.theory.random.Seeds;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.commons.rng.UniformRandomProvider;
import org.junit.jupiter.api.Test;

/**
 * The float32 training objective against the float64 model and the check's losses, which are checked
 * against PyTorch: hard labels equal the answer-likelihood trait of the same prompt/answer split
 * (rescaled from a mean over pairs to a mean over scored positions), soft targets equal the sequence
 * imitation loss on the fed tokens (rescaled from a mean over sequences); values and gradients to
 * float32's accuracy (2e-5 relative, max-norm). Also: the value alone equals the value with the
 * gradient, the same bits for 1 or 3 threads, and bad inputs are named.
 */
class SequenceObjectiveTest {

    static final TransformerConfig GPT = new TransformerConfig(Layout.GPT2, 23, 9, 8, 2, 2, 2, 4, 24, 1e-5, 0, true,
            true);
    static final TransformerConfig LLAMA = new TransformerConfig(Layout.LLAMA, 19, 9, 12, 2, 4, 2, 3 * 2, 20, 1e-6, 100,
            false, true);

    private static List<int[]> sequences(UniformRandomProvider rng, int count, int vocab, int maxLength) {
        List<int[]> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int[] t = new int[2 + rng.nextInt(maxLength - 1)];
            for (int k = 0; k < t.length; k++) {
                t[k] = rng.nextInt(vocab);
            }
            out.add(t);
        }
        return out;
    }

    private static double[] noisy(Transformer model, long seed) {
        return Vectors.axpy(model.initialize(seed, 0.3), 1, BlockDerivatives.gaussian(Seeds.of(seed + 1),
                model.layout().size(), 0.05));
    }

    @Test
    void hardLabelsAreTheAnswerLikelihoodPerScoredPosition() {
        for (TransformerConfig c : new TransformerConfig[] {GPT, LLAMA}) {
            UniformRandomProvider rng = Seeds.of(3);
            List<int[]> seqs = sequences(rng, 5, c.vocabSize(), 10);
            int[] from = new int[seqs.size()];
            List<PromptAnswer> pairs = new ArrayList<>();
            long scored = 0;
            for (int e = 0; e < seqs.size(); e++) {
                int[] t = seqs.get(e);
                from[e] = 1 + rng.nextInt(t.length - 1);
                pairs.add(new PromptAnswer(Arrays.copyOf(t, from[e]), Arrays.copyOfRange(t, from[e], t.length)));
                scored += t.length - from[e];
            }
            Transformer model = new Transformer(c, 9);
            double[] theta = noisy(model, 7);
            AnswerLikelihoodTrait trait = new AnswerLikelihoodTrait(pairs);
            double k = (double) pairs.size() / scored;
            double expected = trait.value(model, theta) * k;
            double[] expectedGrad = Vectors.scale(k, trait.gradient(model, theta));

            SequenceObjective objective = SequenceObjective.nextToken(c, Gemm.defaults());
            float[] th = Floats.round(Gemm.serial(), theta);
            float[] grad = new float[th.length];
            double value = objective.valueAndGradient(th, seqs, from, grad);
            assertThat(Math.abs(value - expected)).as("%s loss %s vs %s", c.layout(), value, expected)
                    .isLessThanOrEqualTo(2e-5 * Math.abs(expected));
            close(c.layout() + " gradient", Floats.widen(Gemm.serial(), grad), expectedGrad);
            assertThat(objective.value(th, seqs, from)).isEqualTo(value);
        }
    }

    @Test
    void softTargetsAreTheSequenceImitationPerScoredPosition() {
        for (TransformerConfig c : new TransformerConfig[] {GPT, LLAMA}) {
            for (int[] subset : new int[][] {null, {0, 2, 3, 7, 11, 18}}) {
                UniformRandomProvider rng = Seeds.of(4);
                List<int[]> seqs = sequences(rng, 4, c.vocabSize(), 10);
                int[] from = new int[seqs.size()];
                Arrays.fill(from, 1);
                Transformer model = new Transformer(c, 9);
                double[] theta = noisy(model, 8);
                double[] teacher = noisy(model, 9);
                double tau = 1.7;
                double[][] rows = new double[seqs.size()][9];
                long scored = 0;
                for (int e = 0; e < seqs.size(); e++) {
                    Arrays.fill(rows[e], -1);
                    for (int i = 0; i < seqs.get(e).length - 1; i++) {
                        rows[e][i] = seqs.get(e)[i];
                    }
                    scored += seqs.get(e).length - 1;
                }
                Batch x = Batch.of(rows);
                SequenceImitation loss = SequenceImitation.of(x, c.vocabSize(), new SoftCrossEntropy(tau, subset));
                Batch z = model.forward(theta, x);
                Batch y = model.forward(teacher, x);
                double k = (double) seqs.size() / scored;
                double expected = loss.value(z, y) * k;
                double[] expectedGrad = Vectors.scale(k, model.vjp(theta, x, loss.gradient(z, y)));

                SequenceObjective objective = SequenceObjective.imitating(c, Gemm.defaults(), Floats.round(Gemm.serial(), teacher), tau,
                        subset);
                float[] grad = new float[theta.length];
                double value = objective.valueAndGradient(Floats.round(Gemm.serial(), theta), seqs, from, grad);
                assertThat(Math.abs(value - expected)).as("%s subset %s: %s vs %s", c.layout(), Arrays.toString(subset),
                        value, expected).isLessThanOrEqualTo(2e-5 * Math.abs(expected));
                close(c.layout() + " soft gradient", Floats.widen(Gemm.serial(), grad), expectedGrad);
            }
        }
    }

    /**
     * A teacher reading a prefix (a system prompt the student never sees): the loss is the mean over
     * scored positions of −Σ q log p, with q the teacher's softmax at the same token of prefix +
     * sequence and p the student's on the sequence alone, both from the float64 model; the gradient is
     * the float64 VJP of (p − q)/(τ·P). A prefix that would overflow the context is named.
     */
    @Test
    void aTeacherPrefixShiftsOnlyTheTeachersPositions() {
        TransformerConfig c = GPT;
        UniformRandomProvider rng = Seeds.of(6);
        int[] prefix = {4, 9, 1};
        List<int[]> seqs = sequences(rng, 3, c.vocabSize(), 6);
        int[] from = {1, 2, 1};
        Transformer model = new Transformer(c, 9);
        double[] theta = noisy(model, 10);
        double[] teacher = noisy(model, 11);
        double tau = 1.3;
        LanguageModel lm = new LanguageModel(c);
        int v = c.vocabSize();
        long scored = 0;
        for (int e = 0; e < seqs.size(); e++) {
            scored += seqs.get(e).length - from[e];
        }
        double expected = 0;
        double[][] rows = new double[seqs.size()][9];
        double[] cot = new double[seqs.size() * 9 * v];
        for (int e = 0; e < seqs.size(); e++) {
            int[] t = seqs.get(e);
            int[] fed = Arrays.copyOf(t, t.length - 1);
            int[] withPrefix = new int[prefix.length + fed.length];
            System.arraycopy(prefix, 0, withPrefix, 0, prefix.length);
            System.arraycopy(fed, 0, withPrefix, prefix.length, fed.length);
            double[] z = lm.session(theta).feed(fed);
            double[] y = lm.session(teacher).feed(withPrefix);
            Arrays.fill(rows[e], -1);
            for (int i = 0; i < fed.length; i++) {
                rows[e][i] = fed[i];
            }
            for (int i = from[e] - 1; i < fed.length; i++) {
                double[] p = softmax(z, i * v, v, tau);
                double[] q = softmax(y, (prefix.length + i) * v, v, tau);
                for (int j = 0; j < v; j++) {
                    expected -= q[j] * Math.log(p[j]) / scored;
                    cot[(e * 9 + i) * v + j] = (p[j] - q[j]) / tau / scored;
                }
            }
        }
        double[] expectedGrad = model.vjp(theta, Batch.of(rows), new Batch(seqs.size(), 9 * v, cot));
        SequenceObjective objective = SequenceObjective.imitating(c, Gemm.serial(), Floats.round(Gemm.serial(), teacher), tau, null)
                .withTeacherPrefix(prefix);
        float[] grad = new float[theta.length];
        double value = objective.valueAndGradient(Floats.round(Gemm.serial(), theta), seqs, from, grad);
        assertThat(Math.abs(value - expected)).as("%s vs %s", value, expected).isLessThanOrEqualTo(2e-5 * expected);
        close("prefixed teacher gradient", Floats.widen(Gemm.serial(), grad), expectedGrad);
        assertThat(objective.describe()).endsWith("the teacher reading a prefix of 3 tokens");
        assertThat(objective.fingerprint()).isNotEqualTo(SequenceObjective.imitating(c, Gemm.serial(),
                Floats.round(Gemm.serial(), teacher), tau, null).fingerprint());
        assertThatThrownBy(() -> objective.value(Floats.round(Gemm.serial(), theta), List.of(new int[9]), new int[] {1}))
                .hasMessageContaining("a training example has 2 to 7");
        assertThatThrownBy(() -> SequenceObjective.nextToken(c, Gemm.serial()).withTeacherPrefix(prefix))
                .hasMessageContaining("needs a soft objective");
    }

    private static double[] softmax(double[] z, int o, int v, double tau) {
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < v; j++) {
            max = Math.max(max, z[o + j] / tau);
        }
        double[] p = new double[v];
        double sum = 0;
        for (int j = 0; j < v; j++) {
            p[j] = Math.exp(z[o + j] / tau - max);
            sum += p[j];
        }
        for (int j = 0; j < v; j++) {
            p[j] /= sum;
        }
        return p;
    }

    @Test
    void sameBitsForAnyThreadCountAndNamedErrors() {
        UniformRandomProvider rng = Seeds.of(5);
        List<int[]> seqs = sequences(rng, 6, LLAMA.vocabSize(), 10);
        int[] from = new int[seqs.size()];
        Arrays.fill(from, 1);
        float[] theta = Floats.round(Gemm.serial(), noisy(new Transformer(LLAMA, 9), 2));
        SequenceObjective one = SequenceObjective.nextToken(LLAMA, Gemm.serial());
        float[] g1 = new float[theta.length];
        float[] g3 = new float[theta.length];
        double v1 = one.valueAndGradient(theta, seqs, from, g1);
        double v3 = one.withGemm(Gemm.threads(3)).valueAndGradient(theta, seqs, from, g3);
        assertThat(v3).isEqualTo(v1);
        assertThat(g3).containsExactly(g1);

        assertThatThrownBy(() -> one.value(theta, List.of(new int[] {1}), new int[] {1}))
                .hasMessageContaining("example 0 has 1 tokens; a training example has 2 to 10");
        assertThatThrownBy(() -> one.value(theta, List.of(new int[] {1, 2, 3}), new int[] {3}))
                .hasMessageContaining("first target 3 must be in [1, 2]");
        assertThatThrownBy(() -> one.value(theta, List.of(new int[] {1, 19}), new int[] {1}))
                .hasMessageContaining("position 1: token 19 is out of range for a vocabulary of 19");
        assertThatThrownBy(() -> one.value(new float[3], List.of(new int[] {1, 2}), new int[] {1}))
                .hasMessageContaining("θ has 3 entries");
        assertThatThrownBy(() -> SequenceObjective.imitating(LLAMA, Gemm.serial(), theta, 1, new int[] {3, 3}))
                .hasMessageContaining("strictly increasing");
        assertThatThrownBy(() -> SequenceObjective.imitating(LLAMA, Gemm.serial(), new float[2], 1, null))
                .hasMessageContaining("the teacher's θ has 2 entries");
    }

    /**
     * A row's softmax on whole vectors has the bits of the same formulas with one {@link StrictMath#exp}
     * per element: losses and gradient rows equal bit for bit, over a row of 1,001 logits (vector lanes and
     * a partial last vector), with logits 800 below the row's maximum (exp's range, where a vector goes
     * to the scalar code) and with a vocabulary subset.
     */
    @Test
    void aRowsSoftmaxHasTheBitsOfOneStrictMathExpPerElement() {
        UniformRandomProvider rng = Seeds.of(12);
        int vocab = 1001;
        for (int round = 0; round < 4; round++) {
            float[] z = new float[2 * vocab];
            float[] y = new float[2 * vocab];
            for (int j = 0; j < z.length; j++) {
                z[j] = (float) (40 * (rng.nextDouble() - 0.5));
                y[j] = (float) (40 * (rng.nextDouble() - 0.5));
            }
            z[vocab + 17] = -800;
            y[vocab + 400] = -900;
            int o = vocab * (round % 2);
            int target = rng.nextInt(vocab);
            double scale = 1.0 / 3;
            float[] expected = z.clone();
            double expectedLoss = hardScalar(expected, o, target, vocab, scale);
            float[] actual = z.clone();
            double loss = SequenceObjective.hard(actual, o, target, new double[vocab], scale, true);
            assertThat(loss).as("hard loss").isEqualTo(expectedLoss);
            assertThat(actual).as("hard gradient").containsExactly(expected);

            int[] subset = round < 2 ? null : rng.ints(0, vocab).distinct().limit(300).sorted().toArray();
            int m = subset == null ? vocab : subset.length;
            double tau = 1.7;
            expected = z.clone();
            expectedLoss = softScalar(expected, y, o, vocab, subset, tau, scale);
            actual = z.clone();
            loss = SequenceObjective.soft(actual, y, o, vocab, subset, tau, new double[m], new double[m], new double[m], scale,
                    true);
            assertThat(loss).as("soft loss").isEqualTo(expectedLoss);
            assertThat(actual).as("soft gradient").containsExactly(expected);
        }
    }

    /** The hard-label row with one StrictMath.exp per element. */
    private static double hardScalar(float[] z, int o, int target, int vocab, double scale) {
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < vocab; j++) {
            max = Math.max(max, z[o + j]);
        }
        double[] e = new double[vocab];
        double sum = 0;
        for (int j = 0; j < vocab; j++) {
            e[j] = StrictMath.exp(z[o + j] - max);
            sum += e[j];
        }
        double loss = max + StrictMath.log(sum) - z[o + target];
        for (int j = 0; j < vocab; j++) {
            z[o + j] = (float) (e[j] / sum * scale);
        }
        z[o + target] = (float) ((e[target] / sum - 1) * scale);
        return loss;
    }

    /** The soft-target row with one StrictMath.exp per element and use. */
    private static double softScalar(float[] z, float[] y, int o, int vocab, int[] subset, double tau, double scale) {
        int m = subset == null ? vocab : subset.length;
        double[] p = new double[m];
        double[] q = new double[m];
        double zMax = Double.NEGATIVE_INFINITY;
        double yMax = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < m; k++) {
            int j = subset == null ? k : subset[k];
            p[k] = z[o + j] / tau;
            q[k] = y[o + j] / tau;
            zMax = Math.max(zMax, p[k]);
            yMax = Math.max(yMax, q[k]);
        }
        double zSum = 0;
        double ySum = 0;
        for (int k = 0; k < m; k++) {
            zSum += StrictMath.exp(p[k] - zMax);
            ySum += (q[k] = StrictMath.exp(q[k] - yMax));
        }
        double logZ = zMax + StrictMath.log(zSum);
        double loss = 0;
        for (int k = 0; k < m; k++) {
            q[k] /= ySum;
            double logp = p[k] - logZ;
            loss -= q[k] * logp;
            p[k] = StrictMath.exp(logp);
        }
        if (subset != null) {
            Arrays.fill(z, o, o + vocab, 0);
        }
        for (int k = 0; k < m; k++) {
            int j = subset == null ? k : subset[k];
            z[o + j] = (float) ((p[k] - q[k]) / tau * scale);
        }
        return loss;
    }

    private static void close(String what, double[] actual, double[] expected) {
        double scale = 0;
        double err = 0;
        for (int i = 0; i < expected.length; i++) {
            scale = Math.max(scale, Math.abs(expected[i]));
            err = Math.max(err, Math.abs(actual[i] - expected[i]));
        }
        System.out.printf("%-28s max |float32 − float64| / max |float64| = %.2e%n", what, err / scale);
        assertThat(err).as(what).isLessThanOrEqualTo(2e-5 * scale);
    }
}
