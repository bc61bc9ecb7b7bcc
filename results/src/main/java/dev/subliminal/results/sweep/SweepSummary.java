package dev.subliminal.results.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.subliminal.results.Texts;
import dev.subliminal.results.check.CheckSchema;
import dev.subliminal.results.stats.Histogram;
import dev.subliminal.results.stats.LeastSquares;
import dev.subliminal.results.stats.MeanInterval;
import dev.subliminal.results.stats.MedianInterval;
import dev.subliminal.results.stats.Proportion;
import dev.subliminal.results.stats.Sample;
import dev.subliminal.results.store.Header;
import dev.subliminal.results.store.RecordSink;
import dev.subliminal.results.store.ResultsReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The statistics of a {@value SweepSchema#NAME} file: what {@code sweep} and {@code summarize} print
 * and what the report tables and plots show.
 *
 * <p>Per cell: the rate of Δ_S·Δ_T &gt; 0, of a positive trait-carrying part (Δ_S − Δ_S^c)·Δ_T and
 * of L_T ending below the control's (Wilson 95% intervals and the one-sided exact binomial test of
 * rate ≤ 1/2), the mean cosine with its t 95% interval, its distribution in {@value #COSINE_BINS}
 * bins on [−1, 1], the median cosine, the median relative and absolute first-order errors with their
 * distribution-free 95% intervals; the rate of exact zeros (ties) of Δ_S·Δ_T and of the trait part;
 * for K_S &gt; 1 the rates after the last step. Undefined (null) values are not
 * counted; units that failed are counted apart.
 *
 * <p>Order of convergence: for cells that differ only in ε, each seed gives the least-squares slope
 * of log(absolute error) against log ε over the cells; the order is the mean slope over seeds with
 * its t 95% interval (seeds are independent; the cells of one seed are not). The absolute error of
 * the first-order prediction is O(ε²), so the slope is about 2 where the expansion holds (the
 * relative error is O(ε), slope 1).
 *
 * @param header the file's header
 * @param varied the axes the grid lists with more than one value, in grid order, with their values
 * @param fixed the axes with one value
 * @param cells the cells with at least one record, in cell order
 * @param convergence one entry per group of cells that differ only in ε (at least two values)
 */
public record SweepSummary(Header header, Map<String, List<JsonNode>> varied, Map<String, JsonNode> fixed,
        List<Cell> cells, List<Convergence> convergence) {

    /** The null rate of the binomial tests: a coin toss. */
    public static final double NULL_RATE = 0.5;

    /** Bins of the cosine histogram over [−1, 1]. */
    public static final int COSINE_BINS = 40;

    /**
     * One cell's statistics.
     *
     * @param index the cell index
     * @param name the cell's name in the header's {@code cellNames}; null if the cells have none
     * @param label the name, else the varied axes' values, e.g. {@code init=perturbed, perturbation=0.1}
     * @param axes the cell's value of every varied axis (null where its model has no such setting)
     * @param records the records read (failures included)
     * @param failures units whose update was not finite
     * @param positiveDot Δ_S·Δ_T &gt; 0 after the first step (no trials across architectures)
     * @param zeroDot Δ_S·Δ_T = 0 exactly (a tie, neither positive nor negative)
     * @param positiveTraitPart (Δ_S − Δ_S^c)·Δ_T &gt; 0 after the first step
     * @param zeroTraitPart (Δ_S − Δ_S^c)·Δ_T = 0 exactly (sampled labels equal to the control's, say)
     * @param dropsBelowControl L_T(θ_S) &lt; L_T(control) after the first step
     * @param cosine the mean of cos(Δ_S, Δ_T) with its t 95% interval, within [−1, 1]
     * @param cosines the distribution of cos(Δ_S, Δ_T)
     * @param medianCosine the median cosine
     * @param relativeError the median relative first-order error with its distribution-free 95% interval
     * @param absoluteError the median absolute first-order error with its distribution-free 95% interval
     * @param end after the last step; null for one-step cells
     */
    public record Cell(int index, String name, String label, Map<String, JsonNode> axes, int records, int failures,
            Proportion positiveDot, Proportion zeroDot, Proportion positiveTraitPart, Proportion zeroTraitPart,
            Proportion dropsBelowControl, MeanInterval cosine, Histogram cosines, double medianCosine,
            MedianInterval relativeError, MedianInterval absoluteError, End end) {

        /** The median relative first-order error. */
        public double medianRelativeError() {
            return relativeError.median();
        }

        /** Δ_S·Δ_T &gt; 0 after the last step; null for one-step cells. */
        public Proportion endPositiveDot() {
            return end == null ? null : end.positiveDot();
        }

        /** L_T below the control after the last step; null for one-step cells. */
        public Proportion endDropsBelowControl() {
            return end == null ? null : end.dropsBelowControl();
        }

        /**
         * The rates after the student's last step: {@link #end} for multi-step cells, the first step's
         * for one-step cells (where the last step is the first).
         */
        public End last() {
            return end != null ? end : new End(positiveDot, positiveTraitPart, dropsBelowControl);
        }
    }

    /**
     * The rates after the student's last step (K_S &gt; 1), for its summed update.
     *
     * @param positiveDot Δ_S·Δ_T &gt; 0
     * @param positiveTraitPart (Δ_S − Δ_S^c)·Δ_T &gt; 0
     * @param dropsBelowControl L_T(θ_S) &lt; L_T(control)
     */
    public record End(Proportion positiveDot, Proportion positiveTraitPart, Proportion dropsBelowControl) {
    }

    /**
     * The empirical order of convergence of a group of cells.
     *
     * @param label the group's varied axes other than ε
     * @param epsilons the ε values, increasing
     * @param cells the index of the cell at each ε
     * @param slope the mean per-seed slope of log(absolute error) vs log ε and its t 95% interval
     */
    public record Convergence(String label, double[] epsilons, int[] cells, MeanInterval slope) {
    }

    /** Reads a sweep results file in one streaming pass. */
    public static SweepSummary of(Path file) {
        Accumulator a = new Accumulator();
        ResultsReader.read(file, SweepSchema.SCHEMA, a);
        return a.summary();
    }

    /** Whether every value the grid lists for {@code axis} is a JSON number (a numeric axis, else categorical). */
    public boolean numeric(String axis) {
        List<JsonNode> values = varied.get(axis);
        return values != null && values.stream().allMatch(JsonNode::isNumber);
    }

    /** Whether any cell has statistics after a last step (K_S &gt; 1). */
    public boolean multiStep() {
        return cells.stream().anyMatch(c -> c.endPositiveDot() != null);
    }

    /** Collects the records of one sweep file (header first), then summarizes them. */
    public static final class Accumulator implements RecordSink {

        private Header header;
        private final Map<String, List<JsonNode>> varied = new LinkedHashMap<>();
        private final Map<String, JsonNode> fixed = new LinkedHashMap<>();
        private final List<String> names = new ArrayList<>();
        private final Map<Integer, CellRecords> cells = new TreeMap<>();

        @Override
        public void header(Header h) {
            SweepSchema.checkConfig(h.config());
            this.header = h;
            JsonNode cellNames = SweepSchema.CELL_NAMES.object(h.config());
            if (cellNames != null) {
                cellNames.forEach(n -> names.add(n.textValue()));
            }
            for (Map.Entry<String, JsonNode> e : SweepSchema.AXES.object(h.config()).properties()) {
                List<JsonNode> values = new ArrayList<>();
                e.getValue().forEach(values::add);
                if (values.size() == 1) {
                    fixed.put(e.getKey(), values.get(0));
                } else {
                    varied.put(e.getKey(), values);
                }
            }
        }

        @Override
        public void record(JsonNode r) {
            int index = (int) SweepSchema.CELL.integer(r);
            CellRecords c = cells.computeIfAbsent(index, i -> new CellRecords(i, SweepSchema.AXES.object(r),
                    varied, i < names.size() ? names.get(i) : null));
            c.add(r);
        }

        /** The statistics of the records added so far. */
        public SweepSummary summary() {
            Map<String, Map<Double, CellRecords>> groups = new LinkedHashMap<>();
            for (CellRecords c : cells.values()) {
                groups.computeIfAbsent(c.groupLabel, k -> new TreeMap<>()).put(c.epsilon, c);
            }
            List<Convergence> convergence = new ArrayList<>();
            groups.forEach((label, byEpsilon) -> {
                if (byEpsilon.size() >= 2) {
                    Convergence c = convergence(label, byEpsilon);
                    if (c.slope().count() > 0) {
                        convergence.add(c);
                    }
                }
            });
            return new SweepSummary(header, Collections.unmodifiableMap(varied), Collections.unmodifiableMap(fixed),
                    cells.values().stream().map(CellRecords::summary).toList(), convergence);
        }
    }

    /** The numbers kept from one cell's records: a few per record, in reading order. */
    private static final class CellRecords {
        final int index;
        final String name;
        final String label;
        final String groupLabel;
        final Map<String, JsonNode> axes;
        double epsilon = Double.NaN;
        int records;
        int failures;
        final Proportion positiveDot = new Proportion();
        final Proportion zeroDot = new Proportion();
        final Proportion positiveTraitPart = new Proportion();
        final Proportion zeroTraitPart = new Proportion();
        final Proportion drops = new Proportion();
        boolean hasEnd;
        final Proportion endPositiveDot = new Proportion();
        final Proportion endPositiveTraitPart = new Proportion();
        final Proportion endDrops = new Proportion();
        final Sample cosines = new Sample();
        final Sample relative = new Sample();
        long[] seeds = new long[16];
        double[] absolute = new double[16];
        int points;

        CellRecords(int index, JsonNode cellAxes, Map<String, List<JsonNode>> varied, String name) {
            this.index = index;
            this.name = name;
            this.label = name != null ? name : label(cellAxes, varied, null);
            this.groupLabel = label(cellAxes, varied, CheckSchema.EPSILON.name());
            this.axes = new LinkedHashMap<>();
            for (Map.Entry<String, List<JsonNode>> e : varied.entrySet()) {
                String axis = e.getKey();
                boolean numeric = e.getValue().stream().allMatch(JsonNode::isNumber);
                JsonNode v = cellAxes.get(axis);
                if (v == null && !numeric) {
                    // a model setting that this cell's family does not have (a linear model's activation)
                    axes.put(axis, NullNode.getInstance());
                    continue;
                }
                if (v == null) {
                    throw new IllegalArgumentException("missing field \"axes." + axis + "\"");
                }
                if (numeric != v.isNumber()) {
                    throw new IllegalArgumentException("axis \"" + axis + "\" is " + Texts.quote(v)
                            + ", but config.axes lists " + Texts.quote(e.getValue()));
                }
                axes.put(axis, v);
            }
        }

        void add(JsonNode r) {
            records++;
            double eps = SweepSchema.EPSILON.number(r);
            if (Double.isNaN(epsilon)) {
                epsilon = eps;
            }
            if (SweepSchema.FAILURE.isIn(r)) {
                failures++;
                return;
            }
            double dot = CheckSchema.DOT.number(r);
            double traitPart = CheckSchema.TRAIT_PART.number(r);
            rate(positiveDot, dot);
            tie(zeroDot, dot);
            rate(positiveTraitPart, traitPart);
            tie(zeroTraitPart, traitPart);
            drops.add(CheckSchema.TRAIT_DROPS_BELOW_CONTROL.bool(r));
            double cos = CheckSchema.COSINE.number(r);
            cosines.add(cos);
            double rel = CheckSchema.RELATIVE_ERROR.number(r);
            relative.add(rel);
            double abs = CheckSchema.ABSOLUTE_ERROR.number(r);
            if (points == seeds.length) {
                seeds = Arrays.copyOf(seeds, points * 2);
                absolute = Arrays.copyOf(absolute, points * 2);
            }
            seeds[points] = SweepSchema.SEED.integer(r);
            absolute[points++] = abs;
            JsonNode end = SweepSchema.END.object(r);
            if (end != null) {
                hasEnd = true;
                rate(endPositiveDot, CheckSchema.DOT.number(end));
                rate(endPositiveTraitPart, CheckSchema.TRAIT_PART.number(end));
                endDrops.add(CheckSchema.TRAIT_DROPS_BELOW_CONTROL.bool(end));
            }
        }

        private static void rate(Proportion p, double value) {
            if (!Double.isNaN(value)) {
                p.add(value > 0);
            }
        }

        private static void tie(Proportion p, double value) {
            if (!Double.isNaN(value)) {
                p.add(value == 0);
            }
        }

        Cell summary() {
            double[] cos = cosines.toArray();
            Histogram h = new Histogram(-1, 1, COSINE_BINS);
            for (double c : cos) {
                h.add(c);
            }
            return new Cell(index, name, label, Collections.unmodifiableMap(axes), records, failures, positiveDot,
                    zeroDot, positiveTraitPart, zeroTraitPart, drops, MeanInterval.of95(cos).within(-1, 1), h,
                    cosines.median(), MedianInterval.of95(relative.toArray()),
                    MedianInterval.of95(Arrays.copyOf(absolute, points)),
                    hasEnd ? new End(endPositiveDot, endPositiveTraitPart, endDrops) : null);
        }
    }

    /**
     * The order of convergence of cells that differ only in ε: per seed, the least-squares slope of
     * log(absolute error) against log ε over the cells (points in increasing ε; positive finite errors
     * only), then the mean of the slopes in increasing seed order with its t interval.
     */
    private static Convergence convergence(String label, Map<Double, CellRecords> byEpsilon) {
        int total = byEpsilon.values().stream().mapToInt(c -> c.points).sum();
        long[] seeds = new long[total];
        double[] logEps = new double[total];
        double[] logErr = new double[total];
        int m = 0;
        for (Map.Entry<Double, CellRecords> e : byEpsilon.entrySet()) {
            double eps = e.getKey();
            CellRecords cell = e.getValue();
            for (int i = 0; i < cell.points; i++) {
                double err = cell.absolute[i];
                if (err > 0 && Double.isFinite(err) && eps > 0) {
                    seeds[m] = cell.seeds[i];
                    logEps[m] = Math.log(eps);
                    logErr[m++] = Math.log(err);
                }
            }
        }
        long[] distinct = Arrays.stream(seeds, 0, m).sorted().distinct().toArray();
        int[] start = new int[distinct.length + 1];
        int[] slot = new int[m];
        for (int j = 0; j < m; j++) {
            slot[j] = Arrays.binarySearch(distinct, seeds[j]);
            start[slot[j] + 1]++;
        }
        for (int s = 0; s < distinct.length; s++) {
            start[s + 1] += start[s];
        }
        double[] x = new double[m];
        double[] y = new double[m];
        int[] next = Arrays.copyOf(start, distinct.length);
        for (int j = 0; j < m; j++) { // in increasing ε within each seed, as the cells were visited
            x[next[slot[j]]] = logEps[j];
            y[next[slot[j]]++] = logErr[j];
        }
        double[] slopes = new double[distinct.length];
        for (int s = 0; s < distinct.length; s++) {
            slopes[s] = LeastSquares.slope(Arrays.copyOfRange(x, start[s], start[s + 1]),
                    Arrays.copyOfRange(y, start[s], start[s + 1]));
        }
        return new Convergence(label, byEpsilon.keySet().stream().mapToDouble(Double::doubleValue).toArray(),
                byEpsilon.values().stream().mapToInt(c -> c.index).toArray(), MeanInterval.of95(slopes));
    }

    /** The varied axes' values of a cell, {@code a=v, b=w}, leaving out {@code except}; {@code all} if none. */
    private static String label(JsonNode axes, Map<String, List<JsonNode>> varied, String except) {
        StringBuilder s = new StringBuilder();
        for (String a : varied.keySet()) {
            if (!a.equals(except) && axes.has(a)) {
                s.append(s.length() == 0 ? "" : ", ").append(a).append('=').append(axes.get(a).asText());
            }
        }
        return s.length() == 0 ? "all" : s.toString();
    }
}
