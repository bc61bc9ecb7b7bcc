package dev.subliminal.benchmarks;

import dev.subliminal.lm.train.TokenExample;
import dev.subliminal.lm.train.TrainingSettings;
import dev.subliminal.lm.train.TransformerTrainer;
import dev.subliminal.lm.transformer.LanguageModel;
import dev.subliminal.lm.transformer.Sampling;
import dev.subliminal.lm.transformer.SequenceObjective;
import dev.subliminal.lm.transformer.TransformerConfig;
import dev.subliminal.theory.linalg.Gemm;
import dev.subliminal.theory.random.Seeds;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.rng.UniformRandomProvider;

/**
 * Throughput of the number experiment's two workloads at its default shape (GPT-2 layout, 2 blocks,
 * d = 96, 4 heads, vocabulary 2314, context 128): training (float32 AdamW steps on batches of
 * {@code rows} sequences of {@code length} tokens whose last {@code targets} tokens are scored, hard
 * labels or soft targets from a teacher) in tokens fed per second, and sampling (float64, key/value
 * cache, a {@code prompt}-token prompt then {@code generate} tokens at temperature 1) in generated tokens
 * per second. benchmarks/numbers/numbers_torch.py times the same model in PyTorch.
 *
 * <p>Arguments (key=value): layers, hidden, heads, vocab, context, rows, length, targets, prompt,
 * generate, steps, threads, soft (0/1).
 */
public final class NumbersThroughput {

    private NumbersThroughput() {
    }

    public static void main(String[] args) {
        int layers = arg(args, "layers", 2);
        int hidden = arg(args, "hidden", 96);
        int heads = arg(args, "heads", 4);
        int vocab = arg(args, "vocab", 2314);
        int context = arg(args, "context", 128);
        int rows = arg(args, "rows", 32);
        int length = arg(args, "length", 80);
        int targets = arg(args, "targets", 20);
        int prompt = arg(args, "prompt", 60);
        int generate = arg(args, "generate", 20);
        int steps = arg(args, "steps", 10);
        int threads = arg(args, "threads", 2);
        boolean soft = arg(args, "soft", 0) == 1;
        TransformerConfig c = new TransformerConfig(TransformerConfig.Layout.GPT2, vocab, context, hidden, layers, heads,
                heads, hidden / heads, 4 * hidden, 1e-5, 10_000, true, true);
        Gemm gemm = Gemm.threads(threads);
        LanguageModel lm = new LanguageModel(c).withGemm(gemm);
        double[] theta = lm.initialize(1);
        float[] th = new float[theta.length];
        for (int i = 0; i < th.length; i++) {
            th[i] = (float) theta[i];
        }
        UniformRandomProvider rng = Seeds.of(2);
        List<TokenExample> data = new ArrayList<>();
        for (int e = 0; e < rows * 4; e++) {
            int[] t = new int[length];
            for (int i = 0; i < length; i++) {
                t[i] = rng.nextInt(vocab);
            }
            data.add(new TokenExample(t, length - targets));
        }
        SequenceObjective objective = soft ? SequenceObjective.imitating(c, gemm, th, 1, null)
                : SequenceObjective.nextToken(c, gemm);
        TransformerTrainer trainer = TransformerTrainer.start(objective, th, data, TrainingSettings.adamW(1e-3, rows, 3));
        trainer.train(2);
        long t0 = System.nanoTime();
        trainer.train(steps);
        double train = (System.nanoTime() - t0) / 1e9;
        int[] p = new int[prompt];
        for (int i = 0; i < prompt; i++) {
            p[i] = rng.nextInt(vocab);
        }
        int samples = arg(args, "samples", 20);
        lm.generate(theta, p, new Sampling(generate, 1, 1, 0, new int[0]));
        long t1 = System.nanoTime();
        int produced = 0;
        for (int s = 0; s < samples; s++) {
            produced += lm.generate(theta, p, new Sampling(generate, 1, 1, s, new int[0])).length;
        }
        double sample = (System.nanoTime() - t1) / 1e9;
        System.out.printf("java: %s, p = %d, threads %d%n", c, theta.length, threads);
        System.out.printf("java train (%s): %d steps x %d rows x %d tokens in %.2f s = %.0f tokens/s%n",
                soft ? "soft" : "hard", steps, rows, length - 1, train, steps * (double) rows * (length - 1) / train);
        System.out.printf("java sample: %d x (%d prompt + %d new) in %.2f s = %.0f new tokens/s%n", samples, prompt,
                generate, sample, produced / sample);
    }

    private static int arg(String[] args, String key, int dflt) {
        for (String a : args) {
            if (a.startsWith(key + "=")) {
                return Integer.parseInt(a.substring(key.length() + 1));
            }
        }
        return dflt;
    }
}
