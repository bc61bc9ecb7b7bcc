package dev.subliminal.reports.analysis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.subliminal.reports.plot.Charts;
import dev.subliminal.reports.plot.Charts.RatePoint;
import dev.subliminal.reports.plot.Plot;
import dev.subliminal.reports.read.Fields;
import dev.subliminal.reports.read.Header;
import dev.subliminal.reports.stats.Histogram;
import dev.subliminal.reports.stats.Magnitudes;
import dev.subliminal.reports.stats.MeanEstimate;
import dev.subliminal.reports.stats.Rate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * A {@code subliminal.sweep/1} file: per cell of the grid, the rates of Δ_S·Δ_T &gt; 0, of a
 * positive trait part (Δ_S − Δ_S^c)·Δ_T and of L_T(θ_S) below the control, each with its Wilson
 * 95% interval; the distribution of cos(Δ_S, Δ_T) per setting of the varied non-numeric axes (such
 * as the initialization); the first-order error against ε; and each rate against every varied
 * numeric axis (init distance, width, distilled outputs, steps, ε: whatever the sweep varied).
 */
public final class SweepAnalysis implements Analysis {

    /** The axis of the student's initialization, whose settings the cosine histogram overlays. */
    private static final String INIT = "init";

    /** Bins of the cosine histogram over [−1, 1]. */
    public static final int COSINE_BINS = 40;

    private Header header;
    private final Map<String, List<JsonNode>> varied = new LinkedHashMap<>();
    private final Map<String, JsonNode> fixed = new LinkedHashMap<>();
    private final List<String> labels = new ArrayList<>();
    private final TreeMap<Integer, Cell> cells = new TreeMap<>();
    private final ErrorScaling errors = new ErrorScaling();

    /** The summary of one cell of the grid. */
    private static final class Cell {
        final Map<String, JsonNode> axes;
        final String label;
        final Rate positiveDot = new Rate();
        final Rate positiveTraitPart = new Rate();
        final Rate belowControl = new Rate();
        final Rate endPositiveDot = new Rate();
        final Rate endBelowControl = new Rate();
        final MeanEstimate cosine = new MeanEstimate();
        final Histogram cosines = new Histogram(-1, 1, COSINE_BINS);
        final Magnitudes relativeError = new Magnitudes();
        long seeds;

        Cell(Map<String, JsonNode> axes, String label) {
            this.axes = axes;
            this.label = label;
        }
    }

    /** One of the rates measured per cell. */
    private record Measure(String name, String label, Function<Cell, Rate> rate) {
    }

    private static final List<Measure> RATES = List.of(
            new Measure("positive-dot", "rate of Δ_S·Δ_T > 0", c -> c.positiveDot),
            new Measure("positive-trait-part", "rate of (Δ_S − Δ_S^c)·Δ_T > 0", c -> c.positiveTraitPart),
            new Measure("below-control", "rate of L_T(θ_S) < L_T(control)", c -> c.belowControl));

    @Override
    public void header(Header h) {
        this.header = h;
        JsonNode names = h.config().get("cellNames");
        if (names != null) {
            if (!names.isArray()) {
                throw new IllegalArgumentException("config \"cellNames\" is " + names + ", expected an array of cell names");
            }
            names.forEach(n -> labels.add(n.asText()));
        }
        JsonNode axes = Fields.object(h.config(), "axes");
        for (Map.Entry<String, JsonNode> e : axes.properties()) {
            if (!e.getValue().isArray() || e.getValue().isEmpty()) {
                throw new IllegalArgumentException("config axis \"" + e.getKey() + "\" is " + e.getValue()
                        + ", expected a non-empty array of values");
            }
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
        double cellIndex = Fields.number(r, "cell");
        if (!(cellIndex >= 0) || cellIndex != Math.rint(cellIndex)) {
            throw new IllegalArgumentException("field \"cell\" is " + r.get("cell") + ", expected an index ≥ 0");
        }
        JsonNode axes = Fields.object(r, "axes");
        Cell c = cells.computeIfAbsent((int) cellIndex, i -> {
            Map<String, JsonNode> values = new LinkedHashMap<>();
            for (String name : varied.keySet()) {
                JsonNode v = axes.get(name);
                if (v == null && !isNumeric(name)) {
                    // a model setting that this cell's family does not have (a linear model's activation)
                    values.put(name, NullNode.getInstance());
                    continue;
                }
                v = Fields.required(axes, name);
                if (isNumeric(name) != v.isNumber()) {
                    throw new IllegalArgumentException("axis \"" + name + "\" is " + v + ", but config.axes lists "
                            + varied.get(name));
                }
                values.put(name, v);
            }
            int index = (int) cellIndex;
            return new Cell(values, index < labels.size() ? labels.get(index) : null);
        });
        c.seeds++;
        add(c.positiveDot, Fields.number(r, "dot"));
        add(c.positiveTraitPart, Fields.number(r, "traitPart"));
        Boolean below = Fields.bool(r, "traitDropsBelowControl");
        if (below != null) {
            c.belowControl.add(below);
        }
        double cos = Fields.number(r, "cosine");
        c.cosine.add(cos);
        c.cosines.add(cos);
        double relative = Fields.number(r, "relativeError");
        c.relativeError.add(relative);
        errors.add(Fields.number(r, "epsilon"), relative, Fields.number(r, "absoluteError"));
        JsonNode end = r.get("end");
        if (end != null && !end.isNull()) {
            add(c.endPositiveDot, Fields.number(end, "dot"));
            Boolean endBelow = Fields.bool(end, "traitDropsBelowControl");
            if (endBelow != null) {
                c.endBelowControl.add(endBelow);
            }
        }
    }

    private static void add(Rate rate, double value) {
        if (!Double.isNaN(value)) {
            rate.add(value > 0);
        }
    }

    @Override
    public String title() {
        return "Sweep " + header.file().getFileName();
    }

    @Override
    public List<Table> tables() {
        boolean multiStep = cells.values().stream().anyMatch(c -> c.endPositiveDot.trials() > 0);
        List<String> head = new ArrayList<>(List.of("cell"));
        if (!labels.isEmpty()) {
            head.add("name");
        }
        head.addAll(varied.keySet());
        head.addAll(List.of("seeds", "Δ_S·Δ_T > 0 [95% CI]", "trait part > 0 [95% CI]",
                "L_T below control [95% CI]", "mean cos [95% CI]", "geo. mean rel. err"));
        if (multiStep) {
            head.addAll(List.of("after last step: Δ_S·Δ_T > 0", "after last step: L_T below control"));
        }
        List<List<String>> rows = new ArrayList<>();
        for (Map.Entry<Integer, Cell> e : cells.entrySet()) {
            Cell c = e.getValue();
            List<String> row = new ArrayList<>(List.of(String.valueOf(e.getKey())));
            if (!labels.isEmpty()) {
                row.add(c.label == null ? "" : c.label);
            }
            c.axes.values().forEach(v -> row.add(text(v)));
            row.addAll(List.of(String.valueOf(c.seeds), c.positiveDot.format(), c.positiveTraitPart.format(),
                    c.belowControl.format(), c.cosine.format(), Table.number(c.relativeError.geometricMean())));
            if (multiStep) {
                row.addAll(List.of(c.endPositiveDot.format(), c.endBelowControl.format()));
            }
            rows.add(row);
        }
        List<String> settings = new ArrayList<>();
        fixed.forEach((k, v) -> settings.add(k + " = " + text(v)));
        String note = (settings.isEmpty() ? "" : "Fixed: " + String.join(", ", settings) + ". ")
                + "Rates with Wilson 95% intervals over the seeds of each cell; the cosine mean with its t 95% "
                + "interval; undefined values (null) are not counted.";
        return List.of(new Table("Per cell", note, head, rows));
    }

    @Override
    public List<Plot> plots() {
        List<Plot> plots = new ArrayList<>();
        Map<String, Histogram> histograms = cosineHistograms();
        if (histograms.values().stream().anyMatch(h -> h.total() > 0)) {
            plots.add(new Plot("cosine-histogram", "Distribution of cos(Δ_S, Δ_T) over seeds, " + COSINE_BINS
                    + " bins on [−1, 1], as the fraction of each group's seeds"
                    + (histograms.size() > 1 ? ", one group per setting of " + histogramAxes() : "") + ".",
                    Charts.histogram("Distribution of cos(Δ_S, Δ_T)", "cos(Δ_S, Δ_T)", histograms, true)));
        }
        if (!labels.isEmpty()) {
            plots.add(new Plot("rates-per-cell", "Per named cell: each rate over its seeds, with its Wilson 95% "
                    + "interval as a whisker; undefined values (across architectures) are not counted.",
                    Charts.bars("Rates per cell", "rate", cellNames(), rateBars())));
        }
        plots.addAll(errors.plots("", "every cell's seeds at that ε"));
        for (String axis : varied.keySet()) {
            if (!isNumeric(axis)) {
                continue;
            }
            for (Measure m : RATES) {
                Map<String, List<RatePoint>> series = rateSeries(axis, m.rate());
                boolean log = logScale(series);
                boolean dropped = false;
                if (log) { // a log axis cannot show x ≤ 0 (σ = 0 for the same init, say): the table has them
                    Map<String, List<RatePoint>> positive = new LinkedHashMap<>();
                    for (Map.Entry<String, List<RatePoint>> e : series.entrySet()) {
                        List<RatePoint> kept = e.getValue().stream().filter(p -> p.x() > 0).toList();
                        dropped |= kept.size() < e.getValue().size();
                        if (!kept.isEmpty()) {
                            positive.put(e.getKey(), kept);
                        }
                    }
                    series = positive;
                }
                if (series.values().stream().allMatch(points -> points.size() < 2)) {
                    continue; // no line to draw: every setting has the axis at one value
                }
                List<String> pooled = varied.keySet().stream().filter(a -> !a.equals(axis) && isNumeric(a)).toList();
                plots.add(new Plot(m.name() + "-by-" + slug(axis), "The " + m.label() + " against " + axis
                        + ", with its Wilson 95% interval as a band" + (series.size() > 1
                        ? "; one line per setting of " + categoricalAxes() : "")
                        + (pooled.isEmpty() ? "" : "; seeds pooled over " + String.join(", ", pooled)
                        + " (the table has each cell)")
                        + (dropped ? "; cells with " + axis + " ≤ 0 are off the log axis (see the table)" : "") + ".",
                        Charts.rates(Table.capitalized(m.label()) + " against " + axis, axis, m.label(), series, log)));
            }
        }
        return plots;
    }

    /**
     * Cosine histograms merged over cells, keyed by the student's initialization when it varies (same,
     * perturbed, independent), else by the setting of the varied non-numeric axes.
     */
    public Map<String, Histogram> cosineHistograms() {
        Map<String, Histogram> groups = new TreeMap<>();
        for (Cell c : cells.values()) {
            String group = varied.containsKey(INIT) ? INIT + " = " + text(c.axes.get(INIT)) : categoricalLabel(c, "all seeds");
            groups.computeIfAbsent(group, l -> new Histogram(-1, 1, COSINE_BINS)).addAll(c.cosines);
        }
        return groups;
    }

    private String histogramAxes() {
        return varied.containsKey(INIT) ? INIT : categoricalAxes();
    }

    /** The names of the cells, in cell order (the header's labels, else the cell index). */
    private List<String> cellNames() {
        return cells.entrySet().stream().map(e -> e.getValue().label != null ? e.getValue().label
                : String.valueOf(e.getKey())).toList();
    }

    /** One series per rate, one bar per cell. */
    public Map<String, List<Charts.Bar>> rateBars() {
        Map<String, List<Charts.Bar>> series = new LinkedHashMap<>();
        for (Measure m : RATES) {
            series.put(m.label(), cells.values().stream().map(c -> {
                Rate r = m.rate().apply(c);
                if (r.trials() == 0) {
                    return new Charts.Bar(Double.NaN, Double.NaN, Double.NaN);
                }
                double[] w = r.wilson95();
                return new Charts.Bar(r.rate(), w[0], w[1]);
            }).toList());
        }
        return series;
    }

    /** The first-order error summary. */
    public ErrorScaling errors() {
        return errors;
    }

    /** The setting of the varied non-numeric axes of a cell, or {@code none} if there are none. */
    private String categoricalLabel(Cell c, String none) {
        List<String> parts = new ArrayList<>();
        c.axes.forEach((k, v) -> {
            if (!isNumeric(k)) {
                parts.add(k + " = " + text(v));
            }
        });
        return parts.isEmpty() ? none : String.join(", ", parts);
    }

    /**
     * The rate against the numeric {@code axis}, one series per setting of the varied non-numeric
     * axes, pooled over the other varied numeric axes.
     */
    private Map<String, List<RatePoint>> rateSeries(String axis, Function<Cell, Rate> measure) {
        Map<String, TreeMap<Double, Rate>> grouped = new TreeMap<>();
        for (Cell c : cells.values()) {
            grouped.computeIfAbsent(categoricalLabel(c, "rate"), l -> new TreeMap<>())
                    .computeIfAbsent(c.axes.get(axis).doubleValue(), x -> new Rate()).addAll(measure.apply(c));
        }
        Map<String, List<RatePoint>> series = new LinkedHashMap<>();
        grouped.forEach((label, points) -> {
            List<RatePoint> list = new ArrayList<>();
            points.forEach((x, rate) -> {
                if (rate.trials() > 0) {
                    double[] w = rate.wilson95();
                    list.add(new RatePoint(x, rate.rate(), w[0], w[1]));
                }
            });
            series.put(label, list);
        });
        return series;
    }

    private boolean isNumeric(String axis) {
        return varied.get(axis).stream().allMatch(JsonNode::isNumber);
    }

    private String categoricalAxes() {
        return String.join(", ", varied.keySet().stream().filter(a -> !isNumeric(a)).toList());
    }

    /** A log x axis when the positive x values span at least two decades. */
    private static boolean logScale(Map<String, List<RatePoint>> series) {
        double[] x = series.values().stream().flatMap(List::stream).mapToDouble(RatePoint::x).filter(v -> v > 0)
                .toArray();
        double min = java.util.Arrays.stream(x).min().orElse(0);
        double max = java.util.Arrays.stream(x).max().orElse(0);
        return min > 0 && max / min >= 100;
    }

    private static String text(JsonNode v) {
        return v.isNull() ? "n/a" : v.isTextual() ? v.textValue() : v.toString();
    }

    private static String slug(String axis) {
        String s = axis.replaceAll("([a-z])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT)
                .replaceAll("[^a-z0-9]+", "-").replaceAll("^-|-$", "");
        return s.isEmpty() ? "axis" : s;
    }

}
