package dev.subliminal.benchmarks;

import dev.subliminal.theory.linalg.Gemm;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.IntSupplier;

/**
 * {@link Gemm#sgemm} or {@link Gemm#dgemm} of n × n × n, C = A·B (A and B uniform on [−1, 1), seed 1),
 * {@code products} in a row in one JVM: prints the median GFLOP/s (2·n³ / time) of the products after
 * the first {@code warmup}, and a hash of C's bits, so that two builds of the kernels can be compared
 * in separate JVMs and shown to give the same results ({@code benchmarks/gemm/compare.sh};
 * docs/kernels.md, "Comparing two builds of a kernel").
 *
 * <p>Arguments (key=value): n (2048), threads (1), bits (32: sgemm, 64: dgemm), products (12), warmup (3).
 * It uses only {@link Gemm} and {@link Args}'s {@code intArg} and {@code median}, so that it runs on the
 * classes of older builds placed ahead of it on the class path.
 */
public final class GemmTiming {

    private GemmTiming() {
    }

    public static void main(String[] args) {
        int n = Args.intArg(args, "n", 2048);
        int threads = Args.intArg(args, "threads", 1);
        int bits = Args.intArg(args, "bits", 32);
        int products = Args.intArg(args, "products", 12);
        int warmup = Args.intArg(args, "warmup", 3);
        if (n < 1 || threads < 1 || warmup < 0 || products <= warmup || bits != 32 && bits != 64) {
            System.err.println("need n ≥ 1, threads ≥ 1, 0 ≤ warmup < products and bits 32 or 64");
            System.exit(2);
        }
        Gemm gemm = Gemm.threads(threads);
        SplittableRandom rng = new SplittableRandom(1);
        double[] a = rng.doubles((long) n * n, -1, 1).toArray();
        double[] b = rng.doubles((long) n * n, -1, 1).toArray();
        Runnable product;
        IntSupplier hash;
        if (bits == 32) {
            float[] af = toFloat(a);
            float[] bf = toFloat(b);
            float[] c = new float[n * n];
            product = () -> gemm.sgemm(false, false, n, n, n, 1, af, 0, n, bf, 0, n, 0, c, 0, n);
            hash = () -> Arrays.hashCode(c);
        } else {
            double[] c = new double[n * n];
            product = () -> gemm.dgemm(false, false, n, n, n, 1, a, 0, n, b, 0, n, 0, c, 0, n);
            hash = () -> Arrays.hashCode(c);
        }
        double[] rates = new double[products - warmup];
        for (int i = 0; i < products; i++) {
            long start = System.nanoTime();
            product.run();
            long nanos = System.nanoTime() - start;
            if (i >= warmup) {
                rates[i - warmup] = 2.0 * n * n * n / nanos;
            }
        }
        System.out.printf("%.2f %08x%n", Args.median(rates), hash.getAsInt());
    }

    private static float[] toFloat(double[] x) {
        float[] f = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            f[i] = (float) x[i];
        }
        return f;
    }
}
