package dev.subliminal.results.leakage;

import com.fasterxml.jackson.databind.JsonNode;
import dev.subliminal.results.schema.Field;
import dev.subliminal.results.schema.Schema;
import dev.subliminal.results.sweep.SweepSchema;
import java.util.List;

/**
 * {@value #NAME}: a grid of soft-label leakage configurations × seeds (Behrens and Zdeborová, arXiv
 * 2506.14457), one record per (cell, seed). The header's configuration is a sweep's
 * ({@link SweepSchema#checkConfig}: axes, seeds, cells, and a shard's index) plus {@code experiment}; a
 * record names its cell and seed as a sweep record does ({@link SweepSchema#checkUnit}) and holds the
 * accuracies below, each a fraction in [0, 1].
 */
public final class LeakageSchema {

    /** The schema name. */
    public static final String NAME = "subliminal.leakage-sweep/1";

    /** Config: the experiment's name, {@value #EXPERIMENT_NAME}. */
    public static final Field EXPERIMENT = Field.text("experiment");
    /** The value of {@link #EXPERIMENT}. */
    public static final String EXPERIMENT_NAME = "leakage";

    /** The teacher's accuracy on all its memorised points. */
    public static final Field TEACHER_ACCURACY = Field.number("teacherAccuracy");
    /** The teacher's accuracy on the held-out memorised points (what there is to leak). */
    public static final Field TEACHER_HELD_OUT = Field.number("teacherHeldOut");
    /** The soft-label student's accuracy on the held-out points against their random labels. */
    public static final Field STUDENT = Field.number("student");
    /** The fraction of held-out points where the student's argmax is the teacher's. */
    public static final Field AGREEMENT = Field.number("agreement");
    /** The hard-label control's held-out accuracy. */
    public static final Field HARD_LABEL = Field.number("hardLabel");
    /** The soft labels' mean entropy over the transfer inputs, in units of log C (1: uniform). */
    public static final Field LABEL_ENTROPY = Field.number("labelEntropy");
    /** The number of held-out points scored. */
    public static final Field HELD_OUT = Field.integer("heldOutPoints");

    /** The record's fractions, in record order. */
    public static final List<Field> FRACTIONS = List.of(TEACHER_ACCURACY, TEACHER_HELD_OUT, STUDENT, AGREEMENT,
            HARD_LABEL, LABEL_ENTROPY);

    /** The schema. */
    public static final Schema SCHEMA = Schema.results(NAME, LeakageSchema::checkConfig, LeakageSchema::check);

    private LeakageSchema() {
    }

    private static void checkConfig(JsonNode config) {
        SweepSchema.checkConfig(config);
        EXPERIMENT.check(config, "config.");
        if (!EXPERIMENT.text(config).equals(EXPERIMENT_NAME)) {
            throw new IllegalArgumentException("config.experiment is \"" + EXPERIMENT.text(config) + "\", expected \""
                    + EXPERIMENT_NAME + "\"");
        }
    }

    private static void check(JsonNode config, JsonNode r) {
        SweepSchema.checkUnit(config, r);
        HELD_OUT.check(r);
        if (HELD_OUT.integer(r) < 1) {
            throw new IllegalArgumentException("field \"" + HELD_OUT.name() + "\" is " + HELD_OUT.integer(r)
                    + ", expected ≥ 1");
        }
        for (Field f : FRACTIONS) {
            f.check(r);
            double v = f.number(r);
            // entropy in units of log C may exceed 1 by a rounding error
            if (!(v >= 0 && v <= (f == LABEL_ENTROPY ? 1 + 1e-12 : 1))) {
                throw new IllegalArgumentException("field \"" + f.name() + "\" is " + v + ", expected a number in [0, 1]");
            }
        }
    }
}
