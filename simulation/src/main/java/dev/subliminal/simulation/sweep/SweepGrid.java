package dev.subliminal.simulation.sweep;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.subliminal.results.sweep.SweepSchema;
import dev.subliminal.results.Texts;
import dev.subliminal.results.io.Inputs;
import dev.subliminal.results.io.IoErrors;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import dev.subliminal.spec.ModelFamilies;
import dev.subliminal.spec.Setting;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A sweep: a grid of cells (the Cartesian product of the axes' values, first axis slowest, in
 * {@link SweepCell#axisSettings()} order, keeping the first of cells that normalize to the same configuration) times the
 * seeds {@code first, ..., first + count − 1}, the same in every cell. Unit u = cell·count + i runs
 * seed first + i of that cell; its record key is {@code "<cell>/<seed>"}.
 *
 * <p>A grid file (YAML, or JSON when named {@code *.json}) has two fields:
 * <pre>
 * seeds: 200              # or {first: 1, count: 200}; default first is 1
 * axes:                   # axis: value, or axis: [values]; unlisted axes take their default
 *   init: [same, perturbed, independent]
 *   epsilon: [1e-4, 1e-3]
 * </pre>
 *
 * @param axes the normalized values of every axis that applies to the grid's model families, in axis order
 * @param firstSeed the first seed
 * @param seedCount seeds per cell
 * @param cells the distinct cells, in grid order
 */
public record SweepGrid(Map<Setting<?>, List<JsonNode>> axes, long firstSeed, int seedCount, List<SweepCell> cells,
        List<String> names) implements UnitGrid {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The grid file's fields are named as in the results header ({@link SweepSchema}). */
    private static final String SEEDS = SweepSchema.SEEDS.name();
    private static final String AXES = SweepSchema.AXES.name();
    private static final String FIRST = SweepSchema.FIRST.name();
    private static final String COUNT = SweepSchema.COUNT.name();

    public SweepGrid {
        axes = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(axes));
        cells = List.copyOf(cells);
        names = List.copyOf(names);
        if (!names.isEmpty() && names.size() != cells.size()) {
            throw new IllegalArgumentException(names.size() + " names for " + cells.size() + " cells");
        }
        if (seedCount < 1) {
            throw new IllegalArgumentException("seeds.count = " + seedCount + " must be ≥ 1");
        }
    }

    /**
     * The grid of the given, named cells (not a product): each axis lists the distinct values the
     * cells take, in order of first appearance, so the header still says which axes vary; the header
     * also holds the cells' names ({@code cellNames}).
     */
    public static SweepGrid ofCells(List<SweepCell> cells, List<String> names, long firstSeed, int seedCount) {
        if (cells.isEmpty()) {
            throw new IllegalArgumentException("empty grid: no cells");
        }
        Map<Setting<?>, List<JsonNode>> axes = new LinkedHashMap<>();
        for (Setting<?> a : SweepCell.axisSettings()) {
            List<JsonNode> values = cells.stream().map(c -> c.axes().get(a.key())).filter(v -> v != null).distinct()
                    .toList();
            if (!values.isEmpty()) {
                axes.put(a, values);
            }
        }
        return new SweepGrid(axes, firstSeed, seedCount, cells, names);
    }

    /** The largest grid file read. */
    public static final long MAX_FILE_BYTES = 1 << 20;

    /** The most cells a grid may have unless the caller allows more. */
    public static final long MAX_CELLS = 10_000;

    /** Reads and validates a grid file of at most {@link #MAX_CELLS} cells; errors name the file and the field. */
    public static SweepGrid read(Path file) {
        return read(file, MAX_CELLS);
    }

    /**
     * Reads and validates a grid file: one YAML or JSON document (JSON when named {@code *.json}) of at
     * most {@link #MAX_FILE_BYTES}, without duplicate keys, YAML anchors or aliases, or trailing data,
     * whose cells number at most {@code maxCells} (counted before any is built). Errors name the file
     * and the field.
     */
    public static SweepGrid read(Path file, long maxCells) {
        JsonNode root = readDocument(file);
        try {
            return of(root, maxCells);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("grid " + file + ": " + e.getMessage());
        }
    }

    /**
     * The one YAML or JSON document of a grid file (JSON when named {@code *.json}) of at most
     * {@link #MAX_FILE_BYTES}, read strictly: without duplicate keys, YAML anchors or aliases, or
     * trailing data. Errors name the file.
     */
    public static JsonNode readDocument(Path file) {
        try {
            Inputs.requireRegularFile(file);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("grid " + e.getMessage(), e);
        }
        boolean json = file.toString().endsWith(".json");
        JsonNode root;
        try {
            if (Files.size(file) > MAX_FILE_BYTES) {
                throw new IllegalArgumentException("grid " + file + " has " + Files.size(file) + " bytes; a grid file "
                        + "holds at most " + MAX_FILE_BYTES);
            }
            root = document(file, json);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("grid " + file + " is not valid " + (json ? "JSON" : "YAML") + ": "
                    + Texts.abbreviate(e.getOriginalMessage().lines().findFirst().orElse(""), 200));
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read grid " + file + ": " + IoErrors.reason(e));
        }
        return root;
    }

    /** The one document of a grid file, read strictly. */
    private static JsonNode document(Path file, boolean json) throws IOException {
        com.fasterxml.jackson.core.JsonFactory factory = json ? new com.fasterxml.jackson.core.JsonFactory()
                : new com.fasterxml.jackson.dataformat.yaml.YAMLFactory();
        factory.enable(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        ObjectMapper mapper = new ObjectMapper(factory);
        if (!json) {
            try (com.fasterxml.jackson.core.JsonParser p = factory.createParser(file.toFile())) {
                com.fasterxml.jackson.dataformat.yaml.YAMLParser y = (com.fasterxml.jackson.dataformat.yaml.YAMLParser) p;
                while (p.nextToken() != null) {
                    if (y.isCurrentAlias() || y.getObjectId() != null) {
                        throw new IllegalArgumentException("grid " + file + " line "
                                + p.currentTokenLocation().getLineNr() + ": YAML anchors and aliases are not supported; "
                                + "write the value out");
                    }
                }
            }
        }
        try (com.fasterxml.jackson.core.JsonParser p = factory.createParser(file.toFile())) {
            JsonNode root = mapper.readTree(p);
            if (p.nextToken() != null) {
                throw new IllegalArgumentException("grid " + file + " line " + p.currentTokenLocation().getLineNr()
                        + (json ? ": data after the grid's JSON object" : ": a second YAML document; a grid is one document"));
            }
            return root;
        }
    }

    /** The grid of a parsed grid document of at most {@link #MAX_CELLS} cells. */
    public static SweepGrid of(JsonNode root) {
        return of(root, MAX_CELLS);
    }

    /** The grid of a parsed grid document of at most {@code maxCells} cells; errors name the field. */
    public static SweepGrid of(JsonNode root, long maxCells) {
        if (root == null || root.isMissingNode() || root.isNull()) {
            throw new IllegalArgumentException("empty grid; expected the fields 'seeds' and 'axes'");
        }
        if (!root.isObject()) {
            throw new IllegalArgumentException("expected a mapping with the fields 'seeds' and 'axes', got " + root);
        }
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!f.equals(SEEDS) && !f.equals(AXES)) {
                throw new IllegalArgumentException("unknown field '" + Texts.quote(f) + "'; expected 'seeds' and 'axes'"
                        + (f.equals("experiment") ? " (only 'experiment: mnist' and 'experiment: leakage' select another kind "
                        + "of sweep)" : ""));
            }
        }
        long[] seeds = seeds(root);
        long first = seeds[0];
        long count = seeds[1];
        JsonNode given = root.get(AXES);
        if (given == null || !given.isObject() || given.isEmpty()) {
            throw new IllegalArgumentException("empty grid: 'axes' must map at least one axis to its values");
        }
        Map<String, Setting<?>> byKey = new LinkedHashMap<>();
        SweepCell.axisSettings().forEach(a -> byKey.put(a.key(), a));
        Map<String, List<JsonNode>> listed = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = given.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            Setting<?> a = byKey.get(e.getKey());
            if (a == null) {
                throw new IllegalArgumentException("axes." + Texts.quote(e.getKey()) + ": unknown axis; expected one of "
                        + String.join(", ", byKey.keySet()));
            }
            listed.put(a.key(), values(a, e.getValue()));
        }
        Set<String> families = new LinkedHashSet<>();
        for (Setting<?> m : List.of(ModelFamilies.MODEL, ModelFamilies.STUDENT_MODEL)) {
            for (JsonNode v : listed.getOrDefault(m.key(), List.of(defaultValue(m)))) {
                if (!v.textValue().equals(SweepCell.SAME)) {
                    families.add(v.textValue());
                }
            }
        }
        Set<String> modelKeys = new LinkedHashSet<>();
        for (String f : families) {
            for (Setting<?> s : ModelFamilies.of(f).settings()) {
                modelKeys.add(s.key());
                modelKeys.add(ModelFamilies.student(s).key());
            }
        }
        Set<String> allModelKeys = new LinkedHashSet<>();
        for (Setting<?> s : ModelFamilies.settings()) {
            allModelKeys.add(s.key());
            allModelKeys.add(ModelFamilies.student(s).key());
        }
        Map<Setting<?>, List<JsonNode>> axes = new LinkedHashMap<>();
        for (Setting<?> a : SweepCell.axisSettings()) {
            if (listed.containsKey(a.key()) || !allModelKeys.contains(a.key()) || modelKeys.contains(a.key())) {
                axes.put(a, listed.getOrDefault(a.key(), List.of(defaultValue(a))));
            }
        }
        long product = 1;
        for (List<JsonNode> values : axes.values()) {
            product = values.size() > maxCells / product ? maxCells + 1 : product * values.size();
        }
        if (product > maxCells) {
            throw new IllegalArgumentException("the axes' values make more than " + maxCells + " cells; split the grid "
                    + "or allow more with --max-cells");
        }
        return new SweepGrid(axes, first, (int) count, cells(axes), List.of());
    }

    /**
     * The seeds of a grid document: {@code {first, count}} from its {@code seeds} field (a count, or an
     * object with {@code first} and {@code count}; first defaults to 1, count to 100).
     */
    public static long[] seeds(JsonNode root) {
        long first = 1;
        long count = 100;
        JsonNode seeds = root.get(SEEDS);
        if (seeds != null && seeds.isObject()) {
            for (Iterator<String> it = seeds.fieldNames(); it.hasNext(); ) {
                String f = it.next();
                if (!f.equals(FIRST) && !f.equals(COUNT)) {
                    throw new IllegalArgumentException("unknown field 'seeds." + Texts.quote(f) + "'; expected 'first' and 'count'");
                }
            }
            first = seeds.has(FIRST) ? integer(seeds.get(FIRST), "seeds.first", Long.MIN_VALUE) : first;
            count = seeds.has(COUNT) ? integer(seeds.get(COUNT), "seeds.count", 1) : count;
        } else if (seeds != null) {
            count = integer(seeds, "seeds", 1);
        }
        if (count > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("seeds.count = " + count + " is too large");
        }
        if (first > Long.MAX_VALUE - (count - 1)) {
            throw new IllegalArgumentException("seeds: " + count + " seeds from " + first
                    + " run past the largest seed " + Long.MAX_VALUE);
        }
        return new long[] {first, count};
    }

    /** The configuration object of a results header ({@link SweepSchema}): axes, seeds and cells; with the shard when n > 1. */
    @Override
    public ObjectNode config(Shard shard) {
        return header(null, axes, firstSeed, seedCount, cells.stream().map(SweepCell::axes).toList(), c -> {
            if (!names.isEmpty()) {
                names.forEach(c.putArray(SweepSchema.CELL_NAMES.name())::add);
            }
        }, shard);
    }

    /**
     * The configuration a results header holds for a grid, as read back from a file (so that it
     * compares equal to a stored header: 1 is an int there): {@code experiment} (when not null), the
     * axes, the seeds, every cell's axes, what {@code extra} adds, and the shard when there are several.
     */
    public static ObjectNode header(String experiment, Map<Setting<?>, List<JsonNode>> axes, long firstSeed,
            int seedCount, List<ObjectNode> cells, Consumer<ObjectNode> extra, Shard shard) {
        ObjectNode c = JsonNodeFactory.instance.objectNode();
        if (experiment != null) {
            c.put("experiment", experiment);
        }
        ObjectNode a = SweepSchema.AXES.putObject(c);
        axes.forEach((axis, values) -> a.putArray(axis.key()).addAll(values));
        ObjectNode s = SweepSchema.SEEDS.putObject(c);
        SweepSchema.FIRST.put(s, firstSeed);
        SweepSchema.COUNT.put(s, seedCount);
        ArrayNode cs = c.putArray(SweepSchema.CELLS.name());
        cells.forEach(cs::add);
        extra.accept(c);
        if (shard.count() > 1) {
            ObjectNode sh = SweepSchema.SHARD.putObject(c);
            SweepSchema.SHARD_INDEX.put(sh, shard.index());
            SweepSchema.SHARD_COUNT.put(sh, shard.count());
        }
        try {
            return (ObjectNode) JSON.readTree(JSON.writeValueAsBytes(c));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The axes of a grid whose cells are configurations of {@code settings} (the MNIST and leakage
     * grids): every setting in order, with the values its {@code axes} entry lists or else its default;
     * an unknown key, {@code axes} that is not a map or more than {@code maxCells} cells is refused,
     * naming {@code kind} (e.g. "MNIST") in the message.
     */
    public static Map<Setting<?>, List<JsonNode>> settingAxes(JsonNode root, List<Setting<?>> settings, String kind,
            long maxCells) {
        JsonNode given = root.get(AXES);
        if (given != null && !given.isObject()) {
            throw new IllegalArgumentException("'axes' must map settings to their values, got " + given);
        }
        Map<String, Setting<?>> byKey = new LinkedHashMap<>();
        settings.forEach(s -> byKey.put(s.key(), s));
        Map<String, List<JsonNode>> listed = new LinkedHashMap<>();
        if (given != null) {
            for (Iterator<Map.Entry<String, JsonNode>> it = given.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> a = it.next();
                Setting<?> s = byKey.get(a.getKey());
                if (s == null) {
                    throw new IllegalArgumentException("axes." + a.getKey() + ": unknown " + kind
                            + " setting; expected one of " + String.join(", ", byKey.keySet()));
                }
                listed.put(s.key(), values(s, a.getValue()));
            }
        }
        Map<Setting<?>, List<JsonNode>> axes = new LinkedHashMap<>();
        long product = 1;
        for (Setting<?> s : settings) {
            List<JsonNode> v = listed.getOrDefault(s.key(), List.of(json(s, s.defaultValue())));
            axes.put(s, v);
            product = v.size() > maxCells / product ? maxCells + 1 : product * v.size();
        }
        if (product > maxCells) {
            throw new IllegalArgumentException("the axes' values make more than " + maxCells + " cells; split the grid "
                    + "or allow more with --max-cells");
        }
        return axes;
    }

    /** The default of an axis in grid form: the setting's default, or {@value SweepCell#SAME} for student axes. */
    private static JsonNode defaultValue(Setting<?> a) {
        return a.defaultValue() == null ? TextNode.valueOf(SweepCell.SAME) : json(a, a.defaultValue());
    }

    private static <T> JsonNode json(Setting<T> a, Object value) {
        @SuppressWarnings("unchecked")
        T t = (T) value;
        return a.toJson(t);
    }

    /** The normalized values an axis lists: one value, or a list of them (a list of numbers is one set of sizes). */
    public static List<JsonNode> values(Setting<?> a, JsonNode node) {
        List<JsonNode> raw = new ArrayList<>();
        boolean oneList = a.type().readsArrays() && node.isArray() && node.size() > 0 && node.get(0).isNumber();
        if (node.isArray() && !oneList) {
            node.forEach(raw::add);
        } else {
            raw.add(node);
        }
        if (raw.isEmpty()) {
            throw new IllegalArgumentException("axes." + a.key() + ": empty list; give at least one value");
        }
        Set<JsonNode> out = new LinkedHashSet<>();
        for (JsonNode v : raw) {
            try {
                out.add(v.isTextual() && v.textValue().strip().equals(SweepCell.SAME) && a.defaultValue() == null
                        ? TextNode.valueOf(SweepCell.SAME) : json(a, a.type().fromJson(v)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("axes." + a.key() + ": " + e.getMessage());
            }
        }
        return List.copyOf(out);
    }

    private static List<SweepCell> cells(Map<Setting<?>, List<JsonNode>> axes) {
        return product(axes, SweepCell::of, SweepCell::axes);
    }

    /**
     * The cells of the product of the axes' values, first axis slowest: {@code make} builds a cell from
     * one value per axis (an error names the cell), and of cells whose {@code normalized} forms are
     * equal only the first is kept.
     */
    public static <C> List<C> product(Map<Setting<?>, List<JsonNode>> axes,
            java.util.function.Function<Map<String, JsonNode>, C> make, java.util.function.Function<C, JsonNode> normalized) {
        List<Setting<?>> all = List.copyOf(axes.keySet());
        int[] index = new int[all.size()];
        Set<JsonNode> seen = new LinkedHashSet<>();
        List<C> cells = new ArrayList<>();
        while (true) {
            Map<String, JsonNode> point = new LinkedHashMap<>();
            for (int i = 0; i < all.size(); i++) {
                point.put(all.get(i).key(), axes.get(all.get(i)).get(index[i]));
            }
            C cell;
            try {
                cell = make.apply(point);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("the cell " + describe(axes, point) + " is invalid: " + e.getMessage());
            }
            if (seen.add(normalized.apply(cell))) {
                cells.add(cell);
            }
            int i = all.size() - 1;
            while (i >= 0 && ++index[i] == axes.get(all.get(i)).size()) {
                index[i] = 0;
                i--;
            }
            if (i < 0) {
                return cells;
            }
        }
    }

    private static String describe(Map<Setting<?>, List<JsonNode>> axes, Map<String, JsonNode> point) {
        StringBuilder s = new StringBuilder();
        axes.keySet().forEach(a -> {
            JsonNode v = point.get(a.key());
            if (!v.equals(defaultValue(a))) {
                s.append(s.length() == 0 ? "" : ", ").append(a.key()).append('=').append(v.asText());
            }
        });
        return "(" + (s.length() == 0 ? "defaults" : s) + ")";
    }

    private static long integer(JsonNode v, String field, long min) {
        if (!v.canConvertToExactIntegral() || !v.canConvertToLong() || v.asLong() < min) {
            throw new IllegalArgumentException(field + ": expected an integer ≥ " + min + ", got " + v);
        }
        return v.asLong();
    }
}
