package dev.subliminal.simulation.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.subliminal.simulation.check.Architecture;
import dev.subliminal.simulation.check.ImitationSpec;
import dev.subliminal.simulation.check.InputDistribution;
import dev.subliminal.simulation.check.StudentInit;
import dev.subliminal.simulation.check.TraitKind;
import dev.subliminal.simulation.mlp.Activation;
import dev.subliminal.simulation.optim.OptimizerKind;
import dev.subliminal.theory.param.Initialization;
import java.util.Arrays;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/**
 * The axes of a sweep grid, in grid order (the first varies slowest), each with its name in grid and
 * result files, its default, and the normalization of a value: enum names in lower case
 * ({@code normal-fan-in}), layer sizes as {@code "4,8,3"}, numbers as numbers (a YAML string such as
 * {@code 1e-4} is read as the number). The student axes take {@code same}, the teacher's setting.
 */
public enum Axis {
    MODEL("model", text("mlp"), name(Architecture.Family::parse, Architecture.Family::cliName)),
    WIDTHS("widths", text("4,8,3"), Axis::sizes),
    ACTIVATION("activation", text("tanh"), name(Activation::parse, Activation::cliName)),
    STUDENT_MODEL("studentModel", text("same"), orSame(name(Architecture.Family::parse, Architecture.Family::cliName))),
    STUDENT_WIDTHS("studentWidths", text("same"), orSame(Axis::sizes)),
    STUDENT_ACTIVATION("studentActivation", text("same"), orSame(name(Activation::parse, Activation::cliName))),
    WEIGHTS("weights", text("normal-fan-in"), name(Initialization::parse, Initialization::cliName)),
    INIT("init", text("same"), name(StudentInit::parse, StudentInit::cliName)),
    PERTURBATION("perturbation", DoubleNode.valueOf(0.1), v -> number(v, false)),
    LOSS("loss", text("ce"), name(ImitationSpec.Kind::parse, ImitationSpec.Kind::cliName)),
    TEMPERATURE("temperature", DoubleNode.valueOf(1), v -> number(v, true)),
    DISTILL("distill", IntNode.valueOf(0), v -> integer(v, 0)),
    TRAIT("trait", text("ce"), name(TraitKind::parse, TraitKind::cliName)),
    TRAIT_SAMPLES("traitSamples", IntNode.valueOf(16), v -> integer(v, 1)),
    INPUTS("inputs", text("gaussian"), name(InputDistribution::parse, InputDistribution::cliName)),
    SAMPLES("samples", IntNode.valueOf(64), v -> integer(v, 1)),
    EPSILON("epsilon", DoubleNode.valueOf(1e-4), v -> number(v, false)),
    ALPHA("alpha", DoubleNode.valueOf(0.1), v -> number(v, false)),
    TEACHER_STEPS("teacherSteps", IntNode.valueOf(1), v -> integer(v, 1)),
    STUDENT_STEPS("studentSteps", IntNode.valueOf(1), v -> integer(v, 1)),
    OPTIMIZER("optimizer", text("sgd"), name(OptimizerKind::parse, OptimizerKind::cliName)),
    WEIGHT_DECAY("weightDecay", DoubleNode.valueOf(0), v -> number(v, false)),
    LABELS("labels", text("full"), name(Regime.Labels::parse, Regime.Labels::cliName));

    /** The value of the student axes meaning "as the teacher". */
    public static final String SAME = "same";

    private final String key;
    private final JsonNode defaultValue;
    private final UnaryOperator<JsonNode> normalizer;

    Axis(String key, JsonNode defaultValue, UnaryOperator<JsonNode> normalizer) {
        this.key = key;
        this.defaultValue = defaultValue;
        this.normalizer = normalizer;
    }

    /** The name in grid and result files. */
    public String key() {
        return key;
    }

    /** The value used when a grid does not list this axis. */
    public JsonNode defaultValue() {
        return defaultValue;
    }

    /** The normalized value; throws IllegalArgumentException (without the axis name) if it is invalid. */
    public JsonNode normalize(JsonNode value) {
        return normalizer.apply(value);
    }

    /** The axis with this name. */
    public static Axis of(String key) {
        for (Axis a : values()) {
            if (a.key.equals(key)) {
                return a;
            }
        }
        throw new IllegalArgumentException("unknown axis '" + key + "'; expected one of "
                + Arrays.stream(values()).map(Axis::key).collect(Collectors.joining(", ")));
    }

    private static TextNode text(String s) {
        return TextNode.valueOf(s);
    }

    private static <E> UnaryOperator<JsonNode> name(Function<String, E> parse, Function<E, String> name) {
        return v -> {
            if (!v.isTextual()) {
                throw new IllegalArgumentException("expected a name, got " + v);
            }
            return text(name.apply(parse.apply(v.asText())));
        };
    }

    private static UnaryOperator<JsonNode> orSame(UnaryOperator<JsonNode> other) {
        return v -> v.isTextual() && v.asText().trim().equals(SAME) ? text(SAME) : other.apply(v);
    }

    /** Layer sizes d,h1,...,n given as "4,8,3" or [4, 8, 3]. */
    private static JsonNode sizes(JsonNode v) {
        String[] parts;
        if (v.isTextual()) {
            parts = v.asText().split(",", -1);
        } else if (v.isArray()) {
            parts = new String[v.size()];
            for (int i = 0; i < parts.length; i++) {
                parts[i] = v.get(i).asText();
            }
        } else {
            throw new IllegalArgumentException("expected layer sizes such as \"4,8,3\" or [4, 8, 3], got " + v);
        }
        int[] sizes = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                sizes[i] = Integer.parseInt(parts[i].trim());
            } catch (NumberFormatException e) {
                sizes[i] = 0;
            }
            if (sizes[i] < 1) {
                throw new IllegalArgumentException("layer sizes must be integers ≥ 1, got " + v);
            }
        }
        if (sizes.length < 2) {
            throw new IllegalArgumentException("need at least two layer sizes (inputs, outputs), got " + v);
        }
        return text(Arrays.stream(sizes).mapToObj(Integer::toString).collect(Collectors.joining(",")));
    }

    private static double parseNumber(JsonNode v) {
        if (v.isNumber()) {
            return v.doubleValue();
        }
        if (v.isTextual()) {
            try {
                return Double.parseDouble(v.asText().trim());
            } catch (NumberFormatException e) {
                // reported below
            }
        }
        throw new IllegalArgumentException("expected a number, got " + v);
    }

    private static JsonNode number(JsonNode v, boolean positive) {
        double x = parseNumber(v);
        if (!Double.isFinite(x) || x < 0 || (positive && x == 0)) {
            throw new IllegalArgumentException("expected a finite number " + (positive ? "> 0" : "≥ 0") + ", got " + v);
        }
        return DoubleNode.valueOf(x);
    }

    private static JsonNode integer(JsonNode v, int min) {
        double x = parseNumber(v);
        if (x != Math.rint(x) || x < min || x > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("expected an integer ≥ " + min + ", got " + v);
        }
        return IntNode.valueOf((int) x);
    }
}
