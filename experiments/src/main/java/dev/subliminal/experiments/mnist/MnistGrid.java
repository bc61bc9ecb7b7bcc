package dev.subliminal.experiments.mnist;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.subliminal.results.mnist.MnistSweepSchema;
import dev.subliminal.results.sweep.SweepSchema;
import dev.subliminal.simulation.sweep.Shard;
import dev.subliminal.simulation.sweep.SweepGrid;
import dev.subliminal.simulation.sweep.UnitGrid;
import dev.subliminal.spec.Setting;
import dev.subliminal.spec.Values;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A sweep of the MNIST experiment: a grid of {@link MnistConfig} settings (every setting of
 * {@link MnistConfig#SETTINGS} is an axis; unlisted ones take their default) times the seeds, the
 * same in every cell. As for check sweeps ({@link SweepGrid}), unit u = cell·count + i runs seed
 * first + i of that cell, its key is {@code "<cell>/<seed>"}, cells are the product of the axes
 * (first axis slowest, equal normalized cells kept once: {@code temperature} is 1 under {@code mse}),
 * and shards hold the units u ≡ k (mod n). A grid file says {@code experiment: mnist}:
 * <pre>
 * experiment: mnist
 * seeds: 10
 * axes:
 *   aux: [1, 2, 3, 5, 10, 20, 50]
 *   students: aux
 * </pre>
 *
 * @param axes every setting with its normalized values, in {@link MnistConfig#SETTINGS} order
 * @param firstSeed the first seed
 * @param seedCount seeds per cell
 * @param cells the distinct cells' configurations (one run each, seed set per unit)
 * @param data where the digits come from
 */
public record MnistGrid(Map<Setting<?>, List<JsonNode>> axes, long firstSeed, int seedCount, List<MnistConfig> cells,
        String data) implements UnitGrid {

    /** The grid file's field that selects this kind of sweep, and its value. */
    public static final String EXPERIMENT = "experiment";
    public static final String MNIST = "mnist";


    public MnistGrid {
        axes = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(axes));
        cells = List.copyOf(cells);
    }

    /** Whether a grid document is an MNIST sweep's ({@code experiment: mnist}). */
    public static boolean isMnist(JsonNode root) {
        return root != null && root.isObject() && root.has(EXPERIMENT);
    }

    /** The grid of a parsed document with at most {@code maxCells} cells, on the digits {@code data}; errors name the field. */
    public static MnistGrid of(JsonNode root, long maxCells, String data) {
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!List.of(EXPERIMENT, "seeds", "axes").contains(f)) {
                throw new IllegalArgumentException("unknown field '" + f + "'; expected 'experiment', 'seeds' and 'axes'");
            }
        }
        JsonNode e = root.get(EXPERIMENT);
        if (!e.isTextual() || !e.textValue().equals(MNIST)) {
            throw new IllegalArgumentException("experiment: " + e + "; the experiments a grid can name are 'mnist' and 'leakage'");
        }
        long[] seeds = SweepGrid.seeds(root);
        Map<Setting<?>, List<JsonNode>> axes = SweepGrid.settingAxes(root, MnistConfig.SETTINGS, "MNIST", maxCells);
        List<MnistConfig> cells = SweepGrid.product(axes, point -> cell(point, data), MnistGrid::axes);
        return new MnistGrid(axes, seeds[0], (int) seeds[1], cells, data);
    }

    private static MnistConfig cell(Map<String, JsonNode> point, String data) {
        Values v = Values.empty();
        for (Setting<?> s : MnistConfig.SETTINGS) {
            v = put(v, s, point.get(s.key()));
        }
        if (v.get(MnistConfig.LOSS) == Imitation.MSE) {
            v = v.with(MnistConfig.TEMPERATURE, MnistConfig.TEMPERATURE.defaultValue());
        }
        return new MnistConfig(1, 0, v, data);
    }

    private static <T> Values put(Values v, Setting<T> s, JsonNode node) {
        return node == null ? v : v.with(s, s.fromJson(node));
    }


    /** A cell's value of every setting, in order: its {@code axes} in the header and its records. */
    public static ObjectNode axes(MnistConfig cell) {
        return cell.values().select(MnistConfig.SETTINGS).toJson();
    }

    @Override
    public ObjectNode config(Shard shard) {
        return SweepGrid.header(MNIST, axes, firstSeed, seedCount, cells.stream().map(MnistGrid::axes).toList(), c -> MnistSweepSchema.DATA.put(c, data), shard);
    }

    /** The grid a results header's configuration describes (for merging shards). */
    public static MnistGrid ofConfig(ObjectNode config) {
        ObjectNode doc = dev.subliminal.simulation.sweep.SweepMerge.gridDocument(config);
        doc.put(EXPERIMENT, MNIST);
        return of(doc, Long.MAX_VALUE, MnistSweepSchema.DATA.text(config));
    }
}
