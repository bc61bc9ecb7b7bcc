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

    /**
     * How the student moves: one of the first-order optimizers (steps θ_k = θ_k−1 + α·u_k), or the
     * gradient flow dθ/dt = −∇L_S(θ) that small SGD steps approach, integrated to t = K_S·α with error
     * control ({@link dev.subliminal.simulation.train.GradientFlow}); its "step k" is the flow at t = k·α.
     */
    public enum StudentOptimizer {
        /** Plain SGD: the theorem's optimizer. */
        SGD(OptimizerKind.SGD),
        /** Adam (PyTorch's defaults, L2 weight decay added to the gradient). */
        ADAM(OptimizerKind.ADAM),
        /** AdamW (decoupled weight decay). */
        ADAMW(OptimizerKind.ADAMW),
        /** Gradient flow, the limit α → 0 of SGD at a fixed horizon t = K_S·α. */
        FLOW(null);

        private final OptimizerKind kind;

        StudentOptimizer(OptimizerKind kind) {
            this.kind = kind;
        }

        /** The step-wise optimizer's kind; null for the flow. */
        public OptimizerKind kind() {
            return kind;
        }
    }

    /** K_T: the teacher takes K_T gradient steps of size ε on L_T. */
    public static final Setting<Integer> TEACHER_STEPS = Setting.of("teacherSteps",
            SettingType.integer(1, Integer.MAX_VALUE), 1, "K_T, the teacher's gradient steps of size ε on L_T");

    /** K_S: the student takes K_S steps of its optimizer at rate α. */
    public static final Setting<Integer> STUDENT_STEPS = Setting.of("studentSteps",
            SettingType.integer(1, Integer.MAX_VALUE), 1, "K_S, the student's optimizer steps at rate α");

    /** The student's optimizer (the teacher always uses SGD). */
    public static final Setting<StudentOptimizer> OPTIMIZER = Setting.of("optimizer",
            SettingType.choice(StudentOptimizer.class), StudentOptimizer.SGD,
            "The student's optimizer (flow: the gradient flow dθ/dt = −∇L_S(θ) to t = K_S·α, recorded at t = k·α)");

    /** The gradient flow's absolute error tolerance per integrator step. */
    public static final Setting<Double> FLOW_ABSOLUTE_TOLERANCE = Setting.of("flowAbsoluteTolerance",
            SettingType.real(true), 1e-10, "Absolute error tolerance of the flow's Dormand–Prince integrator")
            .appliesWhen("optimizer is flow", Regime::flow);

    /** The gradient flow's relative error tolerance per integrator step. */
    public static final Setting<Double> FLOW_RELATIVE_TOLERANCE = Setting.of("flowRelativeTolerance",
            SettingType.real(false), 1e-10, "Relative error tolerance of the flow's Dormand–Prince integrator")
            .appliesWhen("optimizer is flow", Regime::flow);

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
    public static final List<Setting<?>> SETTINGS = List.of(TEACHER_STEPS, STUDENT_STEPS, OPTIMIZER,
            FLOW_ABSOLUTE_TOLERANCE, FLOW_RELATIVE_TOLERANCE, WEIGHT_DECAY, LABELS, RECORD_EVERY);

    private static final Regime THEOREM = new Regime(Values.empty().select(SETTINGS));

    private final Values values;
    /** {@link #toJson()}'s form, built once (a sweep writes it into every record of the cell). */
    private final ObjectNode json;

    private Regime(Values values) {
        this.values = values;
        this.json = values.toJson();
    }

    /**
     * The regime of these values (missing ones take their defaults), normalized: the flow's tolerances
     * take their defaults unless the optimizer is the flow.
     */
    public static Regime of(Values values) {
        Values v = values.select(SETTINGS);
        if (!flow(v)) {
            v = v.with(FLOW_ABSOLUTE_TOLERANCE, FLOW_ABSOLUTE_TOLERANCE.defaultValue())
                    .with(FLOW_RELATIVE_TOLERANCE, FLOW_RELATIVE_TOLERANCE.defaultValue());
        }
        return new Regime(v);
    }

    private static boolean flow(Values v) {
        return v.get(OPTIMIZER) == StudentOptimizer.FLOW;
    }

    /** The theorem's regime: one SGD step each, full outputs, no weight decay. */
    public static Regime theorem() {
        return THEOREM;
    }

    /** The value of one of the regime's settings. */
    public <T> T get(Setting<T> s) {
        return values.get(s);
    }

    /** The settings' values in record order, as a new node (the caller may change it). */
    public ObjectNode toJson() {
        return json.deepCopy();
    }

    /**
     * True when the student's first update responds linearly to the teacher's outputs (SGD on full
     * outputs), so that the first-order prediction of the trait-carrying part applies (the flow's state at
     * t = α differs from one SGD step by O(α²), so not to the prediction's O(ε²)). Weight decay
     * adds λ·θ_S0 to the student's and the control's gradient alike and cancels in their difference.
     */
    public boolean linearResponse() {
        return get(OPTIMIZER) == StudentOptimizer.SGD && get(LABELS) == Labels.FULL;
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
