package dev.subliminal.simulation.leakage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.subliminal.results.leakage.LeakageSchema;
import dev.subliminal.results.sweep.SweepSchema;
import dev.subliminal.simulation.sweep.Shard;
import dev.subliminal.simulation.sweep.SweepGrid;
import dev.subliminal.simulation.sweep.SweepMerge;
import dev.subliminal.simulation.sweep.UnitGrid;
import dev.subliminal.spec.Setting;
import dev.subliminal.spec.Values;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A sweep of soft-label leakage runs: a grid of {@link LeakageConfig} settings (every setting is an
 * axis; unlisted ones take their default) times the seeds, the same in every cell. As for check
 * sweeps ({@link SweepGrid}), unit u = cell·count + i runs seed first + i of that cell, its key is
 * {@code "<cell>/<seed>"}, cells are the product of the axes (first axis slowest, in
 * {@link LeakageConfig#SETTINGS} order; equal normalized cells kept once: {@code width} under
 * {@code logistic}), and shards hold the units u ≡ k (mod n). A grid file says {@code experiment: leakage}:
 * <pre>
 * experiment: leakage
 * seeds: 10
 * axes:
 *   model: [logistic, mlp]
 *   temperature: [0.1, 1, 10]
 * </pre>
 *
 * @param axes every setting with its normalized values, in {@link LeakageConfig#SETTINGS} order
 * @param firstSeed the first seed
 * @param seedCount seeds per cell
 * @param cells the distinct cells
 */
public record LeakageGrid(Map<Setting<?>, List<JsonNode>> axes, long firstSeed, int seedCount,
        List<LeakageConfig> cells) implements UnitGrid {

    /** The grid file's field that selects the kind of sweep. */
    public static final String EXPERIMENT = LeakageSchema.EXPERIMENT.name();


    public LeakageGrid {
        axes = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(axes));
        cells = List.copyOf(cells);
    }

    /** Whether a grid document is a leakage sweep's ({@code experiment: leakage}). */
    public static boolean isLeakage(JsonNode root) {
        return root != null && root.isObject() && root.path(EXPERIMENT).isTextual()
                && root.get(EXPERIMENT).textValue().equals(LeakageSchema.EXPERIMENT_NAME);
    }

    /** The grid of a parsed document with at most {@code maxCells} cells; errors name the field. */
    public static LeakageGrid of(JsonNode root, long maxCells) {
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!List.of(EXPERIMENT, "seeds", "axes").contains(f)) {
                throw new IllegalArgumentException("unknown field '" + f + "'; expected 'experiment', 'seeds' and 'axes'");
            }
        }
        if (!isLeakage(root)) {
            throw new IllegalArgumentException("experiment: " + root.get(EXPERIMENT) + "; expected '"
                    + LeakageSchema.EXPERIMENT_NAME + "'");
        }
        long[] seeds = SweepGrid.seeds(root);
        Map<Setting<?>, List<JsonNode>> axes = SweepGrid.settingAxes(root, LeakageConfig.SETTINGS, "leakage", maxCells);
        List<LeakageConfig> cells = SweepGrid.product(axes, LeakageGrid::cell, LeakageGrid::axes);
        return new LeakageGrid(axes, seeds[0], (int) seeds[1], cells);
    }

    private static LeakageConfig cell(Map<String, JsonNode> point) {
        Values v = Values.empty();
        for (Setting<?> s : LeakageConfig.SETTINGS) {
            v = put(v, s, point.get(s.key()));
        }
        return LeakageConfig.of(v);
    }

    private static <T> Values put(Values v, Setting<T> s, JsonNode node) {
        return node == null ? v : v.with(s, s.fromJson(node));
    }


    /** A cell's value of every setting, in order: its {@code axes} in the header and its records. */
    public static ObjectNode axes(LeakageConfig cell) {
        return cell.values().toJson();
    }

    @Override
    public ObjectNode config(Shard shard) {
        return SweepGrid.header(LeakageSchema.EXPERIMENT_NAME, axes, firstSeed, seedCount, cells.stream().map(LeakageGrid::axes).toList(), c -> { }, shard);
    }

    /** The grid a results header's configuration describes (for merging shards). */
    public static LeakageGrid ofConfig(ObjectNode config) {
        ObjectNode doc = SweepMerge.gridDocument(config);
        doc.put(EXPERIMENT, LeakageSchema.EXPERIMENT_NAME);
        return of(doc, Long.MAX_VALUE);
    }
}
