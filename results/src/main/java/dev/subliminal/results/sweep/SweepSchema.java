package dev.subliminal.results.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import dev.subliminal.results.Texts;
import dev.subliminal.results.check.CheckSchema;
import dev.subliminal.results.schema.Field;
import dev.subliminal.results.schema.Schema;
import java.util.List;
import java.util.Map;

/**
 * {@value #NAME}: a grid of check configurations × seeds, one record per (cell, seed). The header's
 * configuration lists the grid ({@link #AXES}, {@link #SEEDS}, {@link #CELLS}, optionally
 * {@link #CELL_NAMES} and, in a shard's file, {@link #SHARD}); a record names its cell and seed,
 * which must be in the grid, repeats its cell's axes, and holds the quantities of a check record
 * ({@link CheckSchema}) after the first step and, for multi-step runs, in {@link #END} after the
 * last; a unit whose update was not finite holds {@link #FAILURE} instead.
 */
public final class SweepSchema {

    /** The schema name. */
    public static final String NAME = "subliminal.sweep/1";

    /** Config: every axis with its values, in grid order; records: the cell's value of every axis. */
    public static final Field AXES = Field.object("axes");
    /** Config: the seeds every cell runs, {@code {"first", "count"}}. */
    public static final Field SEEDS = Field.object("seeds");
    /** In {@link #SEEDS}: the first seed. */
    public static final Field FIRST = Field.integer("first");
    /** In {@link #SEEDS}: how many. */
    public static final Field COUNT = Field.integer("count");
    /** Config: the cells, in order, each as its {@code axes} object. */
    public static final Field CELLS = Field.array("cells");
    /** Config: a name per cell, when the cells are a named list. */
    public static final Field CELL_NAMES = Field.array("cellNames").optional();
    /** Config of a shard's file: {@code {"index": k, "count": n}}. */
    public static final Field SHARD = Field.object("shard").optional();
    /** In {@link #SHARD}: k, 0-based. */
    public static final Field SHARD_INDEX = Field.integer("index");
    /** In {@link #SHARD}: n. */
    public static final Field SHARD_COUNT = Field.integer("count");

    /** The record's cell index, 0-based in grid order. */
    public static final Field CELL = Field.integer("cell");
    /** The record's seed. */
    public static final Field SEED = CheckSchema.SEED;
    /** The cell's ε. */
    public static final Field EPSILON = CheckSchema.EPSILON;
    /** The cell's α. */
    public static final Field ALPHA = CheckSchema.ALPHA;
    /** After the last step, for K_S &gt; 1: the fields of {@link #OUTCOME}. */
    public static final Field END = Field.object("end").optional();
    /** The student's trajectory, when the cell's {@code recordEvery} is positive: columns of one entry per record. */
    public static final Field TRAJECTORY = Field.object("trajectory").optional();
    /** In a trajectory: the steps t recorded (0 is the start), increasing. */
    public static final Field STEP = Field.array("step");
    /** In a trajectory: U_t·Δ_T with U_t the student's cumulative update. */
    public static final Field DOT = Field.array("dot");
    /** In a trajectory: cos(U_t, Δ_T). */
    public static final Field COSINE = Field.array("cosine");
    /** In a trajectory: γ_t = (1/N) Σ_x ‖J_x,t d‖² / ‖d‖², d = Δ_T, on step t's inputs at θ_{t−1}. */
    public static final Field GAMMA = Field.array("gamma");
    /** In a trajectory: S_t, the accumulated first-order signal Σ_{k≤t} (step)·dᵀJ_kᵀM_kJ_k d. */
    public static final Field SIGNAL = Field.array("signal");
    /** In a trajectory: N_t = Σ_{k≤t} (its step's contribution to U_t·d) − S_t, the accumulated residual. */
    public static final Field RESIDUAL = Field.array("residual");
    /** In a sweep's trajectory: L_T at θ_t. */
    public static final Field TRAIT_LOSS = Field.array("traitLoss");
    /** A sweep trajectory's columns. */
    public static final List<Field> TRAJECTORY_COLUMNS = List.of(STEP, DOT, COSINE, GAMMA, SIGNAL, RESIDUAL, TRAIT_LOSS);

    /** The message of a unit whose update was not finite (the numbers are then absent). */
    public static final Field FAILURE = Field.text("failure").optional();

    /** The numbers after a step, in the order they are written (also in {@link #END}). */
    public static final List<Field> OUTCOME_NUMBERS = List.of(CheckSchema.DOT, CheckSchema.COSINE,
            CheckSchema.TRAIT_PART, CheckSchema.TRAIT_LOSS_STUDENT, CheckSchema.TRAIT_LOSS_CONTROL);
    /** The quantities after a step: {@link #OUTCOME_NUMBERS}, then whether L_T ends below the control's. */
    public static final List<Field> OUTCOME = List.of(CheckSchema.DOT, CheckSchema.COSINE, CheckSchema.TRAIT_PART,
            CheckSchema.TRAIT_LOSS_STUDENT, CheckSchema.TRAIT_LOSS_CONTROL, CheckSchema.TRAIT_DROPS_BELOW_CONTROL);
    /** The first-order prediction and the loss before, in the order they are written after {@link #OUTCOME}. */
    public static final List<Field> PREDICTION = List.of(CheckSchema.FIRST_ORDER, CheckSchema.ABSOLUTE_ERROR,
            CheckSchema.RELATIVE_ERROR, CheckSchema.TRAIT_LOSS_BEFORE);

    /** The schema. */
    public static final Schema SCHEMA = Schema.results(NAME, SweepSchema::checkConfig, SweepSchema::check);

    private SweepSchema() {
    }

    /** The key of (cell, seed): {@code "3/17"}. */
    public static String key(long cell, long seed) {
        return cell + "/" + seed;
    }

    /** Checks a header's configuration: the axes, seeds, cells, cell names and shard. */
    public static void checkConfig(JsonNode config) {
        for (Field f : List.of(AXES, SEEDS, CELLS, CELL_NAMES, SHARD)) {
            f.check(config, "config.");
        }
        for (Map.Entry<String, JsonNode> e : AXES.object(config).properties()) {
            if (!e.getValue().isArray() || e.getValue().isEmpty()) {
                throw new IllegalArgumentException("config axis \"" + Texts.quote(e.getKey()) + "\" is "
                        + Texts.quote(e.getValue()) + ", expected a non-empty array of values");
            }
        }
        JsonNode seeds = SEEDS.object(config);
        FIRST.check(seeds, "config.seeds.");
        COUNT.check(seeds, "config.seeds.");
        if (COUNT.integer(seeds) < 1) {
            throw new IllegalArgumentException("config.seeds.count is " + COUNT.integer(seeds) + ", expected ≥ 1");
        }
        JsonNode cells = CELLS.object(config);
        for (JsonNode c : cells) {
            if (!c.isObject()) {
                throw new IllegalArgumentException("config.cells holds " + Texts.quote(c) + ", expected objects");
            }
        }
        JsonNode names = CELL_NAMES.object(config);
        if (names != null) {
            if (names.size() != cells.size()) {
                throw new IllegalArgumentException("config.cellNames has " + names.size() + " names for "
                        + cells.size() + " cells");
            }
            for (JsonNode n : names) {
                if (!n.isTextual()) {
                    throw new IllegalArgumentException("config.cellNames holds " + Texts.quote(n) + ", expected strings");
                }
            }
        }
        JsonNode shard = SHARD.object(config);
        if (shard != null) {
            SHARD_INDEX.check(shard, "config.shard.");
            SHARD_COUNT.check(shard, "config.shard.");
            long k = SHARD_INDEX.integer(shard);
            long n = SHARD_COUNT.integer(shard);
            if (n < 1 || k < 0 || k >= n) {
                throw new IllegalArgumentException("config.shard is " + k + "/" + n + ", expected 0 ≤ k < n");
            }
        }
    }

    /**
     * Checks a record against the grid of its file: its cell and seed are in the grid, its key is
     * {@code cell/seed}, its axes are its cell's, and it has every quantity (or a failure).
     */
    public static void check(JsonNode config, JsonNode r) {
        for (Field f : List.of(EPSILON, ALPHA, FAILURE)) {
            f.check(r);
        }
        checkUnit(config, r);
        if (FAILURE.isIn(r)) {
            return;
        }
        OUTCOME.forEach(f -> f.check(r));
        PREDICTION.forEach(f -> f.check(r));
        JsonNode end = END.object(r);
        if (end != null) {
            OUTCOME.forEach(f -> f.check(end, "end."));
        }
        TRAJECTORY.check(r);
        JsonNode t = TRAJECTORY.object(r);
        if (t != null) {
            checkColumns(t, TRAJECTORY_COLUMNS, "trajectory.");
        }
    }

    /**
     * Writes a trajectory's rows (one per record, in column order, the first the integer step) into
     * {@code t} as one array per column; NaN and infinities as null.
     */
    public static void putColumns(com.fasterxml.jackson.databind.node.ObjectNode t, List<Field> columns,
            List<double[]> rows) {
        com.fasterxml.jackson.databind.node.ArrayNode[] c = new com.fasterxml.jackson.databind.node.ArrayNode[columns.size()];
        for (int i = 0; i < c.length; i++) {
            c[i] = t.putArray(columns.get(i).name());
        }
        for (double[] row : rows) {
            if (row.length != c.length) {
                throw new IllegalArgumentException(row.length + " values for the " + c.length + " columns " + columns);
            }
            c[0].add((long) row[0]);
            for (int i = 1; i < c.length; i++) {
                if (Double.isFinite(row[i])) {
                    c[i].add(row[i]);
                } else {
                    c[i].addNull();
                }
            }
        }
    }

    /** Checks a trajectory's columns: arrays of numbers or nulls, all as long as the first. */
    public static void checkColumns(JsonNode t, List<Field> columns, String prefix) {
        int n = -1;
        for (Field f : columns) {
            f.check(t, prefix);
            JsonNode column = f.object(t);
            if (n >= 0 && column.size() != n) {
                throw new IllegalArgumentException("field \"" + prefix + f.name() + "\" has " + column.size()
                        + " entries, but \"" + columns.get(0).name() + "\" has " + n);
            }
            n = column.size();
            for (JsonNode v : column) {
                if (!(v.isNull() || v.isNumber())) {
                    throw new IllegalArgumentException("field \"" + prefix + f.name() + "\" holds " + Texts.quote(v)
                            + ", expected numbers or null");
                }
            }
        }
    }

    /**
     * Checks the unit a record names against the grid of its file (every grid-shaped kind: sweeps and
     * MNIST sweeps): its cell and seed are in the grid, its key is {@code cell/seed} and its axes are
     * its cell's.
     */
    public static void checkUnit(JsonNode config, JsonNode r) {
        for (Field f : List.of(CELL, AXES, SEED)) {
            f.check(r);
        }
        long cell = CELL.integer(r);
        JsonNode cells = CELLS.object(config);
        if (cell < 0 || cell >= cells.size()) {
            throw new IllegalArgumentException("field \"cell\" is " + cell + ", but the grid has cells 0.."
                    + (cells.size() - 1));
        }
        JsonNode seeds = SEEDS.object(config);
        long seed = SEED.integer(r);
        long first = FIRST.integer(seeds);
        if (seed < first || seed - first >= COUNT.integer(seeds)) {
            throw new IllegalArgumentException("field \"seed\" is " + seed + ", but the grid runs seeds " + first
                    + ".." + (first + COUNT.integer(seeds) - 1));
        }
        String key = Schema.KEY.text(r);
        if (!key.equals(key(cell, seed))) {
            throw new IllegalArgumentException("key \"" + Texts.quote(key) + "\" does not match cell " + cell
                    + " and seed " + seed);
        }
        if (!AXES.object(r).equals(cells.get((int) cell))) {
            throw new IllegalArgumentException("field \"axes\" is " + Texts.quote(r.get(AXES.name()))
                    + ", but cell " + cell + " of the grid is " + Texts.quote(cells.get((int) cell)));
        }
    }
}
