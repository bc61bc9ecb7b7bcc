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
import dev.subliminal.theory.param.ParameterLayout;

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
        CheckSchema.IMITATION_LOSS.set(root, CaseJson.imitation(setup.imitation()));
        CheckSchema.TRAIT_LOSS.set(root, CaseJson.trait(setup.trait()));
        CheckSchema.STUDENT_INPUTS.set(root, CaseJson.tensor(setup.studentInputs()));
        ObjectNode params = CheckSchema.PARAMETERS.putObject(root);
        ParameterLayout teacher = setup.teacherModel().layout();
        ParameterLayout student = setup.studentModel().layout();
        params.set("theta0", CaseJson.named(teacher, setup.theta0()));
        params.set("deltaT", CaseJson.named(teacher, r.deltaT()));
        params.set("thetaT", CaseJson.named(teacher, r.thetaT()));
        params.set("studentInit", CaseJson.named(student, setup.studentInit()));
        params.set("deltaS", CaseJson.named(student, r.deltaS()));
        params.set("deltaSControl", CaseJson.named(student, r.deltaSControl()));
        ObjectNode res = CheckSchema.RESULTS.putObject(root);
        Field.putAll(res, CheckSchema.RESULT_NUMBERS, r.dot(), r.cosine(), r.traitPart(), r.firstOrder(),
                r.absoluteError(), r.relativeError(), r.traitLossBefore(), r.traitLossStudent(), r.traitLossControl());
        CheckSchema.TRAIT_DROPS_BELOW_CONTROL.put(res, r.traitDropsBelowControl());
        CheckSchema.SAME_ARCHITECTURE.put(res, r.sameArchitecture());
        CheckSchema.SAME_INIT.put(res, r.sameInit());
        Kinks kinks = setup.kinks();
        res.putObject("kinks").put("traitInputs", kinks.traitInputs()).put("studentInputs", kinks.studentInputs());
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
}
