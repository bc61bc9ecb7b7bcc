package dev.subliminal.results.check;

import com.fasterxml.jackson.databind.JsonNode;
import dev.subliminal.results.schema.Field;
import dev.subliminal.results.schema.Schema;
import java.util.List;

/**
 * {@value #NAME}: the record of one check ({@code docs/check-record.md}), a single JSON object. Its
 * {@code results} hold the quantities every transmission result reports, which sweep records
 * reuse: Δ_S·Δ_T, cos(Δ_S, Δ_T), the trait part (Δ_S − Δ_S^c)·Δ_T, its first-order prediction and
 * errors, and the trait losses of student and control. Undefined quantities (across
 * architectures) are {@code null}.
 */
public final class CheckSchema {

    /** The schema name. */
    public static final String NAME = "subliminal.check/1";

    /** Δ_S·Δ_T. */
    public static final Field DOT = Field.numberOrNull("dot");
    /** cos(Δ_S, Δ_T). */
    public static final Field COSINE = Field.numberOrNull("cosine");
    /** (Δ_S − Δ_S^c)·Δ_T. */
    public static final Field TRAIT_PART = Field.numberOrNull("traitPart");
    /** ε·E[(J_S Δ_T)ᵀ M (J_0 Δ_T)]. */
    public static final Field FIRST_ORDER = Field.numberOrNull("firstOrder");
    /** |trait part − first order|. */
    public static final Field ABSOLUTE_ERROR = Field.numberOrNull("absoluteError");
    /** |trait part − first order| / |trait part|. */
    public static final Field RELATIVE_ERROR = Field.numberOrNull("relativeError");
    /** L_T(θ_S0). */
    public static final Field TRAIT_LOSS_BEFORE = Field.numberOrNull("traitLossBefore");
    /** L_T(θ_S). */
    public static final Field TRAIT_LOSS_STUDENT = Field.numberOrNull("traitLossStudent");
    /** L_T of the control student. */
    public static final Field TRAIT_LOSS_CONTROL = Field.numberOrNull("traitLossControl");
    /** L_T(θ_S) &lt; L_T(control). */
    public static final Field TRAIT_DROPS_BELOW_CONTROL = Field.bool("traitDropsBelowControl");
    /** Whether student and teacher share an architecture. */
    public static final Field SAME_ARCHITECTURE = Field.bool("sameArchitecture");
    /** Whether the student starts at θ0. */
    public static final Field SAME_INIT = Field.bool("sameInit");

    /** The step size ε (in the record's configuration, and in sweep records). */
    public static final Field EPSILON = Field.number("epsilon");
    /** The student's step size α (in sweep records). */
    public static final Field ALPHA = Field.number("alpha");

    /** The command line that replays the check. */
    public static final Field COMMAND_LINE = Field.text("commandLine");
    /** The seed. */
    public static final Field SEED = Field.integer("seed");
    /** The imitation loss ℓ. */
    public static final Field IMITATION_LOSS = Field.object("imitationLoss");
    /** The trait loss L_T and its data. */
    public static final Field TRAIT_LOSS = Field.object("traitLoss");
    /** The student's inputs as a tensor. */
    public static final Field STUDENT_INPUTS = Field.object("studentInputs");
    /** θ0, Δ_T, θ_T, θ_S0, Δ_S, Δ_S^c as named tensors. */
    public static final Field PARAMETERS = Field.object("parameters");
    /**
     * In the configuration of a check run on a data file ({@code --data FILE}): the file as given and
     * the SHA-256 of its bytes; the configuration's {@code inputs} is then {@value #INPUTS_FROM_FILE}
     * and its {@code samples} the file's number of rows.
     */
    public static final Field DATA = Field.object("data").optional();
    /** In {@link #DATA}: the file as given on the command line. */
    public static final Field DATA_FILE = Field.text("file");
    /** In {@link #DATA}: the SHA-256 of the file's bytes, in hex. */
    public static final Field DATA_SHA256 = Field.text("sha256");
    /** The {@code inputs} of a configuration whose student inputs came from a data file. */
    public static final String INPUTS_FROM_FILE = "file";

    /** The results: every quantity of {@link #RESULTS_FIELDS}. */
    public static final Field RESULTS = Field.object("results");

    /** The numbers of {@link #RESULTS}, in the order they are written (the three booleans follow). */
    public static final List<Field> RESULT_NUMBERS = List.of(DOT, COSINE, TRAIT_PART, FIRST_ORDER, ABSOLUTE_ERROR,
            RELATIVE_ERROR, TRAIT_LOSS_BEFORE, TRAIT_LOSS_STUDENT, TRAIT_LOSS_CONTROL);

    /** The fields of {@link #RESULTS}, in the order they are written. */
    public static final List<Field> RESULTS_FIELDS = List.of(DOT, COSINE, TRAIT_PART, FIRST_ORDER, ABSOLUTE_ERROR,
            RELATIVE_ERROR, TRAIT_LOSS_BEFORE, TRAIT_LOSS_STUDENT, TRAIT_LOSS_CONTROL, TRAIT_DROPS_BELOW_CONTROL,
            SAME_ARCHITECTURE, SAME_INIT);

    /** The schema. */
    public static final Schema SCHEMA = Schema.single(NAME, CheckSchema::check);

    private CheckSchema() {
    }

    private static void check(JsonNode record) {
        for (Field f : List.of(Schema.CONFIG, COMMAND_LINE, SEED, RESULTS)) {
            f.check(record);
        }
        JsonNode config = Schema.CONFIG.object(record);
        EPSILON.check(config, "config.");
        DATA.check(config, "config.");
        JsonNode data = DATA.object(config);
        if (data != null) {
            DATA_FILE.check(data, "config.data.");
            DATA_SHA256.check(data, "config.data.");
        }
        JsonNode results = RESULTS.object(record);
        RESULTS_FIELDS.forEach(f -> f.check(results, "results."));
    }
}
