package dev.subliminal.simulation.leakage;

import dev.subliminal.linear.AffineModel;
import dev.subliminal.simulation.mlp.Activation;
import dev.subliminal.simulation.mlp.Mlp;
import dev.subliminal.simulation.optim.DoubleOptimizer;
import dev.subliminal.simulation.optim.OptimizerKind;
import dev.subliminal.simulation.optim.OptimizerSpec;
import dev.subliminal.simulation.train.BatchOrder;
import dev.subliminal.simulation.train.TrainingLoop;
import dev.subliminal.theory.linalg.Gemm;
import dev.subliminal.theory.loss.ImitationLoss;
import dev.subliminal.theory.loss.SoftCrossEntropy;
import dev.subliminal.theory.loss.Softmax;
import dev.subliminal.theory.model.Batch;
import dev.subliminal.theory.model.Model;
import dev.subliminal.theory.param.Initialization;
import dev.subliminal.theory.param.Vectors;
import dev.subliminal.theory.random.Seeds;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.distribution.ZigguratSampler;

/**
 * One soft-label leakage run ({@link LeakageConfig}) for one seed:
 * <ol>
 * <li>n = samples + heldOut memorised points x_i ∼ N(0, I_d) (seed stream {@value #INPUTS}) with labels c_i
 * uniform on {0, …, C−1} ({@value #LABELS});</li>
 * <li>the teacher θ_T, from N(0, 1/fan_in) weights and zero biases ({@value #TEACHER_INIT}), takes
 * {@code teacherSteps} full-batch Adam steps on the cross-entropy of all n labels;</li>
 * <li>the student θ_S, from its own init ({@value #STUDENT_INIT}, independent of the teacher's), takes
 * {@code studentSteps} full-batch Adam steps on L_S(θ) = (1/N) Σ_x −Σ_k p_k(x) log σ(f_θ(x))_k with the
 * soft labels p(x) = σ(f_T(x)/T) over its transfer inputs (the first {@code samples} memorised points, or
 * as many fresh draws, {@value #FRESH});</li>
 * <li>a hard-label control from the same init takes as many steps on the teacher's argmax labels of the
 * same inputs (the T → 0 limit of p: for memorised inputs the labels c_i themselves);</li>
 * <li>both are scored on the held-out memorised points, which neither saw, against their random labels
 * c_i: a guess independent of them is right with probability 1/C.</li>
 * </ol>
 * Every draw comes from the seed's named streams and every reduction runs in a fixed order on one
 * thread, so a run's numbers do not depend on the caller's thread count.
 */
public final class LeakageRun {

    /** The seed streams. */
    public static final String INPUTS = "leakage-inputs";
    public static final String LABELS = "leakage-labels";
    public static final String FRESH = "leakage-fresh";
    public static final String TEACHER_INIT = "teacher-init";
    public static final String STUDENT_INIT = "student-init";

    /**
     * The numbers of one run.
     *
     * @param teacherAccuracy the teacher's accuracy on all n memorised points (1: it memorised them)
     * @param teacherHeldOut the teacher's accuracy on the held-out points: what there is to leak
     * @param student the student's accuracy on the held-out points against their labels c_i
     * @param agreement the fraction of held-out points where the student's argmax is the teacher's
     * @param hardLabel the hard-label control's held-out accuracy
     * @param labelEntropy the soft labels' mean entropy over the transfer inputs, in units of log C (1: uniform)
     * @param heldOut the number of held-out points scored
     */
    public record Result(double teacherAccuracy, double teacherHeldOut, double student, double agreement,
            double hardLabel, double labelEntropy, int heldOut) {
    }

    private LeakageRun() {
    }

    /** The model of the configuration (its products on one thread). */
    public static Model model(LeakageConfig c) {
        int d = c.get(LeakageConfig.DIMENSION);
        int classes = c.get(LeakageConfig.CLASSES);
        return switch (c.get(LeakageConfig.MODEL)) {
            case LOGISTIC -> new AffineModel(d, classes);
            case MLP -> new Mlp(new int[] {d, c.get(LeakageConfig.WIDTH), classes}, Activation.RELU, Gemm.serial());
        };
    }

    /** The student's loss: the soft cross-entropy against target logits at temperature 1. */
    public static ImitationLoss studentLoss() {
        return SoftCrossEntropy.all(1);
    }

    /** The soft labels' target logits f_T(x)/T, whose softmax is p(x) = σ(f_T(x)/T). */
    public static Batch softTargets(Batch teacherLogits, double temperature) {
        double[] out = new double[teacherLogits.data().length];
        for (int i = 0; i < out.length; i++) {
            out[i] = teacherLogits.data()[i] / temperature;
        }
        return new Batch(teacherLogits.rows(), teacherLogits.cols(), out);
    }

    /** One-hot target logits (0 at the label, −∞ elsewhere), whose softmax is exactly the one-hot vector. */
    public static Batch hardTargets(int[] labels, int classes) {
        double[] out = new double[labels.length * classes];
        java.util.Arrays.fill(out, Double.NEGATIVE_INFINITY);
        for (int i = 0; i < labels.length; i++) {
            out[i * classes + labels[i]] = 0;
        }
        return new Batch(labels.length, classes, out);
    }

    /** Runs the configuration with one seed. */
    public static Result run(LeakageConfig c, long seed) {
        int d = c.get(LeakageConfig.DIMENSION);
        int classes = c.get(LeakageConfig.CLASSES);
        int samples = c.get(LeakageConfig.SAMPLES);
        int heldOut = c.get(LeakageConfig.HELD_OUT);
        int n = samples + heldOut;
        Model model = model(c);
        Batch memorised = gaussian(Seeds.stream(seed, INPUTS), n, d);
        int[] labels = new int[n];
        UniformRandomProvider labelRng = Seeds.stream(seed, LABELS);
        for (int i = 0; i < n; i++) {
            labels[i] = labelRng.nextInt(classes);
        }
        Batch transfer = c.get(LeakageConfig.TRANSFER_INPUTS) == LeakageConfig.TransferInputs.FRESH
                ? gaussian(Seeds.stream(seed, FRESH), samples, d) : rows(memorised, 0, samples);
        Batch held = rows(memorised, samples, n);
        int[] heldLabels = java.util.Arrays.copyOfRange(labels, samples, n);

        ImitationLoss ce = studentLoss();
        double[] teacher = train(model, init(model, seed, TEACHER_INIT), memorised, ce, hardTargets(labels, classes),
                c.get(LeakageConfig.TEACHER_STEPS), c.get(LeakageConfig.LR), "the teacher");
        Batch teacherOnTransfer = model.forward(teacher, transfer);
        Batch teacherOnHeld = model.forward(teacher, held);
        int[] teacherHeld = argmax(teacherOnHeld);

        double[] studentInit = init(model, seed, STUDENT_INIT);
        int steps = c.get(LeakageConfig.STUDENT_STEPS);
        double lr = c.get(LeakageConfig.LR);
        double temperature = c.get(LeakageConfig.TEMPERATURE);
        double[] student = train(model, studentInit, transfer, ce, softTargets(teacherOnTransfer, temperature), steps, lr,
                "the student");
        double[] control = train(model, studentInit, transfer, ce, hardTargets(argmax(teacherOnTransfer), classes),
                steps, lr, "the hard-label control");
        int[] studentHeld = argmax(model.forward(student, held));
        return new Result(accuracy(argmax(model.forward(teacher, memorised)), labels),
                accuracy(teacherHeld, heldLabels), accuracy(studentHeld, heldLabels), accuracy(studentHeld, teacherHeld),
                accuracy(argmax(model.forward(control, held)), heldLabels), entropy(teacherOnTransfer, temperature),
                heldOut);
    }

    /** N(0, 1/fan_in) weights and zero biases from the seed's stream {@code name}. */
    static double[] init(Model model, long seed, String name) {
        return Initialization.NORMAL_FAN_IN.initialize(model.layout(), Seeds.stream(seed, name));
    }

    /** Full-batch Adam at rate lr on the loss against {@code target}; θ must stay finite. */
    static double[] train(Model model, double[] init, Batch x, ImitationLoss loss, Batch target, int steps, double lr,
            String who) {
        double[] theta = init.clone();
        TrainingLoop.Gradient<double[]> gradient = (th, examples, rows, g) -> System.arraycopy(
                model.vjp(th, x, loss.gradient(model.forward(th, x), target)), 0, g, 0, g.length);
        new TrainingLoop<>(DoubleOptimizer.of(OptimizerSpec.of(OptimizerKind.ADAM, lr, 0), theta.length), gradient,
                BatchOrder.full(x.rows())).run(theta, steps, new double[theta.length], null, (t, th, g, u) -> { });
        int bad = Vectors.firstNonFinite(theta);
        if (bad >= 0) {
            throw new ArithmeticException(who + "'s parameters are not finite at index " + bad + " after " + steps
                    + " steps; lower lr");
        }
        return theta;
    }

    /** The index of each row's largest entry (the first on ties). */
    public static int[] argmax(Batch logits) {
        int[] out = new int[logits.rows()];
        for (int i = 0; i < out.length; i++) {
            int best = 0;
            for (int k = 1; k < logits.cols(); k++) {
                if (logits.get(i, k) > logits.get(i, best)) {
                    best = k;
                }
            }
            out[i] = best;
        }
        return out;
    }

    /** The mean entropy of σ(f/T) over the rows, divided by log C. */
    static double entropy(Batch logits, double temperature) {
        int classes = logits.cols();
        double[] p = new double[classes];
        double sum = 0;
        for (int i = 0; i < logits.rows(); i++) {
            Softmax.softmax(logits.data(), i * classes, null, classes, temperature, p);
            double h = 0;
            for (double q : p) {
                if (q > 0) {
                    h -= q * StrictMath.log(q);
                }
            }
            sum += h;
        }
        return sum / logits.rows() / StrictMath.log(classes);
    }

    private static double accuracy(int[] predicted, int[] labels) {
        int right = 0;
        for (int i = 0; i < labels.length; i++) {
            if (predicted[i] == labels[i]) {
                right++;
            }
        }
        return (double) right / labels.length;
    }

    private static Batch gaussian(UniformRandomProvider rng, int rows, int cols) {
        ZigguratSampler.NormalizedGaussian g = ZigguratSampler.NormalizedGaussian.of(rng);
        double[] data = new double[rows * cols];
        for (int i = 0; i < data.length; i++) {
            data[i] = g.sample();
        }
        return new Batch(rows, cols, data);
    }

    private static Batch rows(Batch b, int from, int to) {
        return new Batch(to - from, b.cols(), java.util.Arrays.copyOfRange(b.data(), from * b.cols(), to * b.cols()));
    }
}
