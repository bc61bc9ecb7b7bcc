package dev.subliminal.benchmarks;

import dev.subliminal.theory.linalg.Gemm;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@link Gemm#sgemm} and {@link Gemm#dgemm} on the products of an MLP 784-256-256-13 with a batch
 * of 1,024: shape {@code MxNxK:TT} is C (M × N) = op(A) (M × K) · op(B) (K × N), T = N or T for
 * each operand. GFLOP/s = 2·M·N·K / time. Run with
 * {@code java --add-modules jdk.incubator.vector -jar benchmarks/target/benchmarks.jar GemmBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class GemmBenchmark {

    /** Forward (X Wᵀ), input cotangent (U W) and weight gradient (Uᵀ A) of each layer. */
    @Param({"2048x2048x2048:NN", "1024x256x784:NT", "1024x256x256:NT", "1024x13x256:NT", "1024x256x13:NN", "1024x256x256:NN",
        "256x784x1024:TN", "256x256x1024:TN", "13x256x1024:TN"})
    public String shape;

    /** s (float) or d (double). */
    @Param({"s", "d"})
    public String precision;

    @Param("2")
    public int threads;

    /** vector (the Vector API micro-kernels) or plain (the plain-loop fallback, same bits). */
    @Param("vector")
    public String kernel;

    private Gemm gemm;

    private int m;
    private int n;
    private int k;
    private boolean transA;
    private boolean transB;
    private double[] a;
    private double[] b;
    private double[] c;
    private float[] af;
    private float[] bf;
    private float[] cf;

    @Setup
    public void prepare() {
        gemm = kernel.equals("plain") ? Gemm.threads(threads).withPlainLoops() : Gemm.threads(threads);
        System.out.println("kernels: " + Gemm.vectorWidth() + ", " + gemm);
        String[] parts = shape.split("[x:]");
        m = Integer.parseInt(parts[0]);
        n = Integer.parseInt(parts[1]);
        k = Integer.parseInt(parts[2]);
        transA = parts[3].charAt(0) == 'T';
        transB = parts[3].charAt(1) == 'T';
        SplittableRandom rng = new SplittableRandom(1);
        a = rng.doubles((long) m * k, -1, 1).toArray();
        b = rng.doubles((long) k * n, -1, 1).toArray();
        c = new double[m * n];
        af = new float[a.length];
        bf = new float[b.length];
        cf = new float[c.length];
        for (int i = 0; i < a.length; i++) {
            af[i] = (float) a[i];
        }
        for (int i = 0; i < b.length; i++) {
            bf[i] = (float) b[i];
        }
    }

    @Benchmark
    public Object product() {
        int lda = transA ? m : k;
        int ldb = transB ? k : n;
        if (precision.equals("s")) {
            gemm.sgemm(transA, transB, m, n, k, 1, af, 0, lda, bf, 0, ldb, 0, cf, 0, n);
            return cf;
        }
        gemm.dgemm(transA, transB, m, n, k, 1, a, 0, lda, b, 0, ldb, 0, c, 0, n);
        return c;
    }
}
