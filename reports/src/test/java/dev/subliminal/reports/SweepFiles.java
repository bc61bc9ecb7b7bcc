package dev.subliminal.reports;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.subliminal.results.check.CheckSchema;
import dev.subliminal.results.schema.Schema;
import dev.subliminal.results.store.ResultStore;
import dev.subliminal.results.sweep.SweepSchema;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Small sweep results files for tests, written by the one writer ({@link ResultStore}) with the
 * schema's fields: a grid of cells (each an axes object), seeds, and one record per (cell, seed)
 * whose quantities the test sets.
 */
public final class SweepFiles {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final ObjectNode config = MAPPER.createObjectNode();
    private final List<ObjectNode> cells = new ArrayList<>();
    private final List<ObjectNode> records = new ArrayList<>();

    /** A grid whose config lists {@code axes} (name → values), running seeds first..first+count−1. */
    public SweepFiles(ObjectNode axes, long first, int count) {
        SweepSchema.AXES.set(config, axes);
        ObjectNode seeds = SweepSchema.SEEDS.putObject(config);
        SweepSchema.FIRST.put(seeds, first);
        SweepSchema.COUNT.put(seeds, count);
        config.putArray(SweepSchema.CELLS.name());
    }

    /** An empty object, for axes and cells. */
    public static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    /** Values as a JSON array. */
    public static ArrayNode values(Object... values) {
        return MAPPER.valueToTree(values);
    }

    /** Adds a cell (its axes); returns its index. */
    public int cell(ObjectNode axes) {
        cells.add(axes);
        ((ArrayNode) config.get(SweepSchema.CELLS.name())).add(axes);
        return cells.size() - 1;
    }

    /** Names the cells. */
    public SweepFiles names(String... names) {
        ArrayNode a = config.putArray(SweepSchema.CELL_NAMES.name());
        for (String n : names) {
            a.add(n);
        }
        return this;
    }

    /**
     * A record of (cell, seed) at step size ε: Δ_S·Δ_T = 1, cos = 0.5, trait part 1, no first-order
     * errors, L_T 1 → 0.9 against the control's 1; the test changes what it needs.
     */
    public ObjectNode record(int cell, long seed, double epsilon) {
        ObjectNode r = MAPPER.createObjectNode();
        Schema.KEY.put(r, SweepSchema.key(cell, seed));
        SweepSchema.CELL.put(r, cell);
        SweepSchema.AXES.set(r, cells.get(cell));
        SweepSchema.SEED.put(r, seed);
        SweepSchema.EPSILON.put(r, epsilon);
        SweepSchema.ALPHA.put(r, 0.1);
        CheckSchema.DOT.put(r, 1.0);
        CheckSchema.COSINE.put(r, 0.5);
        CheckSchema.TRAIT_PART.put(r, 1.0);
        CheckSchema.TRAIT_LOSS_STUDENT.put(r, 0.9);
        CheckSchema.TRAIT_LOSS_CONTROL.put(r, 1.0);
        CheckSchema.TRAIT_DROPS_BELOW_CONTROL.put(r, true);
        CheckSchema.FIRST_ORDER.put(r, Double.NaN);
        CheckSchema.ABSOLUTE_ERROR.put(r, Double.NaN);
        CheckSchema.RELATIVE_ERROR.put(r, Double.NaN);
        CheckSchema.TRAIT_LOSS_BEFORE.put(r, 1.0);
        records.add(r);
        return r;
    }

    /** The header's configuration. */
    public JsonNode config() {
        return config;
    }

    /** Writes the file. */
    public Path write(Path file) {
        ResultStore.write(file, SweepSchema.SCHEMA, config, MAPPER.createObjectNode().put("tool", "test"),
                s -> records.forEach(s::append));
        return file;
    }
}
