package dev.subliminal.benchmarks;

import dev.subliminal.lm.loss.AnswerLikelihoodTrait;
import dev.subliminal.lm.loss.PromptAnswer;
import dev.subliminal.lm.loss.SequenceImitation;
import dev.subliminal.lm.transformer.Precision;
import dev.subliminal.lm.transformer.Transformer;
import dev.subliminal.lm.transformer.TransformerConfig;
import dev.subliminal.theory.check.CheckResult;
import dev.subliminal.theory.check.CheckSetup;
import dev.subliminal.theory.check.TransmissionCheck;
import dev.subliminal.theory.linalg.Gemm;
import dev.subliminal.theory.loss.SoftCrossEntropy;
import dev.subliminal.theory.model.Batch;
import dev.subliminal.theory.random.Seeds;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.commons.rng.UniformRandomProvider;

/**
 * One language-model transmission check ({@link TransmissionCheck#run}) at a given shape, timed: a
 * GPT-2-layout transformer with random weights (σ = 0.02, GPT-2's 1,024 positions), same init, the
 * answer-likelihood trait over {@code pairs} random prompts of {@code prompt} tokens with answers of
 * {@code answer} tokens, soft cross-entropy imitation (τ = 1, all tokens) over {@code sequences} random
 * sequences of {@code length} tokens, ε = 1e-3, α = 0.1, passes in {@code precision} (float32 or
 * float64). Prints the wall and process CPU time of each check (after none, one warm-up is too costly at
 * GPT-2 size), the median, Δ_S·Δ_T (also in hexadecimal, with the first-order term and the cosine, so
 * that a change can be checked bit for bit) and the peak resident memory. Run by benchmarks/check/lm.sh next to
 * benchmarks/check/lm_check_torch.py.
 *
 * <p>Arguments (key=value): layers, hidden, heads, vocab, sequences, length, pairs, prompt, answer,
 * threads, repeats, precision (32 or 64).
 */
public final class LmCheckTiming {

    private LmCheckTiming() {
    }

    public static void main(String[] args) throws IOException {
        int layers = Args.intArg(args, "layers", 12);
        int hidden = Args.intArg(args, "hidden", 768);
        int heads = Args.intArg(args, "heads", 12);
        int vocab = Args.intArg(args, "vocab", 50257);
        int sequences = Args.intArg(args, "sequences", 16);
        int length = Args.intArg(args, "length", 128);
        int pairs = Args.intArg(args, "pairs", 32);
        int prompt = Args.intArg(args, "prompt", 8);
        int answer = Args.intArg(args, "answer", 2);
        int threads = Args.intArg(args, "threads", 2);
        int repeats = Args.intArg(args, "repeats", 1);
        Precision precision = Args.intArg(args, "precision", 32) == 32 ? Precision.FLOAT32 : Precision.FLOAT64;
        TransformerConfig c = new TransformerConfig(TransformerConfig.Layout.GPT2, vocab, 1024, hidden, layers, heads,
                heads, hidden / heads, 4 * hidden, 1e-5, 0, true, true);
        int t = Math.max(length, prompt + answer - 1);
        Transformer model = new Transformer(c, t, precision, Gemm.threads(threads));
        double[] theta = model.initialize(1);
        UniformRandomProvider rng = Seeds.of(2);
        double[][] rows = new double[sequences][t];
        for (double[] r : rows) {
            Arrays.fill(r, -1);
            for (int i = 0; i < length; i++) {
                r[i] = rng.nextInt(vocab);
            }
        }
        Batch x = Batch.of(rows);
        List<PromptAnswer> trait = new ArrayList<>();
        for (int k = 0; k < pairs; k++) {
            int[] p = new int[prompt];
            int[] a = new int[answer];
            Arrays.setAll(p, i -> rng.nextInt(vocab));
            Arrays.setAll(a, i -> rng.nextInt(vocab));
            trait.add(new PromptAnswer(p, a));
        }
        CheckSetup setup = new CheckSetup(model, theta, new AnswerLikelihoodTrait(trait), 1e-3, model, theta, 0.1,
                SequenceImitation.of(x, vocab, SoftCrossEntropy.all(1)).withGemm(Gemm.threads(threads)), x);
        System.out.printf("model %s, p = %d, %d sequences × %d tokens, %d trait pairs (%d + %d tokens), %s, "
                + "threads %d%n", model.describe(), model.parameterCount(), sequences, length, pairs, prompt, answer,
                precision, threads);
        double[] s = new double[repeats];
        CheckResult r = null;
        for (int i = 0; i < repeats; i++) {
            long t0 = System.nanoTime();
            double c0 = Args.cpuSeconds();
            r = TransmissionCheck.run(setup, Gemm.threads(threads));
            s[i] = (System.nanoTime() - t0) / 1e9;
            System.out.printf("check %d: %.1f s (CPU %.1f s), Δ_S·Δ_T = %.6e%n", i + 1, s[i], Args.cpuSeconds() - c0,
                    r.dot());
        }
        System.out.printf("bits: Δ_S·Δ_T %s, cosine %s, trait part %s, first order %s, L_T %s → %s / %s, "
                + "hashes Δ_T %08x Δ_S %08x Δ_S^c %08x%n", Double.toHexString(r.dot()), Double.toHexString(r.cosine()),
                Double.toHexString(r.traitPart()), Double.toHexString(r.firstOrder()),
                Double.toHexString(r.traitLossBefore()), Double.toHexString(r.traitLossStudent()),
                Double.toHexString(r.traitLossControl()), Arrays.hashCode(r.deltaT()), Arrays.hashCode(r.deltaS()),
                Arrays.hashCode(r.deltaSControl()));
        System.out.printf("check median %.1f s  (times %s)%n", Args.median(s), Arrays.toString(s));
        System.out.println("peak RSS " + Args.peakRss());
    }
}
