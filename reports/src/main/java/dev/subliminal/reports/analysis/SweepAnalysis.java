package dev.subliminal.reports.analysis;

import com.fasterxml.jackson.databind.JsonNode;
import dev.subliminal.reports.plot.Charts;
import dev.subliminal.reports.plot.Charts.RatePoint;
import dev.subliminal.reports.plot.Plot;
import dev.subliminal.results.stats.Histogram;
import dev.subliminal.results.stats.Proportion;
import dev.subliminal.results.sweep.SweepSummary;
import dev.subliminal.results.sweep.SweepSummary.Cell;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * A {@code subliminal.sweep/1} file, through its {@link SweepSummary}: per cell of the grid, the
 * rates of Δ_S·Δ_T &gt; 0, of a positive trait part (Δ_S − Δ_S^c)·Δ_T and of L_T(θ_S) below the
 * control, each with its Wilson 95% interval; the distribution of cos(Δ_S, Δ_T) per setting of the
 * varied non-numeric axes (such as the initialization); the first-order error against ε; and each
 * rate against every varied numeric axis (init distance, width, distilled outputs, steps, ε:
 * whatever the sweep varied).
 */
public final class SweepAnalysis extends SummaryAnalysis<SweepSummary> {

    /** The axis of the student's initialization, whose settings the cosine histogram overlays. */
    private static final String INIT = "init";

    /** Bins of the cosine histogram over [−1, 1]. */
    public static final int COSINE_BINS = SweepSummary.COSINE_BINS;


    /** One of the rates measured per cell. */
    private record Measure(String name, String label, Function<Cell, Proportion> rate) {
    }

    private static final List<Measure> RATES = List.of(
            new Measure("positive-dot", "rate of Δ_S·Δ_T > 0", Cell::positiveDot),
            new Measure("positive-trait-part", "rate of (Δ_S − Δ_S^c)·Δ_T > 0", Cell::positiveTraitPart),
            new Measure("below-control", "rate of L_T(θ_S) < L_T(control)", Cell::dropsBelowControl));

    /** An empty analysis. */
    public SweepAnalysis() {
        this(new SweepSummary.Accumulator());
    }

    private SweepAnalysis(SweepSummary.Accumulator records) {
        super(records, records::summary);
    }

    private Map<String, List<JsonNode>> varied() {
        return summary().varied();
    }

    @Override
    public String title() {
        return "Sweep " + header().file().getFileName();
    }

    @Override
    public List<Table> tables() {
        SweepSummary s = summary();
        boolean named = s.cells().stream().anyMatch(c -> c.name() != null);
        List<String> head = new ArrayList<>(List.of("cell"));
        if (named) {
            head.add("name");
        }
        head.addAll(varied().keySet());
        head.addAll(List.of("seeds", "Δ_S·Δ_T > 0 [95% CI]", "trait part > 0 [95% CI]",
                "L_T below control [95% CI]", "mean cos [95% CI]", "geo. mean rel. err"));
        if (s.multiStep()) {
            head.addAll(List.of("after last step: Δ_S·Δ_T > 0", "after last step: L_T below control"));
        }
        List<List<String>> rows = new ArrayList<>();
        for (Cell c : s.cells()) {
            List<String> row = new ArrayList<>(List.of(String.valueOf(c.index())));
            if (named) {
                row.add(c.name() == null ? "" : c.name());
            }
            c.axes().values().forEach(v -> row.add(text(v)));
            row.addAll(List.of(String.valueOf(c.records()), c.positiveDot().format(), c.positiveTraitPart().format(),
                    c.dropsBelowControl().format(), c.cosine().format(),
                    Table.number(c.relativeError().geometricMean())));
            if (s.multiStep()) {
                row.addAll(List.of(format(c.endPositiveDot()), format(c.endDropsBelowControl())));
            }
            rows.add(row);
        }
        List<String> settings = new ArrayList<>();
        s.fixed().forEach((k, v) -> settings.add(k + " = " + text(v)));
        String note = (settings.isEmpty() ? "" : "Fixed: " + String.join(", ", settings) + ". ")
                + "Rates with Wilson 95% intervals over the seeds of each cell; the cosine mean with its t 95% "
                + "interval; undefined values (null) are not counted"
                + (s.cells().stream().anyMatch(c -> c.failures() > 0) ? "; seeds include units that failed" : "")
                + ".";
        return List.of(new Table("Per cell", note, head, rows));
    }

    private static String format(Proportion p) {
        return p == null ? "n/a" : p.format();
    }

    @Override
    public List<Plot> plots() {
        List<Plot> plots = new ArrayList<>();
        Map<String, Histogram> histograms = cosineHistograms();
        boolean named = summary().cells().stream().anyMatch(c -> c.name() != null);
        if (histograms.values().stream().anyMatch(h -> h.total() > 0)) {
            plots.add(new Plot("cosine-histogram", "Distribution of cos(Δ_S, Δ_T) over seeds, " + COSINE_BINS
                    + " bins on [−1, 1], as the fraction of each group's seeds"
                    + (histograms.size() > 1 ? ", one group per setting of " + histogramAxes() : "") + ".",
                    Charts.histogram("Distribution of cos(Δ_S, Δ_T)", "cos(Δ_S, Δ_T)", histograms, true)));
        }
        if (named) {
            plots.add(new Plot("rates-per-cell", "Per named cell: each rate over its seeds, with its Wilson 95% "
                    + "interval as a whisker; undefined values (across architectures) are not counted.",
                    Charts.bars("Rates per cell", "rate", cellNames(), rateBars())));
        }
        plots.addAll(ErrorPlots.of(summary().errors(), "", "every cell's seeds at that ε"));
        for (String axis : varied().keySet()) {
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
                List<String> pooled = varied().keySet().stream().filter(a -> !a.equals(axis) && isNumeric(a)).toList();
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
        for (Cell c : summary().cells()) {
            String group = varied().containsKey(INIT) ? INIT + " = " + text(c.axes().get(INIT))
                    : categoricalLabel(c, "all seeds");
            groups.computeIfAbsent(group, l -> new Histogram(-1, 1, COSINE_BINS)).addAll(c.cosines());
        }
        return groups;
    }

    private String histogramAxes() {
        return varied().containsKey(INIT) ? INIT : categoricalAxes();
    }

    /** The names of the cells, in cell order (the header's labels, else the cell index). */
    private List<String> cellNames() {
        return summary().cells().stream().map(c -> c.name() != null ? c.name() : String.valueOf(c.index())).toList();
    }

    /** One series per rate, one bar per cell. */
    public Map<String, List<Charts.Bar>> rateBars() {
        Map<String, List<Charts.Bar>> series = new LinkedHashMap<>();
        for (Measure m : RATES) {
            series.put(m.label(), summary().cells().stream().map(c -> {
                Proportion r = m.rate().apply(c);
                if (r.trials() == 0) {
                    return new Charts.Bar(Double.NaN, Double.NaN, Double.NaN);
                }
                double[] w = r.wilson95();
                return new Charts.Bar(r.rate(), w[0], w[1]);
            }).toList());
        }
        return series;
    }

    /** The setting of the varied non-numeric axes of a cell, or {@code none} if there are none. */
    private String categoricalLabel(Cell c, String none) {
        List<String> parts = new ArrayList<>();
        c.axes().forEach((k, v) -> {
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
    private Map<String, List<RatePoint>> rateSeries(String axis, Function<Cell, Proportion> measure) {
        Map<String, TreeMap<Double, Proportion>> grouped = new TreeMap<>();
        for (Cell c : summary().cells()) {
            grouped.computeIfAbsent(categoricalLabel(c, "rate"), l -> new TreeMap<>())
                    .computeIfAbsent(c.axes().get(axis).doubleValue(), x -> new Proportion()).addAll(measure.apply(c));
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
        return summary().numeric(axis);
    }

    private String categoricalAxes() {
        return String.join(", ", varied().keySet().stream().filter(a -> !isNumeric(a)).toList());
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
