package dev.subliminal.simulation.sweep;

import dev.subliminal.simulation.check.CheckConfig;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.subliminal.simulation.stats.LeastSquares;
import dev.subliminal.simulation.stats.Medians;
import dev.subliminal.simulation.stats.MeanInterval;
import dev.subliminal.simulation.stats.Proportion;
import dev.subliminal.simulation.store.ResultStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The statistics of a sweep results file, per cell, and the empirical order of convergence in ε.
 *
 * <p>Per cell: the rate of Δ_S·Δ_T > 0, of a positive trait-carrying part (Δ_S − Δ_S^c)·Δ_T and of L_T ending below the control's (Wilson 95% intervals
 * and the one-sided binomial test of rate ≤ 1/2), the mean cosine with its t 95% interval, the median
 * cosine and the median relative first-order error; for K_S > 1 the same two rates after the last step.
 *
 * <p>Order of convergence: for cells that differ only in ε, each seed gives the least-squares slope
 * of log(absolute error) against log ε over the cells; the order is the mean slope over seeds with
 * its t 95% interval (seeds are independent; the cells of one seed are not). The absolute error of
 * the first-order prediction is O(ε²), so the slope is about 2 where the expansion holds (the
 * relative error is O(ε), slope 1).
 *
 * @param config the header's configuration
 * @param cells the cells with at least one record, in cell order
 * @param convergence one entry per group of cells that differ only in ε (at least two values)
 */
public record SweepSummary(JsonNode config, List<Cell> cells, List<Convergence> convergence) {

    /** The null rate of the binomial tests: a coin toss. */
    public static final double NULL_RATE = 0.5;

    /**
     * One cell's statistics.
     *
     * @param cell the cell index
     * @param label the cell's name in the header's {@code cellNames}, else the varying axes' values, e.g.
     *     {@code init=perturbed, perturbation=0.1}
     * @param records the records read (failures included)
     * @param failures units whose update was not finite
     * @param positiveDot Δ_S·Δ_T > 0 after the first step (no trials across architectures)
     * @param positiveTraitPart (Δ_S − Δ_S^c)·Δ_T > 0 after the first step (no trials across architectures)
     * @param dropsBelowControl L_T(θ_S) < L_T(θ_control) after the first step
     * @param cosine the mean of cos(Δ_S, Δ_T) with its t interval
     * @param medianCosine the median cosine
     * @param medianRelativeError the median relative first-order error
     * @param endPositiveDot after the last step; null for one-step cells
     * @param endDropsBelowControl after the last step; null for one-step cells
     */
    public record Cell(int cell, String label, int records, int failures, Proportion positiveDot,
            Proportion positiveTraitPart, Proportion dropsBelowControl, MeanInterval cosine, double medianCosine, double medianRelativeError,
            Proportion endPositiveDot, Proportion endDropsBelowControl) {
    }

    /**
     * The empirical order of convergence of a group of cells.
     *
     * @param label the group's varying axes other than ε
     * @param epsilons the ε values, increasing
     * @param slope the mean per-seed slope of log(absolute error) vs log ε and its t 95% interval
     */
    public record Convergence(String label, double[] epsilons, MeanInterval slope) {
    }

    /** Reads a results file in one streaming pass, keeping a few numbers per record. */
    public static SweepSummary of(Path file) {
        ResultStore.Header header = ResultStore.header(file);
        if (!header.schema().equals(SweepRecord.SCHEMA)) {
            throw new IllegalArgumentException(file + " holds " + header.schema() + " results, not " + SweepRecord.SCHEMA);
        }
        Accumulator a = new Accumulator(header.config());
        ResultStore.forEachRecord(file, a::add);
        return a.summary();
    }

    /** Collects the records of one sweep, in any order, then summarizes them. */
    public static final class Accumulator {

        private final JsonNode config;
        private final List<String> varying;
        private final Map<Integer, CellRecords> cells = new TreeMap<>();

        /** An accumulator for the sweep with this header configuration. */
        public Accumulator(JsonNode config) {
            this.config = config;
            this.varying = varying(config);
        }

        /** Adds one record. */
        public void add(ObjectNode r) {
            int cell = r.get("cell").asInt();
            JsonNode name = config.path("cellNames").path(cell);
            cells.computeIfAbsent(cell, k -> new CellRecords(cell, r.get("axes"), varying,
                    name.isTextual() ? name.asText() : null)).add(r);
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
            return new SweepSummary(config, cells.values().stream().map(CellRecords::summary).toList(), convergence);
        }
    }

    /** The numbers kept from one cell's records. */
    private static final class CellRecords {
        final int cell;
        final String label;
        final String groupLabel;
        final double epsilon;
        int records;
        int failures;
        int dotTrials;
        int dotPositive;
        int traitTrials;
        int traitPositive;
        int drops;
        boolean hasEnd;
        int endTrials;
        int endPositive;
        int endDrops;
        final List<Double> cosines = new ArrayList<>();
        final List<Double> relative = new ArrayList<>();
        final Map<Long, Double> absoluteBySeed = new TreeMap<>();

        CellRecords(int cell, JsonNode axes, List<String> varying, String name) {
            this.cell = cell;
            this.label = name != null ? name : label(axes, varying, null);
            this.groupLabel = label(axes, varying, CheckConfig.EPSILON.key());
            this.epsilon = axes.get(CheckConfig.EPSILON.key()).asDouble();
        }

        void add(ObjectNode r) {
            records++;
            if (r.has("failure")) {
                failures++;
                return;
            }
            if (!r.get("dot").isNull()) {
                dotTrials++;
                dotPositive += r.get("dot").asDouble() > 0 ? 1 : 0;
            }
            if (!r.get("traitPart").isNull()) {
                traitTrials++;
                traitPositive += r.get("traitPart").asDouble() > 0 ? 1 : 0;
            }
            cosines.add(number(r.get("cosine")));
            relative.add(number(r.get("relativeError")));
            absoluteBySeed.put(r.get("seed").asLong(), number(r.get("absoluteError")));
            drops += r.get("traitDropsBelowControl").asBoolean() ? 1 : 0;
            JsonNode end = r.get("end");
            if (end != null) {
                hasEnd = true;
                if (!end.get("dot").isNull()) {
                    endTrials++;
                    endPositive += end.get("dot").asDouble() > 0 ? 1 : 0;
                }
                endDrops += end.get("traitDropsBelowControl").asBoolean() ? 1 : 0;
            }
        }

        Cell summary() {
            int ran = records - failures;
            double[] cos = cosines.stream().mapToDouble(Double::doubleValue).toArray();
            return new Cell(cell, label, records, failures, new Proportion(dotPositive, dotTrials),
                    new Proportion(traitPositive, traitTrials),                    new Proportion(drops, ran), MeanInterval.of95(cos), Medians.of(cos),
                    Medians.of(relative.stream().mapToDouble(Double::doubleValue).toArray()),
                    hasEnd ? new Proportion(endPositive, endTrials) : null, hasEnd ? new Proportion(endDrops, ran) : null);
        }
    }

    private static Convergence convergence(String label, Map<Double, CellRecords> byEpsilon) {
        Map<Long, List<double[]>> bySeed = new TreeMap<>();
        byEpsilon.forEach((eps, cell) -> cell.absoluteBySeed.forEach((seed, err) -> {
            if (err > 0 && Double.isFinite(err) && eps > 0) {
                bySeed.computeIfAbsent(seed, k -> new ArrayList<>()).add(new double[] {Math.log(eps), Math.log(err)});
            }
        }));
        double[] slopes = bySeed.values().stream().mapToDouble(points -> LeastSquares.slope(
                points.stream().mapToDouble(p -> p[0]).toArray(), points.stream().mapToDouble(p -> p[1]).toArray()))
                .toArray();
        return new Convergence(label, byEpsilon.keySet().stream().mapToDouble(Double::doubleValue).toArray(),
                MeanInterval.of95(slopes));
    }

    /** The axes listed with more than one value in the header's grid. */
    private static List<String> varying(JsonNode config) {
        List<String> out = new ArrayList<>();
        JsonNode axes = config.get("axes");
        if (axes != null) {
            for (Iterator<Map.Entry<String, JsonNode>> it = axes.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getValue().size() > 1) {
                    out.add(e.getKey());
                }
            }
        }
        return out;
    }

    private static String label(JsonNode axes, List<String> varying, String except) {
        StringBuilder s = new StringBuilder();
        for (String a : varying) {
            if (!a.equals(except) && axes.has(a)) {
                s.append(s.length() == 0 ? "" : ", ").append(a).append('=').append(axes.get(a).asText());
            }
        }
        return s.length() == 0 ? "all" : s.toString();
    }

    private static double number(JsonNode v) {
        return v == null || v.isNull() ? Double.NaN : v.asDouble();
    }
}
