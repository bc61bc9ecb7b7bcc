package dev.subliminal.experiments.check;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.subliminal.experiments.io.Provenance;
import dev.subliminal.simulation.check.CheckCase;
import dev.subliminal.theory.check.CheckResult;
import dev.subliminal.theory.check.CheckSetup;
import dev.subliminal.theory.loss.ImitationLoss;
import dev.subliminal.theory.loss.TraitLoss;
import dev.subliminal.theory.model.Batch;
import dev.subliminal.theory.param.ParameterLayout;
import dev.subliminal.theory.param.TensorSpec;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * The JSON record of one check (schema {@value #SCHEMA}, documented in {@code docs/check-record.md}):
 * configuration, seed, provenance, every parameter vector as named tensors in PyTorch's layout, the
 * student's inputs, the trait data and the results. Doubles are written in their shortest exact
 * decimal form, so every number can be recomputed with another framework; NaN is written as null.
 */
public final class CheckRecord {

    /** Schema identifier written into every record. */
    public static final String SCHEMA = "subliminal.check/1";

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private CheckRecord() {
    }

    /** The record as pretty-printed JSON text. */
    public static String toJson(CheckCase c, CheckSetup setup, CheckResult r, String commandLine, String[] args) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("schema", SCHEMA);
        root.set("provenance", Provenance.json(MAPPER, args));
        root.put("commandLine", commandLine);
        root.put("seed", c.seed());
        root.set("config", c.config().toJson());
        root.set("imitationLoss", imitation(setup.imitation()));
        root.set("traitLoss", trait(setup.trait()));
        root.set("studentInputs", tensor(setup.studentInputs()));
        ObjectNode params = root.putObject("parameters");
        ParameterLayout teacher = setup.teacherModel().layout();
        ParameterLayout student = setup.studentModel().layout();
        params.set("theta0", named(teacher, setup.theta0()));
        params.set("deltaT", named(teacher, r.deltaT()));
        params.set("thetaT", named(teacher, r.thetaT()));
        params.set("studentInit", named(student, setup.studentInit()));
        params.set("deltaS", named(student, r.deltaS()));
        params.set("deltaSControl", named(student, r.deltaSControl()));
        ObjectNode res = root.putObject("results");
        number(res, "dot", r.dot());
        number(res, "cosine", r.cosine());
        number(res, "traitPart", r.traitPart());
        number(res, "firstOrder", r.firstOrder());
        number(res, "absoluteError", r.absoluteError());
        number(res, "relativeError", r.relativeError());
        number(res, "traitLossBefore", r.traitLossBefore());
        number(res, "traitLossStudent", r.traitLossStudent());
        number(res, "traitLossControl", r.traitLossControl());
        res.put("traitDropsBelowControl", r.traitDropsBelowControl());
        res.put("sameArchitecture", r.sameArchitecture());
        res.put("sameInit", r.sameInit());
        try {
            return MAPPER.writeValueAsString(root) + "\n";
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize the check record", e);
        }
    }

    /** The imitation loss ℓ as in the record's {@code imitationLoss}: its {@link ImitationLoss#record()}. */
    public static ObjectNode imitation(ImitationLoss loss) {
        return (ObjectNode) json(loss.record());
    }

    /** The trait loss as in the record's {@code traitLoss}: its {@link TraitLoss#record()}. */
    public static ObjectNode trait(TraitLoss t) {
        return (ObjectNode) json(t.record());
    }

    /** A record value as JSON: maps and lists in order, arrays, batches as tensors, NaN and infinities as null. */
    private static JsonNode json(Object v) {
        if (v == null) {
            return MAPPER.nullNode();
        } else if (v instanceof Map<?, ?> m) {
            ObjectNode o = MAPPER.createObjectNode();
            m.forEach((k, x) -> o.set((String) k, json(x)));
            return o;
        } else if (v instanceof List<?> l) {
            ArrayNode a = MAPPER.createArrayNode();
            l.forEach(x -> a.add(json(x)));
            return a;
        } else if (v instanceof Batch b) {
            return tensor(b);
        } else if (v instanceof int[] ints) {
            ArrayNode a = MAPPER.createArrayNode();
            for (int x : ints) {
                a.add(x);
            }
            return a;
        } else if (v instanceof double[] doubles) {
            ArrayNode a = MAPPER.createArrayNode();
            for (double x : doubles) {
                a.add(x);
            }
            return a;
        } else if (v instanceof Double d) {
            return Double.isFinite(d) ? MAPPER.getNodeFactory().numberNode(d) : MAPPER.nullNode();
        } else if (v instanceof Integer i) {
            return MAPPER.getNodeFactory().numberNode(i);
        } else if (v instanceof Long l) {
            return MAPPER.getNodeFactory().numberNode(l);
        } else if (v instanceof Boolean b) {
            return MAPPER.getNodeFactory().booleanNode(b);
        } else if (v instanceof String s) {
            return MAPPER.getNodeFactory().textNode(s);
        }
        throw new IllegalArgumentException("no JSON form for a record value of " + v.getClass().getSimpleName());
    }

    /** θ as named tensors in PyTorch's layout. */
    public static ObjectNode named(ParameterLayout layout, double[] theta) {
        ObjectNode o = MAPPER.createObjectNode();
        Map<String, double[]> split = layout.split(theta);
        for (TensorSpec t : layout.tensors()) {
            o.set(t.name(), tensor(t.shape(), split.get(t.name())));
        }
        return o;
    }

    /** A batch as a tensor {@code {"shape": [rows, cols], "data": [...]}}. */
    public static ObjectNode tensor(Batch b) {
        return tensor(new int[] {b.rows(), b.cols()}, b.data());
    }

    private static ObjectNode tensor(int[] shape, double[] data) {
        ObjectNode o = MAPPER.createObjectNode();
        ArrayNode s = o.putArray("shape");
        for (int d : shape) {
            s.add(d);
        }
        ArrayNode values = o.putArray("data");
        for (double x : data) {
            values.add(x);
        }
        return o;
    }

    /** Puts a double, or null for NaN and infinities. */
    public static void number(ObjectNode o, String name, double v) {
        if (Double.isFinite(v)) {
            o.put(name, v);
        } else {
            o.putNull(name);
        }
    }
}
