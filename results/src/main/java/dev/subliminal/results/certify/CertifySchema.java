package dev.subliminal.results.certify;

import com.fasterxml.jackson.databind.JsonNode;
import dev.subliminal.results.schema.Field;
import dev.subliminal.results.schema.Schema;
import java.util.List;

/**
 * {@value #NAME}: a batch of certified cases, one record per case; and certificates
 * ({@value #CERTIFICATE_PREFIX}..., single records) as far as reports read them: their largest
 * certified step size ε*.
 */
public final class CertifySchema {

    /** The schema name of certify batches. */
    public static final String NAME = "subliminal.certify/1";
    /** The schema names of certificates start with this. */
    public static final String CERTIFICATE_PREFIX = "subliminal.certificate";
    /** The schema name of the certificates the toolkit writes now. */
    public static final String CERTIFICATE_NAME = CERTIFICATE_PREFIX + "/1";

    /** The case's index in the batch; its key is this number. */
    public static final Field CASE = Field.integer("case");
    /** The case's seed. */
    public static final Field SEED = Field.integer("seed");
    /** The {@code check} line that replays the case. */
    public static final Field COMMAND_LINE = Field.text("commandLine");
    /** Whether a range (0, ε*] was certified. */
    public static final Field CERTIFIED = Field.bool("certified");
    /** ε*, the largest certified ε; null if none. */
    public static final Field EPSILON_STAR = Field.numberOrNull("epsilonStar");
    /** The claim certified. */
    public static final Field CLAIM = Field.text("claim");
    /** The case's activation. */
    public static final Field ACTIVATION = Field.text("activation");
    /** p, the number of parameters. */
    public static final Field PARAMETERS = Field.integer("parameters");
    /** The double-precision (Δ_S − Δ_S^c)·Δ_T at the case's ε; null if undefined. */
    public static final Field TRAIT_PART = Field.numberOrNull("traitPart");

    private static final List<Field> FIELDS = List.of(CASE, SEED, COMMAND_LINE, CERTIFIED, EPSILON_STAR, CLAIM,
            ACTIVATION, PARAMETERS, TRAIT_PART);

    /** Certify batches. */
    public static final Schema SCHEMA = Schema.results(NAME, config -> { }, CertifySchema::check);

    /** A certificate's claims: each certified or not, with its ε* unless it holds for every ε. */
    public static final Field CLAIMS = Field.array("claims");

    /** Certificates, as reports read them: their {@code claims}. */
    public static final Schema CERTIFICATE = Schema.singleFamily(CERTIFICATE_PREFIX, CertifySchema::checkCertificate);

    private CertifySchema() {
    }

    /** The key of case {@code i}. */
    public static String key(long i) {
        return Long.toString(i);
    }

    private static void checkCertificate(JsonNode r) {
        CLAIMS.check(r);
        JsonNode claims = CLAIMS.node(r);
        if (claims.isEmpty()) {
            throw new IllegalArgumentException("field \"claims\" is empty, expected at least one claim");
        }
        for (int i = 0; i < claims.size(); i++) {
            JsonNode c = claims.get(i);
            if (!c.isObject()) {
                throw new IllegalArgumentException("claims[" + i + "] is " + c + ", expected an object");
            }
            CERTIFIED.check(c, "claims[" + i + "].");
            if (c.has(EPSILON_STAR.name())) {
                EPSILON_STAR.check(c, "claims[" + i + "].");
            }
        }
    }

    private static void check(JsonNode config, JsonNode r) {
        FIELDS.forEach(f -> f.check(r));
        long i = CASE.integer(r);
        if (i < 0) {
            throw new IllegalArgumentException("field \"case\" is " + i + ", expected an index ≥ 0");
        }
        if (!Schema.KEY.text(r).equals(key(i))) {
            throw new IllegalArgumentException("key \"" + Schema.KEY.text(r) + "\" does not match case " + i);
        }
        if (CERTIFIED.bool(r) && !(EPSILON_STAR.number(r) > 0)) {
            throw new IllegalArgumentException("field \"epsilonStar\" is " + r.get(EPSILON_STAR.name())
                    + " but the case is certified: expected a positive number");
        }
    }
}
