package dev.subliminal.simulation.leakage;

import dev.subliminal.spec.Setting;
import dev.subliminal.spec.SettingType;
import dev.subliminal.spec.Values;
import java.util.List;

/**
 * The settings of one soft-label leakage run, each declared once (they are the axes of a leakage grid
 * and the {@code axes} of its records). A teacher f_T is trained on n = samples + heldOut memorised
 * points x_i ∼ N(0, I_d) with labels c_i uniform on {0, …, C−1}; the student, from its own init, is
 * trained on the soft labels p(x) = σ(f_T(x)/T) of its transfer inputs (the first {@code samples} of
 * the memorised points, or as many fresh draws) with the cross-entropy −Σ_k p_k(x) log σ(f_S(x))_k at
 * temperature 1, and scored on the other {@code heldOut} memorised points against their labels c_i.
 * Values are normalized: {@code width} takes its default for the logistic model.
 */
public final class LeakageConfig {

    /** The model family of teacher and student. */
    public enum Model {
        /** Multinomial logistic regression f(x) = Wx + b. */
        LOGISTIC,
        /** One hidden layer of ReLU units: f(x) = W2 relu(W1 x + b1) + b2. */
        MLP
    }

    /** What the student's transfer inputs are. */
    public enum TransferInputs {
        /** The teacher's own memorised points other than the held-out ones (the paper's split). */
        MEMORISED,
        /** Fresh draws from N(0, I_d) the teacher never saw. */
        FRESH
    }

    /** The model of teacher and student. */
    public static final Setting<Model> MODEL = Setting.of("model", SettingType.choice(Model.class), Model.LOGISTIC,
            "Teacher and student: logistic (multinomial logistic regression) or mlp (one hidden ReLU layer)");
    /** d. */
    public static final Setting<Integer> DIMENSION = Setting.of("dimension", SettingType.integer(1, 1 << 16), 20,
            "d, the input dimension (inputs are N(0, I_d))");
    /** C. */
    public static final Setting<Integer> CLASSES = Setting.of("classes", SettingType.integer(2, 1 << 12), 10,
            "C, the number of classes (labels are uniform on them)");
    /** The MLP's hidden width. */
    public static final Setting<Integer> WIDTH = Setting.of("width", SettingType.integer(1, 1 << 16), 64,
            "Hidden ReLU units of the mlp").appliesWhen("model is mlp", v -> v.get(MODEL) == Model.MLP);
    /** The student's soft-labelled transfer inputs. */
    public static final Setting<Integer> SAMPLES = Setting.of("samples", SettingType.integer(1, 1 << 20), 60,
            "The student's soft-labelled transfer inputs");
    /** The held-out memorised points. */
    public static final Setting<Integer> HELD_OUT = Setting.of("heldOut", SettingType.integer(1, 1 << 20), 40,
            "The teacher's memorised points held out from the student (its test set)");
    /** Memorised or fresh transfer inputs. */
    public static final Setting<TransferInputs> TRANSFER_INPUTS = Setting.of("transferInputs",
            SettingType.choice(TransferInputs.class), TransferInputs.MEMORISED,
            "The student's inputs: memorised (the teacher's other training points) or fresh Gaussian draws");
    /** T. */
    public static final Setting<Double> TEMPERATURE = Setting.of("temperature", SettingType.real(true), 1.0,
            "T: the soft labels are σ(f_T(x)/T)");
    /** Teacher steps. */
    public static final Setting<Integer> TEACHER_STEPS = Setting.of("teacherSteps", SettingType.integer(1, 10_000_000),
            1000, "The teacher's full-batch Adam steps on its memorised points");
    /** Student steps. */
    public static final Setting<Integer> STUDENT_STEPS = Setting.of("studentSteps", SettingType.integer(1, 10_000_000),
            1000, "The student's (and the hard-label control's) full-batch Adam steps");
    /** Adam's learning rate. */
    public static final Setting<Double> LR = Setting.of("lr", SettingType.real(true), 0.01,
            "Adam's learning rate (PyTorch's defaults otherwise) for teacher, student and control");

    /** Every setting, in grid and record order. */
    public static final List<Setting<?>> SETTINGS = List.of(MODEL, DIMENSION, CLASSES, WIDTH, SAMPLES, HELD_OUT,
            TRANSFER_INPUTS, TEMPERATURE, TEACHER_STEPS, STUDENT_STEPS, LR);

    private final Values values;

    private LeakageConfig(Values values) {
        this.values = values;
    }

    /** The configuration of these values (missing ones take their defaults), normalized. */
    public static LeakageConfig of(Values values) {
        Values v = values.select(SETTINGS);
        if (v.get(MODEL) != Model.MLP) {
            v = v.with(WIDTH, WIDTH.defaultValue());
        }
        long parameters = v.get(MODEL) == Model.MLP
                ? (long) v.get(WIDTH) * (v.get(DIMENSION) + 1) + (long) v.get(CLASSES) * (v.get(WIDTH) + 1)
                : (long) v.get(CLASSES) * (v.get(DIMENSION) + 1);
        if (parameters > 50_000_000L) {
            throw new IllegalArgumentException("a " + v.get(MODEL).name().toLowerCase(java.util.Locale.ROOT) + " with "
                    + parameters + " parameters is too large for a leakage run (at most 50,000,000)");
        }
        if ((long) v.get(SAMPLES) + v.get(HELD_OUT) > 1 << 20) {
            throw new IllegalArgumentException("samples + heldOut = " + ((long) v.get(SAMPLES) + v.get(HELD_OUT))
                    + " memorised points; at most " + (1 << 20));
        }
        return new LeakageConfig(v);
    }

    /** The defaults. */
    public static LeakageConfig defaults() {
        return of(Values.empty());
    }

    /** This configuration with one setting changed (then normalized again). */
    public <T> LeakageConfig with(Setting<T> s, T value) {
        return of(values.with(s, value));
    }

    /** The value of a setting. */
    public <T> T get(Setting<T> s) {
        return values.get(s);
    }

    /** The settings' values, in order. */
    public Values values() {
        return values;
    }

    /** 1/C, the accuracy of a guess on uniformly random labels. */
    public double chance() {
        return 1.0 / get(CLASSES);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LeakageConfig c && c.values.equals(values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    @Override
    public String toString() {
        return values.toString();
    }
}
