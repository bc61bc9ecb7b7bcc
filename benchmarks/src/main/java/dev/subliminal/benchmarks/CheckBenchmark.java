package dev.subliminal.benchmarks;

import dev.subliminal.simulation.check.CheckCase;
import dev.subliminal.simulation.check.CheckConfig;
import dev.subliminal.simulation.mlp.Mlp;
import dev.subliminal.simulation.mlp.MlpFamily;
import dev.subliminal.theory.check.CheckResult;
import dev.subliminal.theory.check.CheckSetup;
import dev.subliminal.theory.check.TransmissionCheck;
import dev.subliminal.theory.linalg.Gemm;
import dev.subliminal.theory.model.Model;
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
 * One full transmission check ({@link TransmissionCheck#run}) for an MLP 784-256-256-13 (tanh),
 * N = 1,024 student inputs, float64, same init, soft cross-entropy imitation, cross-entropy trait on
 * 16 inputs: the data of {@code ./subliminal check} with the same options and seed, which
 * {@code benchmarks/check/check_torch.py} recomputes with PyTorch. The inputs and parameters are
 * drawn in the setup, outside the measurement. Run it with {@code benchmarks/check/run.sh}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xmx2g"})
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 10, time = 2)
public class CheckBenchmark {

    /** Sizes of the benchmarked MLP. */
    public static final int[] SIZES = {784, 256, 256, 13};

    /** The threads of the matrix products; the PyTorch side uses as many. */
    @Param("2")
    public int threads;

    /** The seed of the case, as in {@code ./subliminal check --seed}. */
    @Param("1")
    public long seed;

    /** The activation, tanh or relu. */
    @Param("tanh")
    public String activation;

    /** vector (the Vector API micro-kernels) or plain (the plain-loop fallback, same bits). */
    @Param("vector")
    public String kernel;

    private CheckSetup setup;

    @Setup
    public void prepare() {
        System.out.println("kernels: " + Gemm.vectorWidth() + ", " + threads + " threads");
        MlpFamily.Perceptron mlp = new MlpFamily.Perceptron(SIZES, MlpFamily.ACTIVATION.parse(activation));
        CheckConfig config = CheckConfig.defaults().withArchitectures(mlp, mlp).with(CheckConfig.SAMPLES, 1024);
        CheckSetup s = new CheckCase(config, seed).setup();
        Gemm gemm = kernel.equals("plain") ? Gemm.threads(threads).withPlainLoops() : Gemm.threads(threads);
        setup = new CheckSetup(on(s.teacherModel(), gemm), s.theta0(), s.trait(), s.epsilon(), on(s.studentModel(), gemm),
                s.studentInit(), s.alpha(), s.imitation(), s.studentInputs());
    }

    /** The model with its products on {@code gemm} (an MLP's thread count; others as they are). */
    private static Model on(Model model, Gemm gemm) {
        return model instanceof Mlp mlp ? mlp.withGemm(gemm) : model;
    }

    @Benchmark
    public CheckResult check() {
        return TransmissionCheck.run(setup);
    }
}
