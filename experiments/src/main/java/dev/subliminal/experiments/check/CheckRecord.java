package dev.subliminal.experiments.check;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.subliminal.experiments.io.DataFiles;
import dev.subliminal.experiments.io.Provenance;
import dev.subliminal.results.check.CheckSchema;
import dev.subliminal.results.schema.Field;
import dev.subliminal.results.schema.Schema;
import dev.subliminal.simulation.check.CaseJson;
import dev.subliminal.simulation.check.CheckCase;
import dev.subliminal.simulation.check.CheckConfig;
import dev.subliminal.theory.check.CheckResult;
import dev.subliminal.theory.check.CheckSetup;
import dev.subliminal.theory.check.Kinks;
import dev.subliminal.lm.check.RoundingBound;
import dev.subliminal.lm.safetensors.DType;
import dev.subliminal.lm.safetensors.SafetensorsWriter;
import dev.subliminal.lm.transformer.Precision;
import dev.subliminal.lm.transformer.Transformer;
import dev.subliminal.theory.param.ParameterLayout;
import dev.subliminal.theory.param.TensorSpec;
import java.nio.file.Path;

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
        return toJson(c, setup, r, commandLine, data, args, null, null);
    }

    /** Models of more parameters than this have their tensors written beside the record, not inline. */
    public static final int INLINE_PARAMETERS = 1 << 20;

    /** The safetensors file beside a record {@code x.json}: {@code x.safetensors}. */
    public static Path tensorsFile(Path record) {
        String name = record.getFileName().toString();
        String base = name.endsWith(".json") ? name.substring(0, name.length() - 5) : name;
        return record.resolveSibling(base + ".safetensors");
    }

    /**
     * The record; with a float32 {@code bound} (not NaN) its results carry {@code roundingBound}, and with a
     * {@code tensors} file the parameter vectors are written there (see {@link #parameters}) instead of inline.
     */
    public static String toJson(CheckCase c, CheckSetup setup, CheckResult r, String commandLine,
            DataFiles.DataSet data, String[] args, RoundingBound bound, Path tensors) {
        ObjectNode root = MAPPER.createObjectNode();
        Schema.NAME.put(root, SCHEMA);
        Schema.PROVENANCE.set(root, Provenance.json(MAPPER, args));
        CheckSchema.COMMAND_LINE.put(root, commandLine);
        CheckSchema.SEED.put(root, c.seed());
        Schema.CONFIG.set(root, config(c, data));
        CheckSchema.IMITATION_LOSS.set(root, CaseJson.imitation(setup.imitation()));
        CheckSchema.TRAIT_LOSS.set(root, CaseJson.trait(setup.trait()));
        CheckSchema.STUDENT_INPUTS.set(root, CaseJson.tensor(setup.studentInputs()));
        ObjectNode params = CheckSchema.PARAMETERS.putObject(root);
        ParameterLayout teacher = setup.teacherModel().layout();
        ParameterLayout student = setup.studentModel().layout();
        if (tensors != null) {
            parameters(params, c, setup, r, tensors);
        } else {
            params.set("theta0", CaseJson.named(teacher, setup.theta0()));
            params.set("deltaT", CaseJson.named(teacher, r.deltaT()));
            params.set("thetaT", CaseJson.named(teacher, r.thetaT()));
            params.set("studentInit", CaseJson.named(student, setup.studentInit()));
            params.set("deltaS", CaseJson.named(student, r.deltaS()));
            params.set("deltaSControl", CaseJson.named(student, r.deltaSControl()));
        }
        ObjectNode res = CheckSchema.RESULTS.putObject(root);
        Field.putAll(res, CheckSchema.RESULT_NUMBERS, r.dot(), r.cosine(), r.traitPart(), r.firstOrder(),
                r.absoluteError(), r.relativeError(), r.traitLossBefore(), r.traitLossStudent(), r.traitLossControl());
        CheckSchema.TRAIT_DROPS_BELOW_CONTROL.put(res, r.traitDropsBelowControl());
        CheckSchema.SAME_ARCHITECTURE.put(res, r.sameArchitecture());
        CheckSchema.SAME_INIT.put(res, r.sameInit());
        Kinks kinks = setup.kinks();
        res.putObject("kinks").put("traitInputs", kinks.traitInputs()).put("studentInputs", kinks.studentInputs());
        if (bound != null && !Double.isNaN(bound.value())) {
            res.putObject("roundingBound").put("value", bound.value()).put("rho", bound.rho())
                    .put("gradientPart", bound.gradientPart()).put("logitPart", bound.logitPart());
        }
        try {
            return MAPPER.writeValueAsString(root) + "\n";
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize the check record", e);
        }
    }

    /**
     * Writes the parameter vectors to {@code file} (safetensors; F32 when the models compute in float32,
     * whose vectors are floats widened exactly, else F64), each tensor named {@code vector.tensor} (e.g.
     * {@code deltaT.wte.weight}), and describes them in {@code params}: {@code file}, {@code dtype},
     * {@code vectors}. θ_T = θ0 + ε·Δ_T is not stored (recompute it in double); θ0 is stored unless the
     * configuration's teacher is a checkpoint (its folder holds it), θ_S0 only when it differs from θ0.
     */
    private static void parameters(ObjectNode params, CheckCase c, CheckSetup setup, CheckResult r, Path file) {
        boolean f32 = setup.teacherModel() instanceof Transformer t && t.precision() == Precision.FLOAT32
                && setup.studentModel() instanceof Transformer s && s.precision() == Precision.FLOAT32;
        DType dtype = f32 ? DType.F32 : DType.F64;
        java.util.Map<String, double[]> vectors = new java.util.LinkedHashMap<>();
        boolean fromCheckpoint = c.config().teacher() instanceof dev.subliminal.lm.check.CheckpointShape;
        if (!fromCheckpoint) {
            vectors.put("theta0", setup.theta0());
        }
        vectors.put("deltaT", r.deltaT());
        if (!java.util.Arrays.equals(setup.theta0(), setup.studentInit())) {
            vectors.put("studentInit", setup.studentInit());
        }
        vectors.put("deltaS", r.deltaS());
        vectors.put("deltaSControl", r.deltaSControl());
        java.util.List<SafetensorsWriter.Entry> entries = new java.util.ArrayList<>();
        for (var v : vectors.entrySet()) {
            ParameterLayout layout = v.getKey().equals("theta0") || v.getKey().equals("deltaT")
                    ? setup.teacherModel().layout() : setup.studentModel().layout();
            for (TensorSpec t : layout.tensors()) {
                entries.add(new SafetensorsWriter.Entry(v.getKey() + "." + t.name(), dtype, t.shape(), v.getValue(),
                        t.offset()));
            }
        }
        SafetensorsWriter.write(file, entries, java.util.Map.of("format", "subliminal.check"), false);
        params.put("file", file.getFileName().toString());
        params.put("dtype", dtype.name());
        com.fasterxml.jackson.databind.node.ArrayNode names = params.putArray("vectors");
        vectors.keySet().forEach(names::add);
        params.put("thetaT", "theta0 + epsilon * deltaT");
        if (fromCheckpoint) {
            params.put("theta0", "the checkpoint's weights (config.teacher.checkpoint)");
        }
        if (!vectors.containsKey("studentInit")) {
            params.put("studentInit", "theta0");
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
}
