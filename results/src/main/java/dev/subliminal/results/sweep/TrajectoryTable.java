package dev.subliminal.results.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.subliminal.results.Texts;
import dev.subliminal.results.schema.Field;
import dev.subliminal.results.stats.MeanInterval;
import dev.subliminal.results.store.Header;
import dev.subliminal.results.store.RecordSink;
import dev.subliminal.results.store.ResultsReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * A check sweep's trajectories read at chosen points: per cell and point, the mean over seeds of each
 * of the columns {@link #COLUMNS} (cos(U_t, Δ_T), γ_t, S_t, N_t, U_t·Δ_T, L_T(θ_t)) with its Student-t
 * 95% interval ({@link MeanInterval#of95}; the cosine's within [−1, 1]).
 *
 * <p>A point is a step k, or a time t read at step k = t/α of each cell (a whole number, recorded), where
 * the columns that sum steps, U_t·Δ_T, S_t and N_t, are scaled by α to time units: α·U_t·Δ_T =
 * (θ_t − θ_S0)·Δ_T, and α·S_t, α·N_t, so that SGD at any α and the gradient flow compare at one t.
 *
 * <p>Against a reference (a value of one axis, the optimizer {@code flow}, say): for every cell whose
 * other axes equal those of a cell with the reference value, the mean over the seeds both hold of the
 * paired gap |x − x_ref| of the columns {@link #GAP_COLUMNS} at the same point (the same time t, at
 * each cell's own step t/α), with its t 95% interval (within [0, ∞)).
 *
 * <p>Values are reduced in increasing seed order, so the numbers do not depend on the file's record
 * order; null entries (the cosine at step 0) and failed units are not counted.
 *
 * @param varied the grid's axes with more than one value, in grid order
 * @param points the points, in the order asked
 * @param pairAxis the axis whose value names the reference; null without one
 * @param against the reference value of {@code pairAxis}; null without one
 * @param rows one per cell with trajectories, in cell order
 */
public record TrajectoryTable(List<String> varied, List<Point> points, String pairAxis, String against,
        List<Row> rows) {

    /** The columns read at each point. */
    public static final List<Field> COLUMNS = List.of(SweepSchema.COSINE, SweepSchema.GAMMA, SweepSchema.SIGNAL,
            SweepSchema.RESIDUAL, SweepSchema.DOT, SweepSchema.TRAIT_LOSS);

    /** The columns whose paired gap to the reference is given. */
    public static final List<Field> GAP_COLUMNS = List.of(SweepSchema.COSINE, SweepSchema.DOT, SweepSchema.TRAIT_LOSS);

    /** The columns that sum steps: scaled by α at a time point. */
    private static final Set<Field> SUMS = Set.of(SweepSchema.DOT, SweepSchema.SIGNAL, SweepSchema.RESIDUAL);

    /**
     * Where trajectories are read: step k, or time t = k·α.
     *
     * @param time whether {@code value} is a time t (else a step k)
     * @param value k or t
     */
    public record Point(boolean time, double value) {

        public Point {
            if (!(value >= 0) || Double.isInfinite(value) || (!time && value != Math.rint(value))) {
                throw new IllegalArgumentException((time ? "time " : "step ") + Texts.compact(value)
                        + ": expected " + (time ? "a finite number ≥ 0" : "a whole number ≥ 0"));
            }
        }

        /** Step k. */
        public static Point step(int k) {
            return new Point(false, k);
        }

        /** Time t. */
        public static Point time(double t) {
            return new Point(true, t);
        }

        /** {@code step 5} or {@code t = 1}. */
        public String label() {
            return time ? "t = " + Texts.compact(value) : "step " + (long) value;
        }

        /** The step at which a cell of rate α reads this point: k, or t/α (which must be a whole number). */
        long step(double alpha) {
            if (!time) {
                return (long) value;
            }
            double k = value / alpha;
            long r = Math.round(k);
            if (!(alpha > 0 && Double.isFinite(k)) || Math.abs(k - r) > 1e-9 * Math.max(1, k)) {
                throw new IllegalArgumentException("time " + Texts.compact(value) + " is not a whole number of steps "
                        + "of α = " + Texts.compact(alpha) + " (t/α = " + Texts.compact(k) + ")");
            }
            return r;
        }
    }

    /**
     * One cell's numbers.
     *
     * @param cell the cell index
     * @param axes the cell's value of each varied axis
     * @param alpha the cell's α
     * @param seeds the number of its records with a trajectory
     * @param values per point (in order), per column of {@link #COLUMNS}: the mean over seeds and its interval
     * @param gaps per point, per column of {@link #GAP_COLUMNS}: the mean paired gap to the reference cell
     *     and its interval; null without a reference cell (or for the reference cell itself)
     * @param reference the index of the reference cell the gaps are to; −1 without one
     */
    public record Row(int cell, Map<String, JsonNode> axes, double alpha, int seeds, List<List<MeanInterval>> values,
            List<List<MeanInterval>> gaps, int reference) {
    }

    /**
     * Reads {@code file} (a {@value SweepSchema#NAME} file) at {@code points}, with gaps to the cells whose
     * {@code pairAxis} is {@code against} when both are given.
     *
     * @throws IllegalArgumentException if no point is given, the file has no trajectories, a point is not a
     *     recorded step of some cell, or no cell has {@code against}
     */
    public static TrajectoryTable of(Path file, List<Point> points, String pairAxis, String against) {
        if (points.isEmpty()) {
            throw new IllegalArgumentException("no step or time to read the trajectories at");
        }
        if ((pairAxis == null) != (against == null)) {
            throw new IllegalArgumentException("a reference needs both its axis and its value");
        }
        Reader r = new Reader(List.copyOf(points));
        ResultsReader.read(file, SweepSchema.SCHEMA, r);
        if (r.cells.isEmpty()) {
            throw new IllegalArgumentException(file + " has no trajectories (its grid's recordEvery is 0; run it with "
                    + "recordEvery > 0 to record them)");
        }
        Map<Integer, Integer> references = new TreeMap<>();
        if (against != null) {
            references = references(file, r.cells, pairAxis, against);
        }
        List<Row> rows = new ArrayList<>();
        for (CellValues c : r.cells.values()) {
            Integer ref = references.get(c.index);
            List<List<MeanInterval>> gaps = ref == null ? null : gaps(c, r.cells.get(ref), points.size());
            rows.add(new Row(c.index, c.varied(r.varied), c.alpha, c.seeds.size(), c.means(points.size()), gaps,
                    ref == null ? -1 : ref));
        }
        return new TrajectoryTable(List.copyOf(r.varied), List.copyOf(points), pairAxis, against,
                Collections.unmodifiableList(rows));
    }

    /** Per cell (not itself a reference), the reference cell with the same other axes, where there is one. */
    private static Map<Integer, Integer> references(Path file, Map<Integer, CellValues> cells, String pairAxis,
            String against) {
        Map<Map<String, JsonNode>, Integer> byKey = new LinkedHashMap<>();
        Set<String> values = new LinkedHashSet<>();
        for (CellValues c : cells.values()) {
            JsonNode v = c.axes.get(pairAxis);
            values.add(v == null ? "(none)" : v.asText());
            if (v != null && v.asText().equals(against)) {
                byKey.putIfAbsent(c.key(pairAxis), c.index);
            }
        }
        if (byKey.isEmpty()) {
            throw new IllegalArgumentException("no cell of " + file + " with trajectories has " + pairAxis + " "
                    + against + " (its " + pairAxis + " values: " + String.join(", ", values) + ")");
        }
        Map<Integer, Integer> references = new TreeMap<>();
        for (CellValues c : cells.values()) {
            Integer ref = byKey.get(c.key(pairAxis));
            if (ref != null && ref != c.index) {
                references.put(c.index, ref);
            }
        }
        return references;
    }

    /** The mean over the seeds of both cells of |x − x_ref| at each point, for each gap column. */
    private static List<List<MeanInterval>> gaps(CellValues c, CellValues ref, int points) {
        List<List<MeanInterval>> gaps = new ArrayList<>();
        for (int p = 0; p < points; p++) {
            List<MeanInterval> row = new ArrayList<>();
            for (Field f : GAP_COLUMNS) {
                int column = COLUMNS.indexOf(f);
                double[] d = new double[c.seeds.size()];
                int n = 0;
                for (Map.Entry<Long, double[][]> e : c.seeds.entrySet()) {
                    double[][] other = ref.seeds.get(e.getKey());
                    if (other != null) {
                        d[n++] = Math.abs(e.getValue()[p][column] - other[p][column]);
                    }
                }
                row.add(MeanInterval.of95(Arrays.copyOf(d, n)).within(0, Double.POSITIVE_INFINITY));
            }
            gaps.add(List.copyOf(row));
        }
        return Collections.unmodifiableList(gaps);
    }

    /** Reads the records' trajectories at the points. */
    private static final class Reader implements RecordSink {
        final List<Point> points;
        final List<String> varied = new ArrayList<>();
        final Map<Integer, CellValues> cells = new TreeMap<>();

        Reader(List<Point> points) {
            this.points = points;
        }

        @Override
        public void header(Header h) {
            SweepSchema.checkConfig(h.config());
            for (Map.Entry<String, JsonNode> e : SweepSchema.AXES.object(h.config()).properties()) {
                if (e.getValue().size() > 1) {
                    varied.add(e.getKey());
                }
            }
        }

        @Override
        public void record(JsonNode r) {
            JsonNode t = SweepSchema.TRAJECTORY.object(r);
            if (t == null || SweepSchema.FAILURE.isIn(r)) {
                return;
            }
            int index = (int) SweepSchema.CELL.integer(r);
            double alpha = SweepSchema.ALPHA.number(r);
            CellValues c = cells.computeIfAbsent(index, i -> new CellValues(i, SweepSchema.AXES.object(r), alpha));
            JsonNode steps = SweepSchema.STEP.object(t);
            double[][] v = new double[points.size()][COLUMNS.size()];
            for (int p = 0; p < points.size(); p++) {
                long step = points.get(p).step(alpha);
                int i = indexOf(steps, step);
                if (i < 0) {
                    Point point = points.get(p);
                    throw new IllegalArgumentException((point.time() ? point.label() + " is step " + step + " of cell "
                            + index + " (α = " + Texts.compact(alpha) + "), which its trajectories do not record"
                            : "step " + step + " is not recorded in the trajectories of cell " + index)
                            + " (steps " + stepList(steps) + ")");
                }
                for (int col = 0; col < COLUMNS.size(); col++) {
                    Field f = COLUMNS.get(col);
                    JsonNode x = f.object(t).get(i);
                    double value = x == null || x.isNull() ? Double.NaN : x.doubleValue();
                    v[p][col] = points.get(p).time() && SUMS.contains(f) ? alpha * value : value;
                }
            }
            long seed = SweepSchema.SEED.integer(r);
            if (c.seeds.put(seed, v) != null) {
                throw new IllegalArgumentException("seed " + seed + " of cell " + index + " appears twice");
            }
        }

        private static int indexOf(JsonNode steps, long step) {
            for (int i = 0; i < steps.size(); i++) {
                if (steps.get(i).asLong() == step) {
                    return i;
                }
            }
            return -1;
        }

        private static String stepList(JsonNode steps) {
            List<String> s = new ArrayList<>();
            steps.forEach(x -> s.add(x.asText()));
            return String.join(", ", s);
        }
    }

    /** One cell's values per seed (in increasing seed order), per point, per column. */
    private static final class CellValues {
        final int index;
        final JsonNode axes;
        final double alpha;
        final TreeMap<Long, double[][]> seeds = new TreeMap<>();

        CellValues(int index, JsonNode axes, double alpha) {
            this.index = index;
            this.axes = axes;
            this.alpha = alpha;
        }

        /** The cell's axes other than {@code except}: what a reference cell must share. */
        Map<String, JsonNode> key(String except) {
            Map<String, JsonNode> k = new TreeMap<>();
            axes.properties().forEach(e -> {
                if (!e.getKey().equals(except)) {
                    k.put(e.getKey(), e.getValue());
                }
            });
            return k;
        }

        Map<String, JsonNode> varied(List<String> names) {
            Map<String, JsonNode> m = new LinkedHashMap<>();
            for (String n : names) {
                m.put(n, Objects.requireNonNullElse(axes.get(n), NullNode.getInstance()));
            }
            return Collections.unmodifiableMap(m);
        }

        List<List<MeanInterval>> means(int points) {
            List<List<MeanInterval>> means = new ArrayList<>();
            for (int p = 0; p < points; p++) {
                List<MeanInterval> row = new ArrayList<>();
                for (int col = 0; col < COLUMNS.size(); col++) {
                    double[] x = new double[seeds.size()];
                    int i = 0;
                    for (double[][] v : seeds.values()) {
                        x[i++] = v[p][col];
                    }
                    MeanInterval m = MeanInterval.of95(x);
                    row.add(COLUMNS.get(col) == SweepSchema.COSINE ? m.within(-1, 1) : m);
                }
                means.add(List.copyOf(row));
            }
            return Collections.unmodifiableList(means);
        }
    }

    /** The points as text: {@code step 5, step 50}. */
    public String pointList() {
        return points.stream().map(Point::label).collect(Collectors.joining(", "));
    }

    /** Whether any row has gaps. */
    public boolean hasGaps() {
        return rows.stream().anyMatch(r -> r.gaps() != null);
    }
}
