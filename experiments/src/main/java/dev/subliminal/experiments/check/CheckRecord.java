package dev.subliminal.experiments.check;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.subliminal.experiments.io.DataFiles;
import dev.subliminal.experiments.io.Provenance;
import dev.subliminal.results.check.CheckSchema;
import dev.subliminal.results.schema.Field;
import dev.subliminal.results.schema.Schema;
import dev.subliminal.simulation.check.CheckCase;
import dev.subliminal.simulation.check.CheckConfig;
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
    public static final String SCHEMA = CheckSchema.NAME;

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private CheckRecord() {
    }

    /**
     * The record as pretty-printed JSON text; {@code data} is the data set the student inputs came
     * from ({@code --data}), or null when they were drawn.
     */
    public static String toJson(CheckCase c, CheckSetup setup, CheckResult r, String commandLine,
            DataFiles.DataSet data, String[] args) {
        ObjectNode root = MAPPER.createObjectNode();
        Schema.NAME.put(root, SCHEMA);
        Schema.PROVENANCE.set(root, Provenance.json(MAPPER, args));
        CheckSchema.COMMAND_LINE.put(root, commandLine);
        CheckSchema.SEED.put(root, c.seed());
        Schema.CONFIG.set(root, config(c, data));
        CheckSchema.IMITATION_LOSS.set(root, imitation(setup.imitation()));
        CheckSchema.TRAIT_LOSS.set(root, trait(setup.trait()));
        CheckSchema.STUDENT_INPUTS.set(root, tensor(setup.studentInputs()));
        ObjectNode params = CheckSchema.PARAMETERS.putObject(root);
        ParameterLayout teacher = setup.teacherModel().layout();
        ParameterLayout student = setup.studentModel().layout();
        params.set("theta0", named(teacher, setup.theta0()));
        params.set("deltaT", named(teacher, r.deltaT()));
        params.set("thetaT", named(teacher, r.thetaT()));
        params.set("studentInit", named(student, setup.studentInit()));
        params.set("deltaS", named(student, r.deltaS()));
        params.set("deltaSControl", named(student, r.deltaSControl()));
        ObjectNode res = CheckSchema.RESULTS.putObject(root);
        Field.putAll(res, CheckSchema.RESULT_NUMBERS, r.dot(), r.cosine(), r.traitPart(), r.firstOrder(),
                r.absoluteError(), r.relativeError(), r.traitLossBefore(), r.traitLossStudent(), r.traitLossControl());
        CheckSchema.TRAIT_DROPS_BELOW_CONTROL.put(res, r.traitDropsBelowControl());
        CheckSchema.SAME_ARCHITECTURE.put(res, r.sameArchitecture());
        CheckSchema.SAME_INIT.put(res, r.sameInit());
        try {
            return MAPPER.writeValueAsString(root) + "\n";
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize the check record", e);
        }
    }

    /**
     * The configuration that was run: the case's settings, and with a data set its real number of
     * rows as {@code samples}, {@value CheckSchema#INPUTS_FROM_FILE} as {@code inputs}, and the file
     * with its SHA-256 as {@code data}.
     */
    public static ObjectNode config(CheckCase c, DataFiles.DataSet data) {
        ObjectNode config = c.config().toJson();
        if (data != null) {
            config.put(CheckConfig.SAMPLES.key(), data.batch().rows());
            config.put(CheckConfig.INPUTS.key(), CheckSchema.INPUTS_FROM_FILE);
            ObjectNode d = CheckSchema.DATA.putObject(config);
            CheckSchema.DATA_FILE.put(d, data.file().toString());
            CheckSchema.DATA_SHA256.put(d, data.sha256());
        }
        return config;
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
