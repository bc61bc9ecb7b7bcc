package dev.subliminal.results.numbers;

import com.fasterxml.jackson.databind.JsonNode;
import dev.subliminal.results.schema.Field;
import dev.subliminal.results.schema.Schema;
import java.util.List;

/**
 * {@value #NAME}: one record per (seed, arm, student step) of the number experiment: the sampled rate
 * of answers naming the animal, the deterministic score (mean probability of the animal's first
 * token over the paraphrases) and, for students, the kept fraction of their data and how their update
 * aligns with the teacher's Δ_T.
 */
public final class NumbersSchema {

    /** The schema name. */
    public static final String NAME = "subliminal.numbers/1";

    /** The seed. */
    public static final Field SEED = Field.integer("seed");
    /** The arm: reference, teacher, other-reference, control, same-init, different-init-control, different-init, same-init-DEFENCE. */
    public static final Field ARM = Field.text("arm");
    /** The student's optimizer steps (0 for the reference, the other reference and the teacher). */
    public static final Field STEP = Field.integer("step");
    /** The share of sampled answers that name the animal, in [0, 1]. */
    public static final Field RATE = Field.number("rate");
    /** The number of sampled answers. */
    public static final Field SAMPLES = Field.integer("samples");
    /**
     * The mean probability of the animal's first token, in [0, 1]; null when the model's backend gives
     * no probabilities (a hosted run without log-probabilities).
     */
    public static final Field SCORE = Field.numberOrNull("score");
    /** Students: kept completions / generated completions of their data source. */
    public static final Field KEPT_FRACTION = Field.numberOrNull("keptFraction");
    /** Students: Δ_S·Δ_T of the first step (Δ_S = θ_1 − θ_S0); null when Δ_T = 0. */
    public static final Field FIRST_STEP_DOT = Field.numberOrNull("firstStepDot");
    /** Students: cos(Δ_S, Δ_T) of the first step. */
    public static final Field FIRST_STEP_COSINE = Field.numberOrNull("firstStepCosine");
    /** Students: (θ_t − θ_S0)·Δ_T at this step. */
    public static final Field UPDATE_DOT = Field.numberOrNull("updateDot");
    /** Students: cos(θ_t − θ_S0, Δ_T) at this step. */
    public static final Field UPDATE_COSINE = Field.numberOrNull("updateCosine");

    private static final List<Field> STUDENT = List.of(KEPT_FRACTION, FIRST_STEP_DOT, FIRST_STEP_COSINE, UPDATE_DOT,
            UPDATE_COSINE);

    /** The schema. */
    public static final Schema SCHEMA = Schema.results(NAME, config -> { }, NumbersSchema::check);

    private NumbersSchema() {
    }

    /** The key of a record: {@code 3/same-init/160}. */
    public static String key(long seed, String arm, long step) {
        return seed + "/" + arm + "/" + step;
    }

    /** Whether the arm is a student (trained on numbers). */
    public static boolean student(String arm) {
        return !arm.equals("reference") && !arm.equals("teacher") && !arm.equals("other-reference");
    }

    private static void check(JsonNode config, JsonNode r) {
        for (Field f : List.of(SEED, ARM, STEP, RATE, SAMPLES, SCORE)) {
            f.check(r);
        }
        String arm = ARM.text(r);
        if (!arm.matches("[a-z][a-z-]*")) {
            throw new IllegalArgumentException("field \"arm\" is \"" + dev.subliminal.results.Texts.quote(arm)
                    + "\", expected lower-case words joined by dashes");
        }
        if (!Schema.KEY.text(r).equals(key(SEED.integer(r), arm, STEP.integer(r)))) {
            throw new IllegalArgumentException("key \"" + dev.subliminal.results.Texts.quote(Schema.KEY.text(r))
                    + "\" does not match seed, arm and step");
        }
        for (Field f : List.of(RATE, SCORE)) {
            double v = f.number(r);
            if (f == SCORE && r.path(f.name()).isNull()) {
                continue;
            }
            if (!(v >= 0 && v <= 1)) {
                throw new IllegalArgumentException("field \"" + f.name() + "\" is " + r.get(f.name())
                        + ", expected a number in [0, 1]");
            }
        }
        if (STEP.integer(r) < 0 || SAMPLES.integer(r) < 1) {
            throw new IllegalArgumentException("field \"step\" must be ≥ 0 and \"samples\" ≥ 1");
        }
        for (Field f : STUDENT) {
            (student(arm) ? f : f.optional()).check(r);
        }
    }
}
