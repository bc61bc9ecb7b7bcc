package dev.subliminal.simulation.check;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.subliminal.spec.Architecture;
import dev.subliminal.spec.ModelFamilies;
import dev.subliminal.spec.ModelFamily;
import dev.subliminal.spec.Setting;
import dev.subliminal.spec.SettingType;
import dev.subliminal.spec.Values;
import dev.subliminal.theory.param.Initialization;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The configuration of one transmission check, without its seed: the reference model's (and
 * teacher's) architecture, the student's, and the values of the check's settings below, each
 * declared once here with its default, range and help. Command-line options, sweep axes, record
 * fields and replay lines are derived from these declarations and from the model families'.
 *
 * <p>Values are normalized so that equal checks compare equal: the perturbation is 0 unless the
 * init is perturbed; the temperature is 1 and nothing is distilled under squared error.
 */
public final class CheckConfig {

    /** How θ0 (and an independent θ_S0) are drawn. */
    public static final Setting<Initialization> WEIGHTS = Setting.of("weights",
            SettingType.choice(Initialization.class), Initialization.NORMAL_FAN_IN,
            "Initialization: normal-fan-in (N(0, 1/fan_in) weights, zero biases) or uniform-fan-in (PyTorch's default)");

    /** θ_S0 relative to θ0. */
    public static final Setting<StudentInit> INIT = Setting.of("init", SettingType.choice(StudentInit.class),
            StudentInit.SAME, "Student init: same (θ_S0 = θ0), perturbed (θ0 + σξ) or independent");

    /** σ of a perturbed init. */
    public static final Setting<Double> PERTURBATION = Setting.of("perturbation", SettingType.real(false), 0.1,
            "σ of a perturbed init").appliesWhen("init is perturbed", v -> v.get(INIT) == StudentInit.PERTURBED);

    /** The imitation loss ℓ. */
    public static final Setting<ImitationSpec.Kind> LOSS = Setting.of("loss",
            SettingType.choice(ImitationSpec.Kind.class), ImitationSpec.Kind.CE,
            "Imitation loss: mse (squared error) or ce (soft cross-entropy)");

    /** The softmax temperature T of ce. */
    public static final Setting<Double> TEMPERATURE = Setting.of("temperature", SettingType.real(true), 1.0,
            "Softmax temperature T of ce").appliesWhen("loss is ce", CheckConfig::crossEntropy).replayedIfChanged();

    /** The number of trailing logits distilled with ce (0: all). */
    public static final Setting<Integer> DISTILL = Setting.of("distill", SettingType.integer(0, Integer.MAX_VALUE), 0,
            "Distil only the last K logits with ce; 0 means all").appliesWhen("loss is ce", CheckConfig::crossEntropy)
            .replayedIfChanged();

    /** The trait loss L_T. */
    public static final Setting<TraitKind> TRAIT = Setting.of("trait", SettingType.choice(TraitKind.class),
            TraitKind.CE, "Trait loss L_T: ce on random labels or mse on random targets");

    /** Size of the trait set. */
    public static final Setting<Integer> TRAIT_SAMPLES = Setting.of("traitSamples",
            SettingType.integer(1, Integer.MAX_VALUE), 16, "Size of the trait set");

    /** D_S, the student's input distribution. */
    public static final Setting<InputDistribution> INPUTS = Setting.of("inputs",
            SettingType.choice(InputDistribution.class), InputDistribution.GAUSSIAN,
            "Student inputs: gaussian (N(0, 1)) or uniform (U[−1, 1]) coordinates");

    /** N, the number of student inputs. */
    public static final Setting<Integer> SAMPLES = Setting.of("samples", SettingType.integer(1, Integer.MAX_VALUE), 64,
            "Number of student inputs");

    /** ε, the teacher's step. */
    public static final Setting<Double> EPSILON = Setting.of("epsilon", SettingType.real(false), 1e-4,
            "ε, the teacher's step");

    /** α, the student's step. */
    public static final Setting<Double> ALPHA = Setting.of("alpha", SettingType.real(false), 0.1,
            "α, the student's step");

    /** The check's own settings, in record order (after the model settings). */
    public static final List<Setting<?>> SETTINGS = List.of(WEIGHTS, INIT, PERTURBATION, LOSS, TEMPERATURE, DISTILL,
            TRAIT, TRAIT_SAMPLES, INPUTS, SAMPLES, EPSILON, ALPHA);

    private final Architecture teacher;
    private final Architecture student;
    private final Values values;
    /** {@link #axes()}, built on first use (a sweep writes it into every record of the cell). */
    private volatile ObjectNode axes;

    private CheckConfig(Architecture teacher, Architecture student, Values values) {
        this.teacher = teacher;
        this.student = student;
        this.values = values;
    }

    /**
     * A validated, normalized configuration.
     *
     * @param teacher the reference model's architecture (also the teacher's)
     * @param student the student's architecture; null or equal to {@code teacher} unless studied across architectures
     * @param values values of {@link #SETTINGS} (others are ignored; missing ones take their defaults)
     */
    public static CheckConfig of(Architecture teacher, Architecture student, Values values) {
        if (student == null) {
            student = teacher;
        }
        Values v = values.select(SETTINGS);
        if (v.get(INIT) != StudentInit.PERTURBED) {
            v = v.with(PERTURBATION, 0.0);
        }
        if (v.get(LOSS) != ImitationSpec.Kind.CE) {
            v = v.with(TEMPERATURE, 1.0).with(DISTILL, 0);
        }
        if (student.inputs() != teacher.inputs() || student.outputs() != teacher.outputs()) {
            throw new IllegalArgumentException("the student's architecture " + student.describe()
                    + " must keep the teacher's " + teacher.inputs() + " inputs and " + teacher.outputs() + " outputs");
        }
        if (!student.equals(teacher) && v.get(INIT) != StudentInit.INDEPENDENT) {
            throw new IllegalArgumentException("a student of another architecture (" + student.describe()
                    + ") cannot use init " + INIT.format(v.get(INIT)) + "; use init"
                    + " independent");
        }
        int distill = v.get(DISTILL);
        int logits = CheckDomain.of(teacher).logits(teacher.outputs());
        if (distill > logits) {
            throw new IllegalArgumentException(DISTILL.key() + " " + distill + ": the model's softmax has only "
                    + logits + " logits");
        }
        if (!CheckDomain.of(student).name().equals(CheckDomain.of(teacher).name())) {
            throw new IllegalArgumentException("the student (" + student.describe() + ") takes "
                    + CheckDomain.of(student).name() + " but the teacher takes " + CheckDomain.of(teacher).name());
        }
        CheckConfig c = new CheckConfig(teacher, student, v);
        CheckDomain.of(teacher).require(c);
        return c;
    }

    /** The defaults of {@code check}: mlp 4-8-3 tanh, N(0, 1/fan_in), same init, ce, ce trait, ε = 1e-4. */
    public static CheckConfig defaults() {
        Architecture a = ModelFamilies.of(ModelFamilies.MODEL.defaultValue()).read(Values.empty());
        return of(a, a, Values.empty());
    }

    /**
     * The configuration given by named values, as a grid cell or the command line states it: the
     * family ({@code model}), its settings, the student's ({@code studentModel} and the student twins
     * such as {@code studentWidths}, each defaulting to the teacher's), then the check's settings.
     * Settings that do not apply to the chosen families are ignored, so a grid may vary an
     * activation across linear and MLP cells. {@code read} turns one given value into the setting's
     * type and names the setting in its errors. Distilling one logit is refused here (a softmax over
     * one logit is constant): it is the theorem's trivial case, which generated cases may still reach.
     */
    public static CheckConfig read(Map<String, JsonNode> given, Reader read) {
        ModelFamily family = ModelFamilies.of(value(given, ModelFamilies.MODEL, read));
        Values teacherValues = Values.empty();
        for (Setting<?> s : family.settings()) {
            teacherValues = put(teacherValues, s, given, read);
        }
        Architecture teacher = family.read(teacherValues);
        Architecture student = teacher;
        boolean other = given.containsKey(ModelFamilies.STUDENT_MODEL.key());
        for (Setting<?> s : ModelFamilies.settings()) {
            other |= given.containsKey(ModelFamilies.student(s).key());
        }
        if (other) {
            ModelFamily sf = given.containsKey(ModelFamilies.STUDENT_MODEL.key())
                    ? ModelFamilies.of(value(given, ModelFamilies.STUDENT_MODEL, read)) : family;
            Values sv = Values.empty();
            for (Setting<?> s : sf.settings()) {
                Setting<?> twin = ModelFamilies.student(s);
                sv = given.containsKey(twin.key()) ? copy(sv, s, twin, given, read) : put(sv, s, given, read);
            }
            student = sf.read(sv);
        }
        Values v = Values.empty();
        for (Setting<?> s : SETTINGS) {
            v = put(v, s, given, read);
        }
        CheckConfig c = of(teacher, student, v);
        if (c.get(DISTILL) == 1) {
            throw new IllegalArgumentException(read.name(DISTILL) + " 1: a softmax over one logit is constant, so nothing"
                    + " is distilled; use 0 (all logits) or at least 2");
        }
        return c;
    }

    /** Turns one given JSON value into a setting's type; the error names the setting. */
    public interface Reader {
        <T> T read(Setting<T> setting, JsonNode value);

        /** How errors name a setting: its key (grids) or its flag (the command line). */
        default String name(Setting<?> setting) {
            return setting.key();
        }
    }

    private static <T> T value(Map<String, JsonNode> given, Setting<T> s, Reader read) {
        JsonNode v = given.get(s.key());
        return v == null ? s.defaultValue() : read.read(s, v);
    }

    private static <T> Values put(Values v, Setting<T> s, Map<String, JsonNode> given, Reader read) {
        JsonNode node = given.get(s.key());
        return node == null ? v : v.with(s, read.read(s, node));
    }

    private static <T> Values copy(Values v, Setting<T> s, Setting<?> twin, Map<String, JsonNode> given, Reader read) {
        @SuppressWarnings("unchecked")
        Setting<T> t = (Setting<T>) twin;
        return v.with(s, read.read(t, given.get(t.key())));
    }

    /** The value of one of the check's settings. */
    public <T> T get(Setting<T> s) {
        return values.get(s);
    }

    /** This configuration with one check setting changed (then normalized and validated again). */
    public <T> CheckConfig with(Setting<T> s, T value) {
        return of(teacher, student, values.with(s, value));
    }

    /** The check's settings' values. */
    public Values values() {
        return values;
    }

    /** The reference model's architecture. */
    public Architecture teacher() {
        return teacher;
    }

    /** The student's architecture. */
    public Architecture student() {
        return student;
    }

    /** This configuration with another teacher; a student of the same architecture follows it. */
    public CheckConfig withTeacher(Architecture a) {
        return of(a, student.equals(teacher) ? a : student, values);
    }

    /** This configuration with another student. */
    public CheckConfig withStudent(Architecture a) {
        return of(teacher, a, values);
    }

    /** Both architectures at once, so that the input and output sizes may change together. */
    public CheckConfig withArchitectures(Architecture t, Architecture s) {
        return of(t, s, values);
    }

    /** True when the student's architecture differs from the teacher's. */
    public boolean otherArchitecture() {
        return !student.equals(teacher);
    }

    /** The imitation loss's specification. */
    public ImitationSpec imitation() {
        return new ImitationSpec(get(LOSS), get(TEMPERATURE), get(DISTILL));
    }

    /**
     * Bytes the check needs, roughly: both models' passes over the larger of the student and trait
     * sets ({@link Architecture#memoryBytes}, with the student at θ0), for a student of the same
     * architecture but its own init its θ_S0, outputs and JVP (8·(p + 2·rows·n) bytes), and the inputs
     * themselves.
     */
    public long memoryBytes() {
        int rows = Math.max(get(SAMPLES), get(TRAIT_SAMPLES));
        long inputs = 8L * (get(SAMPLES) + (long) get(TRAIT_SAMPLES)) * teacher.inputs();
        long studentBytes = otherArchitecture() ? student.memoryBytes(rows)
                : get(INIT) == StudentInit.SAME ? 0
                : 8L * (teacher.parameterCount() + 2L * rows * teacher.outputs());
        return teacher.memoryBytes(rows) + studentBytes + inputs;
    }

    /**
     * The flat form of grids and sweep records: {@code model}, the teacher's settings,
     * {@code studentModel}, the student's settings under their student keys, then the check's settings.
     * Each call returns a new node (the caller may change it); the form itself is built once.
     */
    public ObjectNode axes() {
        ObjectNode o = axes;
        if (o == null) {
            o = flatForm();
            axes = o;
        }
        return o.deepCopy();
    }

    private ObjectNode flatForm() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put(ModelFamilies.MODEL.key(), teacher.family().name());
        o.setAll(teacher.values().toJson());
        o.put(ModelFamilies.STUDENT_MODEL.key(), student.family().name());
        student.values().toJson().fields().forEachRemaining(e -> o.set(
                ModelFamilies.student(setting(student, e.getKey())).key(), e.getValue()));
        o.setAll(values.toJson());
        return o;
    }

    private static Setting<?> setting(Architecture a, String key) {
        for (Setting<?> s : a.family().settings()) {
            if (s.key().equals(key)) {
                return s;
            }
        }
        throw new IllegalStateException("no setting " + key + " in family " + a.family().name());
    }

    /**
     * The nested form of check records and certificates: {@code teacher} and {@code student} as their
     * families write them, then the check's settings.
     */
    public ObjectNode toJson() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.set("teacher", teacher.toJson());
        o.set("student", student.toJson());
        o.setAll(values.toJson());
        return o;
    }

    /**
     * The configuration of a record's nested form ({@link #toJson}): {@code teacher} and
     * {@code student} as their families write them and the check settings, nothing else; a setting
     * that a record written before it existed lacks takes its default. Errors name the key; the
     * result's {@code toJson()} equals {@code node} when the node is what a record holds (a caller
     * that needs the exact form compares them).
     */
    public static CheckConfig fromJson(JsonNode node) {
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("a configuration is a JSON object");
        }
        List<String> known = new ArrayList<>(List.of("teacher", "student"));
        SETTINGS.forEach(s -> known.add(s.key()));
        node.fieldNames().forEachRemaining(k -> {
            if (!known.contains(k)) {
                throw new IllegalArgumentException("unknown configuration field '" + dev.subliminal.results.Texts.quote(k) + "'");
            }
        });
        Values v = Values.empty();
        for (Setting<?> s : SETTINGS) {
            v = withJson(v, s, node.get(s.key()));
        }
        if (!node.has("teacher") || !node.has("student")) {
            throw new IllegalArgumentException("a configuration needs \"teacher\" and \"student\"");
        }
        return of(ModelFamilies.fromJson(node.get("teacher")), ModelFamilies.fromJson(node.get("student")), v);
    }

    private static <T> Values withJson(Values v, Setting<T> s, JsonNode value) {
        return value == null ? v : v.with(s, s.fromJson(value));
    }

    /** Every setting a configuration can name, in record order: models, student models, then the check's. */
    public static List<Setting<?>> allSettings() {
        List<Setting<?>> all = new ArrayList<>();
        all.add(ModelFamilies.MODEL);
        all.addAll(ModelFamilies.settings());
        all.add(ModelFamilies.STUDENT_MODEL);
        for (Setting<?> s : ModelFamilies.settings()) {
            all.add(ModelFamilies.student(s));
        }
        all.addAll(SETTINGS);
        return List.copyOf(all);
    }

    private static boolean crossEntropy(Values v) {
        return v.get(LOSS) == ImitationSpec.Kind.CE;
    }

    /** A short description of the models, for tables and errors. */
    @Override
    public String toString() {
        return axes().toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CheckConfig c && c.teacher.equals(teacher) && c.student.equals(student)
                && c.values.equals(values);
    }

    @Override
    public int hashCode() {
        return (teacher.hashCode() * 31 + student.hashCode()) * 31 + values.hashCode();
    }
}
