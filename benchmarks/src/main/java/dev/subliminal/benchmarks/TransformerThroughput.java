package dev.subliminal.benchmarks;

import dev.subliminal.lm.transformer.Precision;
import dev.subliminal.lm.transformer.Transformer;
import dev.subliminal.lm.transformer.TransformerConfig;
import dev.subliminal.theory.linalg.Gemm;
import dev.subliminal.theory.model.Batch;
import dev.subliminal.theory.random.Seeds;
import java.io.IOException;
import java.util.Arrays;
import org.apache.commons.rng.UniformRandomProvider;

/**
 * Forward+backward throughput of a GPT-2-layout transformer in float64: times {@code vjp(θ, x, u)}
 * (one forward pass through the blocks and the backward pass into a p-sized gradient) and
 * {@code forward(θ, x)} on random tokens and a fixed random cotangent, and prints tokens/s and the
 * peak resident memory. Run by benchmarks/transformer/run.sh next to the same model in PyTorch.
 *
 * <p>Arguments (key=value): layers, hidden, heads, context (T), vocab, rows, threads, repeats.
 */
public final class TransformerThroughput {

    private TransformerThroughput() {
    }

    public static void main(String[] args) throws IOException {
        int layers = Args.intArg(args, "layers", 4);
        int hidden = Args.intArg(args, "hidden", 128);
        int heads = Args.intArg(args, "heads", 4);
        int context = Args.intArg(args, "context", 64);
        int vocab = Args.intArg(args, "vocab", 50257);
        int rows = Args.intArg(args, "rows", 8);
        int threads = Args.intArg(args, "threads", 2);
        int repeats = Args.intArg(args, "repeats", 5);
        TransformerConfig c = new TransformerConfig(TransformerConfig.Layout.GPT2, vocab, context, hidden, layers,
                heads, heads, hidden / heads, 4 * hidden, 1e-5, 0, true, true);
        Transformer model = new Transformer(c, context, Precision.FLOAT64, Gemm.threads(threads));
        double[] theta = model.initialize(1);
        UniformRandomProvider rng = Seeds.of(2);
        double[] ids = new double[rows * context];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = rng.nextInt(vocab);
        }
        Batch x = new Batch(rows, context, ids);
        double[] u = new double[rows * model.outputSize()];
        for (int i = 0; i < u.length; i++) {
            u[i] = 1e-3 * (rng.nextDouble() - 0.5);
        }
        Batch cot = new Batch(rows, model.outputSize(), u);
        System.out.printf("model %s, p = %d, rows %d, threads %d%n", model.describe(), model.parameterCount(), rows,
                threads);
        double[] fb = time(repeats, () -> model.vjp(theta, x, cot));
        double[] fw = time(repeats, () -> model.forward(theta, x));
        double tokens = (double) rows * context;
        System.out.printf("forward+backward median %.3f s  %.1f tokens/s  (runs %s)%n", Args.median(fb), tokens / Args.median(fb),
                Arrays.toString(fb));
        System.out.printf("forward          median %.3f s  %.1f tokens/s%n", Args.median(fw), tokens / Args.median(fw));
        System.out.println("peak RSS " + Args.peakRss());
    }

    private static double[] time(int repeats, Runnable r) {
        r.run();
        double[] t = new double[repeats];
        for (int i = 0; i < repeats; i++) {
            long t0 = System.nanoTime();
            r.run();
            t[i] = (System.nanoTime() - t0) / 1e9;
        }
        return t;
    }
}
