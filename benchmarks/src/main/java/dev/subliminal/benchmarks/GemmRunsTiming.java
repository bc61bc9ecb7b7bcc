package dev.subliminal.benchmarks;

import dev.subliminal.theory.linalg.Gemm;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A weight gradient summed chunk after chunk, C += Xᵀ·dY over {@code runs} chunks of {@code terms} rows,
 * timed two ways in the same JVM, alternating: one {@link Gemm#sgemm} per chunk (β = 1) and one
 * {@link Gemm#sgemmInRuns}. Prints the median GFLOP/s of each over {@code repeats} pairs, for C of
 * 768 × 3,072, 3,072 × 768, 768 × 2,304 (GPT-2 small's projections) and 50,257 × 768 (its head), and
 * whether the two results have the same bits (they must).
 *
 * <p>Arguments (key=value): threads (2), runs (4), terms (128), repeats (5).
 */
public final class GemmRunsTiming {

    private GemmRunsTiming() {
    }

    public static void main(String[] args) {
        Gemm gemm = Gemm.threads(Args.intArg(args, "threads", 2));
        int runs = Args.intArg(args, "runs", 4);
        int terms = Args.intArg(args, "terms", 128);
        int repeats = Args.intArg(args, "repeats", 5);
        SplittableRandom rng = new SplittableRandom(1);
        System.out.printf("%s, %s, %d runs of %d terms%n", Gemm.vectorWidth(), gemm, runs, terms);
        for (int[] shape : new int[][] {{768, 3072}, {3072, 768}, {768, 2304}, {50257, 768}}) {
            int m = shape[0];
            int n = shape[1];
            int k = runs * terms;
            float[] x = new float[k * m];
            float[] dy = new float[k * n];
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) rng.nextDouble(-1, 1);
            }
            for (int i = 0; i < dy.length; i++) {
                dy[i] = (float) rng.nextDouble(-1, 1);
            }
            int[] starts = new int[runs];
            Arrays.setAll(starts, r -> r * terms);
            float[] perRun = new float[m * n];
            float[] inRuns = new float[m * n];
            double[] a = new double[repeats];
            double[] b = new double[repeats];
            double flops = 2.0 * m * n * k;
            for (int rep = 0; rep < repeats; rep++) {
                long t0 = System.nanoTime();
                for (int r = 0; r < runs; r++) {
                    gemm.sgemm(true, false, m, n, terms, 1f, x, r * terms * m, m, dy, r * terms * n, n, 1f, perRun, 0, n);
                }
                long t1 = System.nanoTime();
                gemm.sgemmInRuns(true, false, m, n, k, starts, 1f, x, 0, m, dy, 0, n, 1f, inRuns, 0, n);
                long t2 = System.nanoTime();
                a[rep] = flops / (t1 - t0);
                b[rep] = flops / (t2 - t1);
            }
            System.out.printf("C %d × %d: one product per run %.0f GFLOP/s, in runs %.0f GFLOP/s, same bits %b%n", m, n,
                    Args.median(a), Args.median(b), Arrays.equals(perRun, inRuns));
        }
    }
}
