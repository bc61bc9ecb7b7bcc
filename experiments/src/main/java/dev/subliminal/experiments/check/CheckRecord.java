package dev.subliminal.experiments.check;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.subliminal.experiments.io.Provenance;
import dev.subliminal.simulation.check.CheckCase;
import dev.subliminal.theory.check.CheckResult;
import dev.subliminal.theory.check.CheckSetup;
import dev.subliminal.theory.loss.CrossEntropyTrait;
import dev.subliminal.theory.loss.ImitationLoss;
import dev.subliminal.theory.loss.SoftCrossEntropy;
import dev.subliminal.theory.loss.SquaredErrorTrait;
import dev.subliminal.theory.loss.TraitLoss;
import dev.subliminal.theory.loss.WeightedSquaredError;
import dev.subliminal.theory.model.Batch;
import dev.subliminal.theory.param.ParameterLayout;
import dev.subliminal.theory.param.TensorSpec;
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

    /** The imitation loss ℓ as in the record's {@code imitationLoss}. */
    public static ObjectNode imitation(ImitationLoss loss) {
        ObjectNode o = MAPPER.createObjectNode();
        if (loss instanceof WeightedSquaredError w) {
            o.put("kind", "mse");
            ArrayNode ws = o.putArray("weights");
            for (double x : w.weights()) {
                ws.add(x);
            }
        } else if (loss instanceof SoftCrossEntropy ce) {
            o.put("kind", "ce");
            o.put("temperature", ce.temperature());
            int[] logits = ce.logits();
            if (logits == null) {
                o.putNull("logits");
            } else {
                ArrayNode idx = o.putArray("logits");
                for (int k : logits) {
                    idx.add(k);
                }
            }
        } else {
            throw new IllegalArgumentException("no record format for imitation loss " + loss.describe());
        }
        return o;
    }

    /** The trait loss as in the record's {@code traitLoss}. */
    public static ObjectNode trait(TraitLoss t) {
        ObjectNode o = MAPPER.createObjectNode();
        if (t instanceof CrossEntropyTrait ce) {
            o.put("kind", "ce");
            o.set("inputs", tensor(ce.inputs()));
            ArrayNode labels = o.putArray("labels");
            for (int l : ce.labels()) {
                labels.add(l);
            }
        } else if (t instanceof SquaredErrorTrait se) {
            o.put("kind", "mse");
            o.set("inputs", tensor(se.inputs()));
            o.set("targets", tensor(se.targets()));
        } else {
            throw new IllegalArgumentException("no record format for trait loss " + t.describe());
        }
        return o;
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
