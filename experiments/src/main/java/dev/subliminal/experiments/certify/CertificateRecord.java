package dev.subliminal.experiments.certify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.subliminal.experiments.check.CheckRecord;
import dev.subliminal.experiments.io.Provenance;
import dev.subliminal.simulation.check.CheckCase;
import dev.subliminal.theory.check.CheckSetup;
import dev.subliminal.theory.interval.Interval;
import dev.subliminal.theory.param.ParameterLayout;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The JSON certificate (schema {@value #SCHEMA}, documented in {@code docs/certificate.md}): the
 * inputs as named tensors (θ0, Δ_T, θ_S0, the student's inputs, the losses), the claims with their
 * ranges and enclosures, and a SHA-256 {@code digest} of everything but the provenance, so that an
 * edited file is told apart from one the tool wrote.
 */
public final class CertificateRecord {

    /** Schema identifier written into every certificate. */
    public static final String SCHEMA = dev.subliminal.results.certify.CertifySchema.CERTIFICATE_NAME;

    static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private CertificateRecord() {
    }

    /** The common part of every certificate: provenance, case, model and inputs; claims are added after. */
    public static ObjectNode inputs(CheckCase c, CheckSetup setup, double[] deltaT, String method, String commandLine,
            String[] args) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("schema", SCHEMA);
        root.set("provenance", Provenance.json(MAPPER, args));
        root.put("method", method);
        root.put("commandLine", commandLine);
        root.put("seed", c.seed());
        root.set("config", c.config().toJson());
        root.set("model", c.config().teacher().toJson());
        root.set("imitationLoss", CheckRecord.imitation(setup.imitation()));
        root.set("traitLoss", CheckRecord.trait(setup.trait()));
        root.set("studentInputs", CheckRecord.tensor(setup.studentInputs()));
        ObjectNode params = root.putObject("parameters");
        ParameterLayout layout = setup.teacherModel().layout();
        params.set("theta0", CheckRecord.named(layout, setup.theta0()));
        params.set("deltaT", CheckRecord.named(layout, deltaT));
        params.set("studentInit", CheckRecord.named(layout, setup.studentInit()));
        root.putArray("claims");
        return root;
    }

    /** Appends an interval claim: {@code name}, its statement, ε*, the enclosure and its limit ε → 0. */
    public static ObjectNode addClaim(ObjectNode root, String name, String statement, double epsilonStar,
            Interval enclosure, Interval limit) {
        ObjectNode o = ((ArrayNode) root.get("claims")).addObject();
        o.put("claim", name);
        o.put("statement", statement);
        o.put("certified", epsilonStar > 0);
        CheckRecord.number(o, "epsilonStar", epsilonStar > 0 ? epsilonStar : Double.NaN);
        o.set("enclosure", interval(enclosure));
        o.set("limit", interval(limit));
        return o;
    }

    /** The certificate as text, with its digest. */
    public static String toJson(ObjectNode root) {
        root.remove("digest");
        root.put("digest", digest(root));
        try {
            return MAPPER.writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize the certificate", e);
        }
    }

    /** SHA-256 (hex) of the compact JSON of every field except {@code provenance} and {@code digest}, in file order. */
    public static String digest(JsonNode root) {
        ObjectNode copy = root.deepCopy();
        copy.remove("provenance");
        copy.remove("digest");
        try {
            byte[] text = new ObjectMapper().writeValueAsString(copy).getBytes(StandardCharsets.UTF_8);
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text));
        } catch (JsonProcessingException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot digest the certificate", e);
        }
    }

    private static ArrayNode interval(Interval i) {
        ArrayNode a = MAPPER.createArrayNode();
        for (double x : new double[] {i.lo(), i.hi()}) {
            if (Double.isFinite(x)) {
                a.add(x);
            } else {
                a.addNull();
            }
        }
        return a;
    }
}
