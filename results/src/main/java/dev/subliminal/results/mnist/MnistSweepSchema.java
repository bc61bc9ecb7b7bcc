package dev.subliminal.results.mnist;

import com.fasterxml.jackson.databind.JsonNode;
import dev.subliminal.results.Texts;
import dev.subliminal.results.schema.Field;
import dev.subliminal.results.schema.Schema;
import dev.subliminal.results.sweep.SweepSchema;
import java.util.List;
import java.util.Map;

/**
 * {@value #NAME}: a grid of MNIST auxiliary-logit configurations × seeds, one record per (cell, seed).
 * The header's configuration is a sweep's ({@link SweepSchema#checkConfig}: axes, seeds, cells, and a
 * shard's index) plus {@link #DATA}; a record names its cell and seed as a sweep record does
 * ({@link SweepSchema#checkUnit}), holds the accuracies of the reference θ0 and of the teacher θ_T, and
 * per student arm ({@link #ARMS}, keyed by {@link Arm#key()}) its test accuracy, the alignment of its
 * updates with Δ_T = θ_T − θ0, the predictors of transfer and, when the cell records trajectories, its
 * {@link #TRAJECTORY}.
 */
public final class MnistSweepSchema {

    /** The schema name. */
    public static final String NAME = "subliminal.mnist-sweep/1";

    /** Config: where the digits came from. */
    public static final Field DATA = Field.text("data");
    /** The untrained reference θ0's test accuracy. */
    public static final Field REFERENCE = Field.number("reference");
    /** The teacher θ_T's test accuracy. */
    public static final Field TEACHER = Field.number("teacher");
    /** The student arms the cell runs: {@code {"student-aux": {...}, ...}}. */
    public static final Field ARMS = Field.object("arms");

    /** In an arm: its test accuracy through its own head. */
    public static final Field ACCURACY = MnistSchema.ACCURACY;
    /** In an arm: Δ_S·Δ_T of its first step (Δ_S = −∇L_S(θ_S0) on its first batch). */
    public static final Field FIRST_STEP_DOT = MnistSchema.FIRST_STEP_DOT;
    /** In an arm: cos(Δ_S, Δ_T) of its first step (a predictor). */
    public static final Field FIRST_STEP_COSINE = MnistSchema.FIRST_STEP_COSINE;
    /** In an arm: cos(θ_S − θ_S0, Δ_T), the cumulative cosine (a predictor). */
    public static final Field UPDATE_COSINE = MnistSchema.UPDATE_COSINE;
    /**
     * In an arm: the root-mean-square entry of the empirical-NTK cross-output block
     * K[(x′, a), (x, c)] = ∇_θ f_a(θ_S0; x′)·∇_θ f_c(θ0; x) between the student's auxiliary logits a at
     * its start and the reference's class logits c, over held-out noise images x, x′ (a predictor;
     * computed matrix-free).
     */
    public static final Field CROSS_BLOCK = Field.numberOrNull("crossBlock");
    /**
     * In an arm: head alignment, the cosine between the student's initial class head (the class rows of
     * the last layer, weights and biases) and the teacher's trained one (a predictor).
     */
    public static final Field HEAD_ALIGNMENT = Field.numberOrNull("headAlignment");
    /** In an arm: test accuracy of the student's representation read through the teacher's head. */
    public static final Field TEACHER_HEAD = Field.number("teacherHead").optional();
    /** In an arm: test accuracy of the student's representation read through a fresh random head. */
    public static final Field FRESH_HEAD = Field.number("freshHead").optional();
    /** In an arm: the trajectory, when the cell's {@code recordEvery} is positive. */
    public static final Field TRAJECTORY = Field.object("trajectory").optional();
    /**
     * In an arm, for a student small enough ({@code spectrumParameters}) with held-out inputs: the
     * largest eigenvalues of G = (1/N) Σ_x J_xᵀ M_x J_x at its start, descending (at most 5).
     */
    public static final Field G_TOP = Field.array("gTop").optional();
    /** In an arm with spectra: λ_max(G). */
    public static final Field G_MAX = Field.numberOrNull("gMax").optional();
    /** In an arm with spectra: trace(G), the sum of its eigenvalues. */
    public static final Field G_TRACE = Field.numberOrNull("gTrace").optional();
    /** In an arm with spectra: G's effective rank exp(−Σ q ln q), q = λ/Σλ. */
    public static final Field G_EFFECTIVE_RANK = Field.numberOrNull("gEffectiveRank").optional();
    /** In an arm with spectra: the largest singular values of the eNTK cross block, descending (empty for another architecture). */
    public static final Field CROSS_TOP = Field.array("crossTop").optional();
    /** In an arm with spectra: σ_max of the eNTK cross block. */
    public static final Field CROSS_MAX = Field.numberOrNull("crossMax").optional();
    /** In an arm with spectra: the cross block's effective rank over its singular values. */
    public static final Field CROSS_EFFECTIVE_RANK = Field.numberOrNull("crossEffectiveRank").optional();
    /** The spectra's numbers an arm may hold. */
    public static final List<Field> SPECTRUM = List.of(G_TOP, G_MAX, G_TRACE, G_EFFECTIVE_RANK, CROSS_TOP, CROSS_MAX,
            CROSS_EFFECTIVE_RANK);

    /** In a trajectory: the steps t recorded (0 is the start), increasing. */
    public static final Field STEP = SweepSchema.STEP;
    /** In a trajectory: U_t·Δ_T with U_t = θ_t − θ_S0 the cumulative update. */
    public static final Field DOT = SweepSchema.DOT;
    /** In a trajectory: cos(U_t, Δ_T). */
    public static final Field COSINE = SweepSchema.COSINE;
    /** In a trajectory: γ_t = (1/B) Σ_x ‖P J_x,t d‖² / ‖d‖² on step t's batch (d = Δ_T, P the imitated logits). */
    public static final Field GAMMA = SweepSchema.GAMMA;
    /** In a trajectory: S_t = Σ_{k≤t} η·dᵀJ_kᵀM_kJ_k d, the accumulated first-order signal. */
    public static final Field SIGNAL = SweepSchema.SIGNAL;
    /** In a trajectory: N_t = U_t·Δ_T − S_t, the accumulated residual. */
    public static final Field RESIDUAL = SweepSchema.RESIDUAL;
    /** In a trajectory: test accuracy of the class logits. */
    public static final Field CLASS_ACCURACY = Field.array("classAccuracy");
    /** In a trajectory: agreement of the student's and the teacher's argmax over the auxiliary logits on test digits. */
    public static final Field AUX_ACCURACY = Field.array("auxAccuracy");

    /** An arm's numbers. */
    public static final List<Field> ARM_NUMBERS = List.of(ACCURACY, FIRST_STEP_DOT, FIRST_STEP_COSINE, UPDATE_COSINE,
            CROSS_BLOCK, HEAD_ALIGNMENT, TEACHER_HEAD, FRESH_HEAD, TRAJECTORY);
    /** A trajectory's columns, each an array of one entry per recorded step. */
    public static final List<Field> TRAJECTORY_COLUMNS = List.of(STEP, DOT, COSINE, GAMMA, SIGNAL, RESIDUAL,
            CLASS_ACCURACY, AUX_ACCURACY);

    /** The schema. */
    public static final Schema SCHEMA = Schema.results(NAME, MnistSweepSchema::checkConfig, MnistSweepSchema::check);

    private MnistSweepSchema() {
    }

    private static void checkConfig(JsonNode config) {
        SweepSchema.checkConfig(config);
        DATA.check(config, "config.");
    }

    private static void check(JsonNode config, JsonNode r) {
        SweepSchema.checkUnit(config, r);
        for (Field f : List.of(REFERENCE, TEACHER, ARMS)) {
            f.check(r);
        }
        unit(REFERENCE, r, "");
        unit(TEACHER, r, "");
        for (Map.Entry<String, JsonNode> e : ARMS.object(r).properties()) {
            Arm arm = Arm.of(e.getKey());
            if (!arm.student()) {
                throw new IllegalArgumentException("field \"arms\" holds \"" + arm.key() + "\", not a student arm");
            }
            String prefix = "arms." + arm.key() + ".";
            JsonNode a = e.getValue();
            if (!a.isObject()) {
                throw new IllegalArgumentException("field \"" + prefix.substring(0, prefix.length() - 1) + "\" is "
                        + Texts.quote(a) + ", expected an object");
            }
            ARM_NUMBERS.forEach(f -> f.check(a, prefix));
            SPECTRUM.forEach(f -> f.check(a, prefix));
            for (Field f : List.of(G_TOP, CROSS_TOP)) {
                JsonNode values = f.object(a);
                for (int i = 0; values != null && i < values.size(); i++) {
                    if (!values.get(i).isNumber() && !values.get(i).isNull()) {
                        throw new IllegalArgumentException("field \"" + prefix + f.name() + "\" holds "
                                + Texts.quote(values.get(i)) + ", expected numbers");
                    }
                }
            }
            unit(ACCURACY, a, prefix);
            JsonNode t = TRAJECTORY.object(a);
            if (t != null) {
                SweepSchema.checkColumns(t, TRAJECTORY_COLUMNS, prefix + "trajectory.");
            }
        }
    }

    private static void unit(Field f, JsonNode r, String prefix) {
        double v = f.number(r);
        if (!(v >= 0 && v <= 1)) {
            throw new IllegalArgumentException("field \"" + prefix + f.name() + "\" is " + v
                    + ", expected a number in [0, 1]");
        }
    }
}
