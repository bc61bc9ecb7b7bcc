package dev.subliminal.simulation.sweep;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.subliminal.simulation.optim.OptimizerKind;
import dev.subliminal.spec.Setting;
import dev.subliminal.spec.SettingType;
import dev.subliminal.spec.Values;
import java.util.List;

/**
 * How teacher and student are trained, beyond the theorem's single SGD step on full outputs: the
 * settings below, each declared once.
 */
public final class Regime {

    /** What the student imitates. */
    public enum Labels {
        /** The teacher's outputs f_θT(x) themselves (the theorem). */
        FULL,
        /**
         * One label per student input, c ∼ σ(f_θT(x)_S / T) over the imitated logits S, drawn once from
         * the seed's {@code student-labels} stream; the student fits the one-hot target.
         */
        SAMPLED
    }

    /** K_T: the teacher takes K_T gradient steps of size ε on L_T. */
    public static final Setting<Integer> TEACHER_STEPS = Setting.of("teacherSteps",
            SettingType.integer(1, Integer.MAX_VALUE), 1, "K_T, the teacher's gradient steps of size ε on L_T");

    /** K_S: the student takes K_S steps of its optimizer at rate α. */
    public static final Setting<Integer> STUDENT_STEPS = Setting.of("studentSteps",
            SettingType.integer(1, Integer.MAX_VALUE), 1, "K_S, the student's optimizer steps at rate α");

    /** The student's optimizer (the teacher always uses SGD). */
    public static final Setting<OptimizerKind> OPTIMIZER = Setting.of("optimizer",
            SettingType.choice(OptimizerKind.class), OptimizerKind.SGD, "The student's optimizer: sgd or adam");

    /** λ ≥ 0, L2 weight decay on the student (and its control). */
    public static final Setting<Double> WEIGHT_DECAY = Setting.of("weightDecay", SettingType.real(false), 0.0,
            "λ, L2 weight decay of the student and its control");

    /** Full outputs or sampled labels. */
    public static final Setting<Labels> LABELS = Setting.of("labels", SettingType.choice(Labels.class), Labels.FULL,
            "What the student imitates: full outputs or labels sampled from them");

    /** Steps between the student's trajectory records (0: none). */
    public static final Setting<Integer> RECORD_EVERY = Setting.of("recordEvery",
            SettingType.integer(0, Integer.MAX_VALUE), 0,
            "Record the student's trajectory every N steps (0: none)");

    /** The regime's settings, in record order. */
    public static final List<Setting<?>> SETTINGS = List.of(TEACHER_STEPS, STUDENT_STEPS, OPTIMIZER, WEIGHT_DECAY,
            LABELS, RECORD_EVERY);

    private static final Regime THEOREM = new Regime(Values.empty().select(SETTINGS));

    private final Values values;

    private Regime(Values values) {
        this.values = values;
    }

    /** The regime of these values (missing ones take their defaults). */
    public static Regime of(Values values) {
        return new Regime(values.select(SETTINGS));
    }

    /** The theorem's regime: one SGD step each, full outputs, no weight decay. */
    public static Regime theorem() {
        return THEOREM;
    }

    /** The value of one of the regime's settings. */
    public <T> T get(Setting<T> s) {
        return values.get(s);
    }

    /** The settings' values in record order. */
    public ObjectNode toJson() {
        return values.toJson();
    }

    /**
     * True when the student's first update responds linearly to the teacher's outputs (SGD on full
     * outputs), so that the first-order prediction of the trait-carrying part applies. Weight decay
     * adds λ·θ_S0 to the student's and the control's gradient alike and cancels in their difference.
     */
    public boolean linearResponse() {
        return get(OPTIMIZER) == OptimizerKind.SGD && get(LABELS) == Labels.FULL;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Regime r && r.values.equals(values);
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
