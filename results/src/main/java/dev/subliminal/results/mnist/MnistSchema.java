package dev.subliminal.results.mnist;

import com.fasterxml.jackson.databind.JsonNode;
import dev.subliminal.results.schema.Field;
import dev.subliminal.results.schema.Schema;
import java.util.List;

/**
 * {@value #NAME}: one record per (run, arm) of the MNIST auxiliary-logit experiment, with the
 * arm's test accuracy and, for the students, how their updates align with the teacher's.
 */
public final class MnistSchema {

    /** The schema name. */
    public static final String NAME = "subliminal.mnist/1";

    /** The run, 0-based. */
    public static final Field RUN = Field.integer("run");
    /** The run's seed. */
    public static final Field SEED = Field.integer("seed");
    /** The arm ({@link Arm#key()}). */
    public static final Field ARM = Field.text("arm");
    /** Test accuracy in [0, 1]. */
    public static final Field ACCURACY = Field.number("accuracy");
    /** Students: Δ_S·Δ_T of the first student step against the teacher's total update. */
    public static final Field FIRST_STEP_DOT = Field.numberOrNull("firstStepDot");
    /** Students: cos(Δ_S, Δ_T) of the first step. */
    public static final Field FIRST_STEP_COSINE = Field.numberOrNull("firstStepCosine");
    /** Students: the cosine between the student's cumulative update and the teacher's. */
    public static final Field UPDATE_COSINE = Field.numberOrNull("updateCosine");

    private static final List<Field> STUDENT = List.of(FIRST_STEP_DOT, FIRST_STEP_COSINE, UPDATE_COSINE);

    /** The schema. */
    public static final Schema SCHEMA = Schema.results(NAME, config -> { }, MnistSchema::check);

    private MnistSchema() {
    }

    /** The key of an arm in a run: {@code 3/student-aux}. */
    public static String key(long run, Arm arm) {
        return run + "/" + arm.key();
    }

    private static void check(JsonNode config, JsonNode r) {
        for (Field f : List.of(RUN, SEED, ARM, ACCURACY)) {
            f.check(r);
        }
        long run = RUN.integer(r);
        if (run < 0) {
            throw new IllegalArgumentException("field \"run\" is " + run + ", expected a run ≥ 0");
        }
        Arm arm = Arm.of(ARM.text(r));
        if (!Schema.KEY.text(r).equals(key(run, arm))) {
            throw new IllegalArgumentException("key \"" + dev.subliminal.results.Texts.quote(Schema.KEY.text(r))
                    + "\" does not match run " + run + " and arm " + arm.key());
        }
        double a = ACCURACY.number(r);
        if (!(a >= 0 && a <= 1)) {
            throw new IllegalArgumentException("field \"accuracy\" is " + r.get(ACCURACY.name())
                    + ", expected a number in [0, 1]");
        }
        for (Field f : STUDENT) {
            (arm.student() ? f : f.optional()).check(r);
        }
    }
}
