package dev.subliminal.benchmarks;

import dev.subliminal.lm.train.TokenExample;
import dev.subliminal.lm.train.TrainingSettings;
import dev.subliminal.lm.train.TransformerTrainer;
import dev.subliminal.lm.transformer.Precision;
import dev.subliminal.lm.transformer.SequenceObjective;
import dev.subliminal.lm.transformer.Transformer;
import dev.subliminal.lm.transformer.TransformerConfig;
import dev.subliminal.theory.linalg.Gemm;
import dev.subliminal.theory.random.Seeds;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.commons.rng.UniformRandomProvider;

/**
 * Float32 training throughput of a GPT-2-layout transformer: {@link TransformerTrainer} steps (next-token
 * cross-entropy of {@code rows} random sequences of T + 1 tokens, one forward and one backward pass,
 * clipping at norm 1, AdamW with η = 1e-4, λ = 0.01) timed after one warm-up step, {@code repeats} times
 * {@code steps} steps; prints seconds per step, training tokens/s (rows·T per step) and the peak resident
 * memory. Run by benchmarks/transformer/train.sh next to the same training in PyTorch.
 *
 * <p>Arguments (key=value): layers, hidden, heads, context (T), vocab, rows, threads, steps, repeats.
 */
public final class TransformerTraining {

    private TransformerTraining() {
    }

    public static void main(String[] args) throws IOException {
        int layers = Args.intArg(args, "layers", 4);
        int hidden = Args.intArg(args, "hidden", 128);
        int heads = Args.intArg(args, "heads", 4);
        int context = Args.intArg(args, "context", 64);
        int vocab = Args.intArg(args, "vocab", 50257);
        int rows = Args.intArg(args, "rows", 8);
        int threads = Args.intArg(args, "threads", 2);
        int steps = Args.intArg(args, "steps", 5);
        int repeats = Args.intArg(args, "repeats", 3);
        TransformerConfig c = new TransformerConfig(TransformerConfig.Layout.GPT2, vocab, context, hidden, layers,
                heads, heads, hidden / heads, 4 * hidden, 1e-5, 0, true, true);
        Transformer model = new Transformer(c, context, Precision.FLOAT32, Gemm.threads(threads));
        UniformRandomProvider rng = Seeds.of(2);
        List<TokenExample> data = new ArrayList<>();
        for (int e = 0; e < rows * (steps * repeats + 1); e++) {
            int[] ids = new int[context + 1];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = rng.nextInt(vocab);
            }
            data.add(new TokenExample(ids, 1));
        }
        TransformerTrainer trainer = TransformerTrainer.startOwning(SequenceObjective.nextToken(c,
                Gemm.threads(threads)), model.initializeFloats(1, 0.02), data, TrainingSettings.adamW(1e-4, rows, 1));
        System.out.printf("model %s, p = %d, rows %d, threads %d, float32%n", model.describe(), model.parameterCount(),
                rows, threads);
        trainer.train(1);
        double[] t = new double[repeats];
        for (int r = 0; r < repeats; r++) {
            long t0 = System.nanoTime();
            trainer.train(steps);
            t[r] = (System.nanoTime() - t0) / 1e9 / steps;
        }
        double m = Args.median(t);
        System.out.printf("training step median %.3f s  %.1f tokens/s  (per-step times %s)%n", m, rows * context / m,
                Arrays.toString(t));
        System.out.println("peak RSS " + Args.peakRss());
    }
}
