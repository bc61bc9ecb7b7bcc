package dev.subliminal.experiments.check;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.subliminal.experiments.io.Provenance;
import dev.subliminal.simulation.check.CaseJson;
import dev.subliminal.simulation.check.CheckCase;
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
        root.set("imitationLoss", CaseJson.imitation(setup.imitation()));
        root.set("traitLoss", CaseJson.trait(setup.trait()));
        root.set("studentInputs", CaseJson.tensor(setup.studentInputs()));
        ObjectNode params = root.putObject("parameters");
        ParameterLayout teacher = setup.teacherModel().layout();
        ParameterLayout student = setup.studentModel().layout();
        params.set("theta0", CaseJson.named(teacher, setup.theta0()));
        params.set("deltaT", CaseJson.named(teacher, r.deltaT()));
        params.set("thetaT", CaseJson.named(teacher, r.thetaT()));
        params.set("studentInit", CaseJson.named(student, setup.studentInit()));
        params.set("deltaS", CaseJson.named(student, r.deltaS()));
        params.set("deltaSControl", CaseJson.named(student, r.deltaSControl()));
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
        Kinks kinks = setup.kinks();
        res.putObject("kinks").put("traitInputs", kinks.traitInputs()).put("studentInputs", kinks.studentInputs());
        try {
            return MAPPER.writeValueAsString(root) + "\n";
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize the check record", e);
        }
    }

    private static void number(ObjectNode o, String name, double v) {
        CaseJson.number(o, name, v);
    }
}
