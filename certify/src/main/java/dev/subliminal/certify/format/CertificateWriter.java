package dev.subliminal.certify.format;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.subliminal.certify.Certification;
import dev.subliminal.certify.ClaimKind;
import dev.subliminal.certify.ExactAffineProof;
import dev.subliminal.certify.ExactCertification;
import dev.subliminal.certify.CertifiedRange;
import dev.subliminal.simulation.check.CaseJson;
import dev.subliminal.simulation.check.CheckCase;
import dev.subliminal.theory.check.CheckSetup;
import dev.subliminal.theory.interval.Interval;
import dev.subliminal.theory.param.ParameterLayout;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.apache.commons.numbers.fraction.BigFraction;

/**
 * Writes the JSON certificate (schema {@value #SCHEMA}, documented in {@code docs/certificate.md}):
 * the case (seed, configuration, model, losses, the student's inputs and θ0, Δ_T, θ_S0 as named
 * tensors), the claims with their ranges and enclosures, and a SHA-256 {@code digest} of everything
 * but the provenance, so that an edited file is told apart from one the tool wrote. Claim names and
 * statements come from {@link ClaimKind}, which the verifier derives again from the data.
 */
public final class CertificateWriter {

    /** Schema identifier written into every certificate. */
    public static final String SCHEMA = dev.subliminal.results.certify.CertifySchema.CERTIFICATE_NAME;

    /** {@code method} of interval certificates. */
    public static final String INTERVAL = "interval";

    /** {@code method} of exact certificates. */
    public static final String EXACT = "exact";

    static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private CertificateWriter() {
    }

    /**
     * The interval certificate of a certification: the trait-carrying part's claim and, when it was
     * certified at the same init, the trait loss's.
     *
     * @param commandLine the {@code check} command line that replays the case
     * @param provenance the provenance object (not covered by the digest)
     */
    public static ObjectNode interval(Certification c, String commandLine, ObjectNode provenance) {
        ObjectNode root = inputs(c.checkCase(), c.setup(), c.deltaT(), INTERVAL, commandLine, provenance);
        double alpha = c.setup().alpha();
        boolean same = c.setup().sameInit();
        addClaim(root, ClaimKind.TRAIT_PART, ClaimKind.TRAIT_PART.statement(same, alpha), c.traitPart());
        if (c.traitLoss() != null) {
            addClaim(root, ClaimKind.TRAIT_LOSS, ClaimKind.TRAIT_LOSS.statement(same, alpha), c.traitLoss())
                    .put("alpha", alpha);
        }
        return root;
    }

    /** The exact certificate of an affine model with squared error. */
    public static ObjectNode exact(ExactCertification e, String commandLine, ObjectNode provenance) {
        CheckSetup s = e.setup();
        ObjectNode root = inputs(e.checkCase(), s, e.check().deltaT(), EXACT, commandLine, provenance);
        ExactAffineProof p = e.proof();
        ObjectNode c = claims(root).addObject();
        c.put("claim", ClaimKind.EXACT.id());
        c.put("statement", ClaimKind.EXACT.statement(s.sameInit(), s.alpha()));
        c.put("certified", p.quadraticForm().signum() > 0);
        c.set("quadraticForm", fraction(p.quadraticForm()));
        c.put("quadraticFormDecimal", ExactAffineProof.decimal(p.quadraticForm(), ClaimKind.DECIMAL_DIGITS).toString());
        c.put("epsilon", s.epsilon());
        c.set("traitPart", fraction(p.traitPart()));
        c.set("dot", fraction(p.dot()));
        c.put("doubleTraitPart", e.check().traitPart());
        c.put("doubleDot", e.check().dot());
        c.put("doubleErrorBound", e.errorBound());
        return root;
    }

    /**
     * The case part of every certificate: schema, provenance, method, command line, seed,
     * configuration, model, losses, student inputs and parameters, then an empty {@code claims}.
     */
    public static ObjectNode inputs(CheckCase c, CheckSetup setup, double[] deltaT, String method, String commandLine,
            ObjectNode provenance) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("schema", SCHEMA);
        root.set("provenance", provenance);
        root.put("method", method);
        root.put("commandLine", commandLine);
        root.put("seed", c.seed());
        root.set("config", c.config().toJson());
        root.set("model", c.config().teacher().toJson());
        root.set("imitationLoss", CaseJson.imitation(setup.imitation()));
        root.set("traitLoss", CaseJson.trait(setup.trait()));
        root.set("studentInputs", CaseJson.tensor(setup.studentInputs()));
        ObjectNode params = root.putObject("parameters");
        ParameterLayout layout = setup.teacherModel().layout();
        params.set("theta0", CaseJson.named(layout, setup.theta0()));
        params.set("deltaT", CaseJson.named(layout, deltaT));
        params.set("studentInit", CaseJson.named(layout, setup.studentInit()));
        root.putArray("claims");
        return root;
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

    /** A fraction as {@code {"numerator", "denominator"}} decimal strings, reduced, denominator > 0. */
    public static ObjectNode fraction(BigFraction f) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("numerator", f.getNumerator().toString());
        o.put("denominator", f.getDenominator().toString());
        return o;
    }

    /** An interval claim: name, statement, whether a range was certified, ε*, the enclosure and the limit. */
    private static ObjectNode addClaim(ObjectNode root, ClaimKind kind, String statement, CertifiedRange r) {
        ObjectNode o = claims(root).addObject();
        o.put("claim", kind.id());
        o.put("statement", statement);
        o.put("certified", r.certified());
        CaseJson.number(o, "epsilonStar", r.certified() ? r.epsilon() : Double.NaN);
        o.set("enclosure", interval(r.enclosure()));
        o.set("limit", interval(r.limit()));
        return o;
    }

    private static ArrayNode claims(ObjectNode root) {
        return (ArrayNode) root.get("claims");
    }

    /** [lo, hi], an infinite end as null. */
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
