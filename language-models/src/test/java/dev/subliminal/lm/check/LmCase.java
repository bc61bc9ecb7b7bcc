package dev.subliminal.lm.check;

import dev.subliminal.lm.loss.AnswerLikelihoodTrait;
import dev.subliminal.lm.loss.PromptAnswer;
import dev.subliminal.lm.loss.SequenceImitation;
import dev.subliminal.lm.transformer.Transformer;
import dev.subliminal.lm.transformer.TransformerConfig;
import dev.subliminal.lm.transformer.TransformerConfig.Layout;
import dev.subliminal.theory.check.CheckResult;
import dev.subliminal.theory.check.CheckSetup;
import dev.subliminal.theory.check.TransmissionCheck;
import dev.subliminal.theory.loss.SoftCrossEntropy;
import dev.subliminal.theory.model.Batch;
import dev.subliminal.theory.property.Generator;
import dev.subliminal.theory.random.Seeds;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.apache.commons.rng.UniformRandomProvider;

/**
 * One same-init transmission check on a tiny transformer: teacher and student share the
 * configuration and θ0 (Hugging Face's initialization at σ), the trait is the answer likelihood of
 * K prompt/answer pairs, the imitation is the sequence cross-entropy on student sequences (trailing
 * padding allowed) at temperature τ, over all tokens or a subset. Every random draw comes from
 * {@code seed}, so {@code new LmCase(...)} with the printed fields replays a case.
 */
record LmCase(Layout layout, int layers, int heads, int kvHeads, int headDim, int hidden, int inter, int vocab,
        int length, int rows, int pairs, double temperature, boolean subset, double std, double epsilon, long seed) {

    static final double ALPHA = 0.1;

    Transformer model() {
        TransformerConfig c = new TransformerConfig(layout, vocab, length, hidden, layers, heads, kvHeads, headDim,
                inter, 1e-5, 10_000, layout == Layout.GPT2 || seed % 2 == 0, layout == Layout.GPT2 || seed % 3 == 0);
        return new Transformer(c, length);
    }

    LmCase withEpsilon(double e) {
        return new LmCase(layout, layers, heads, kvHeads, headDim, hidden, inter, vocab, length, rows, pairs,
                temperature, subset, std, e, seed);
    }

    CheckSetup setup() {
        Transformer model = model();
        UniformRandomProvider rng = Seeds.stream(seed, "lm-case");
        double[] theta0 = model.initialize(seed, std);
        double[][] x = new double[rows][length];
        for (double[] row : x) {
            int len = 1 + rng.nextInt(length);
            for (int i = 0; i < length; i++) {
                row[i] = i < len ? rng.nextInt(vocab) : -1;
            }
        }
        Batch inputs = Batch.of(x);
        List<PromptAnswer> list = new ArrayList<>();
        for (int k = 0; k < pairs; k++) {
            int p = 1 + rng.nextInt(length);
            int a = 1 + rng.nextInt(length - p + 1);
            list.add(new PromptAnswer(rng.ints(p, 0, vocab).toArray(), rng.ints(a, 0, vocab).toArray()));
        }
        int[] s = null;
        if (subset) {
            s = rng.ints(0, vocab).distinct().limit(Math.max(2, vocab / 2)).sorted().toArray();
        }
        SequenceImitation imitation = SequenceImitation.of(inputs, vocab, new SoftCrossEntropy(temperature, s));
        return new CheckSetup(model, theta0, new AnswerLikelihoodTrait(list), epsilon, model, theta0, ALPHA, imitation,
                inputs);
    }

    CheckResult run() {
        return TransmissionCheck.run(setup());
    }

    /** Random tiny configurations of both layouts (d ≤ 16, V ≤ 50, T ≤ 8). */
    static final Generator<LmCase> SPACE = new Generator<>() {
        @Override
        public LmCase generate(UniformRandomProvider rng) {
            Layout layout = rng.nextBoolean() ? Layout.GPT2 : Layout.LLAMA;
            int heads = 1 + rng.nextInt(4);
            int kv = layout == Layout.GPT2 ? heads : divisor(heads, rng);
            int hd = 2 * (1 + rng.nextInt(2));
            int d = layout == Layout.GPT2 ? heads * hd : 2 + rng.nextInt(15);
            return new LmCase(layout, 1 + rng.nextInt(2), heads, kv, hd, Math.min(d, 16), 2 + rng.nextInt(15),
                    3 + rng.nextInt(48), 2 + rng.nextInt(7), 1 + rng.nextInt(3), 1 + rng.nextInt(2),
                    new double[] {1, 0.5, 2}[rng.nextInt(3)], rng.nextBoolean(), rng.nextBoolean() ? 0.02 : 0.5, 1e-3,
                    rng.nextLong() & Long.MAX_VALUE);
        }

        @Override
        public List<LmCase> edgeCases() {
            return List.of(new LmCase(Layout.GPT2, 1, 1, 1, 2, 2, 2, 3, 2, 1, 1, 1, false, 0.5, 1e-3, 1),
                    new LmCase(Layout.LLAMA, 1, 2, 1, 2, 2, 2, 3, 2, 1, 1, 1, true, 0.5, 1e-3, 2));
        }

        @Override
        public Stream<LmCase> shrink(LmCase c) {
            List<LmCase> out = new ArrayList<>();
            if (c.layers > 1) {
                out.add(new LmCase(c.layout, 1, c.heads, c.kvHeads, c.headDim, c.hidden, c.inter, c.vocab, c.length,
                        c.rows, c.pairs, c.temperature, c.subset, c.std, c.epsilon, c.seed));
            }
            if (c.rows > 1) {
                out.add(new LmCase(c.layout, c.layers, c.heads, c.kvHeads, c.headDim, c.hidden, c.inter, c.vocab,
                        c.length, 1, c.pairs, c.temperature, c.subset, c.std, c.epsilon, c.seed));
            }
            if (c.pairs > 1) {
                out.add(new LmCase(c.layout, c.layers, c.heads, c.kvHeads, c.headDim, c.hidden, c.inter, c.vocab,
                        c.length, c.rows, 1, c.temperature, c.subset, c.std, c.epsilon, c.seed));
            }
            if (c.length > 2) {
                out.add(new LmCase(c.layout, c.layers, c.heads, c.kvHeads, c.headDim, c.hidden, c.inter, c.vocab,
                        c.length - 1, c.rows, c.pairs, c.temperature, c.subset, c.std, c.epsilon, c.seed));
            }
            if (c.vocab > 3) {
                out.add(new LmCase(c.layout, c.layers, c.heads, c.kvHeads, c.headDim, c.hidden, c.inter, c.vocab / 2 + 1,
                        c.length, c.rows, c.pairs, c.temperature, c.subset, c.std, c.epsilon, c.seed));
            }
            return out.stream();
        }
    };

    private static int divisor(int n, UniformRandomProvider rng) {
        int[] ds = java.util.stream.IntStream.rangeClosed(1, n).filter(k -> n % k == 0).toArray();
        return ds[rng.nextInt(ds.length)];
    }

    @Override
    public String toString() {
        return "LmCase[" + layout + " L" + layers + " h" + heads + "/" + kvHeads + " hd" + headDim + " d" + hidden
                + " inter" + inter + " V" + vocab + " T" + length + " rows" + rows + " pairs" + pairs + " τ"
                + temperature + (subset ? " subset" : "") + " σ" + std + " ε" + epsilon + " seed " + seed + "] = new "
                + "LmCase(Layout." + layout + ", " + Arrays.toString(new Object[] {layers, heads, kvHeads, headDim,
                        hidden, inter, vocab, length, rows, pairs, temperature, subset, std, epsilon, seed + "L"}) + ")";
    }
}
