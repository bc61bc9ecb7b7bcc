package dev.subliminal.reports.analysis;

import com.fasterxml.jackson.databind.JsonNode;
import dev.subliminal.reports.plot.Charts;
import dev.subliminal.reports.plot.Charts.RatePoint;
import dev.subliminal.reports.plot.Palette;
import dev.subliminal.reports.plot.Plot;
import dev.subliminal.results.stats.Histogram;
import dev.subliminal.results.stats.Proportion;
import dev.subliminal.results.sweep.SweepSummary;
import dev.subliminal.results.sweep.SweepSummary.Cell;
import java.awt.Color;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * A {@code subliminal.sweep/1} file, through its {@link SweepSummary}. Nothing is pooled: every
 * figure shows each cell of the grid apart (small multiples) or as its own point.
 *
 * <ul>
 *   <li>the distribution of cos(Δ_S, Δ_T), one panel per cell;</li>
 *   <li>the rates of Δ_S·Δ_T &gt; 0, of a positive trait part (Δ_S − Δ_S^c)·Δ_T and of L_T(θ_S)
 *       below the control after the student's last step, each with its Wilson 95% interval:
 *       against every varied numeric axis (ε, σ, K, K_S, λ, N, and the hidden width of a
 *       {@code widths} axis that varies one layer), one line per setting of the other axes, one
 *       panel per rate and per setting of the other numeric axes; or, when no axis is numeric, as
 *       bars per cell;</li>
 *   <li>the median relative and absolute first-order errors against ε with their distribution-free
 *       95% intervals, one line per group of cells that differ only in ε.</li>
 * </ul>
 *
 * Colour says the student's initialization ({@link Palette}); a second category is a dash pattern.
 */
public final class SweepAnalysis extends SummaryAnalysis<SweepSummary> {

    /** The axis of the student's initialization. */
    private static final String INIT = "init";

    /** Bins of the cosine histogram over [−1, 1]. */
    public static final int COSINE_BINS = SweepSummary.COSINE_BINS;

    /** One of the rates measured per cell. */
    record Measure(String name, String title, Function<SweepSummary.End, Proportion> rate) {
    }

    static final List<Measure> RATES = List.of(
            new Measure("positive-dot", "Δ_S·Δ_T > 0", SweepSummary.End::positiveDot),
            new Measure("positive-trait-part", "(Δ_S − Δ_S^c)·Δ_T > 0", SweepSummary.End::positiveTraitPart),
            new Measure("below-control", "L_T(θ_S) < L_T(control)", SweepSummary.End::dropsBelowControl));

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

    // ------------------------------------------------------------------ the cells

    private boolean named() {
        return summary().cells().stream().anyMatch(c -> c.name() != null);
    }

    /** A cell's value of {@code axis}: its own when the axis varies, else the grid's one value. */
    private JsonNode value(Cell c, String axis) {
        JsonNode v = c.axes().get(axis);
        return v != null ? v : summary().fixed().get(axis);
    }

    private static String text(JsonNode v) {
        return v == null || v.isNull() ? "n/a" : v.isTextual() ? v.textValue() : v.toString();
    }

    /** Whether a cell's student has another architecture than its teacher. */
    private boolean otherArchitecture(Cell c) {
        for (String[] pair : new String[][] {{"model", "studentModel"}, {"widths", "studentWidths"},
            {"activation", "studentActivation"}}) {
            String student = text(value(c, pair[1]));
            if (!student.equals("same") && !student.equals("n/a") && !student.equals(text(value(c, pair[0])))) {
                return true;
            }
        }
        return false;
    }

    private String init(Cell c) {
        return text(value(c, INIT));
    }

    /** The colour of a cell: its student's initialization. */
    Color colour(Cell c) {
        return Palette.init(init(c), otherArchitecture(c));
    }

    /** The legend of the inits present, in the palette's order. */
    private List<Charts.Key> initKeys(List<Cell> cells) {
        Map<Color, String> present = new LinkedHashMap<>();
        for (Color colour : List.of(Palette.SAME, Palette.PERTURBED, Palette.INDEPENDENT, Palette.OTHER_ARCHITECTURE,
                Palette.MEASURED)) {
            for (Cell c : cells) {
                if (colour(c).equals(colour)) {
                    present.put(colour, initName(c));
                    break;
                }
            }
        }
        List<Charts.Key> keys = new ArrayList<>();
        present.forEach((colour, name) -> keys.add(new Charts.Key(name, colour, 0)));
        return keys;
    }

    private String initName(Cell c) {
        if (otherArchitecture(c)) {
            return "student of another architecture";
        }
        String init = init(c);
        if (init.equals("perturbed") && !varied().containsKey("perturbation")) {
            return "perturbed init (σ = " + Axes.number(value(c, "perturbation").doubleValue()) + ")";
        }
        return init.equals("n/a") ? "all cells" : init + " init";
    }

    /**
     * The axes that are numeric in the figures: the grid's numeric axes, and a layer-sizes axis whose
     * values differ in one layer only (its hidden width).
     */
    Map<String, Function<Cell, Double>> numericAxes() {
        Map<String, Function<Cell, Double>> axes = new LinkedHashMap<>();
        for (Map.Entry<String, List<JsonNode>> e : varied().entrySet()) {
            String axis = e.getKey();
            if (summary().numeric(axis)) {
                axes.put(axis, c -> c.axes().get(axis).doubleValue());
            } else {
                int layer = varyingLayer(e.getValue());
                if (layer >= 0) {
                    axes.put(axis, c -> {
                        JsonNode v = c.axes().get(axis);
                        return v == null || !v.isTextual() ? Double.NaN
                                : Double.parseDouble(v.textValue().split(",")[layer].trim());
                    });
                }
            }
        }
        return axes;
    }

    /** The one position in which comma-separated layer sizes differ, or −1. */
    static int varyingLayer(List<JsonNode> values) {
        List<String[]> sizes = new ArrayList<>();
        for (JsonNode v : values) {
            if (!v.isTextual() || !v.textValue().matches("\\s*\\d+(\\s*,\\s*\\d+)+\\s*")) {
                return -1;
            }
            sizes.add(v.textValue().split(","));
        }
        int layer = -1;
        for (int i = 0; i < sizes.get(0).length; i++) {
            Set<String> at = new LinkedHashSet<>();
            for (String[] s : sizes) {
                if (s.length != sizes.get(0).length) {
                    return -1;
                }
                at.add(s[i].trim());
            }
            if (at.size() > 1) {
                if (layer >= 0) {
                    return -1;
                }
                layer = i;
            }
        }
        return layer;
    }

    private String axisLabel(String axis) {
        boolean derived = !summary().numeric(axis);
        return derived ? "hidden units of the " + Axes.of(axis).words() : Axes.of(axis).label();
    }

    /** The cell's settings of {@code axes}, in a few words: {@code same init, ε = 0.01}. */
    private String settings(Cell c, List<String> axes) {
        List<String> parts = new ArrayList<>();
        for (String a : axes) {
            parts.add(Axes.of(a).setting(c.axes().get(a)));
        }
        return String.join(", ", parts);
    }

    /** The settings of a cell's varied axes other than ε: the label of its group in the error plots. */
    String groupLabel(Cell c) {
        List<String> axes = varied().keySet().stream().filter(a -> !a.equals("epsilon")).toList();
        return axes.isEmpty() ? "all cells" : settings(c, axes);
    }

    /** A cell's short label for a panel: its name, else its varied axes' settings. */
    String panelTitle(Cell c) {
        return c.name() != null ? c.name() : settings(c, List.copyOf(varied().keySet()));
    }

    // ------------------------------------------------------------------ tables

    @Override
    public List<Table> tables() {
        SweepSummary s = summary();
        boolean ties = s.cells().stream().anyMatch(c -> c.zeroTraitPart().successes() > 0);
        boolean dotTies = s.cells().stream().anyMatch(c -> c.zeroDot().successes() > 0);
        boolean sameSeeds = s.cells().stream().mapToInt(Cell::records).distinct().count() <= 1;
        List<String> head = new ArrayList<>(List.of("cell"));
        if (!sameSeeds) {
            head.add("seeds");
        }
        head.addAll(List.of("Δ_S·Δ_T > 0 [95% CI]", "trait part > 0 [95% CI]", "L_T below control [95% CI]"));
        if (dotTies) {
            head.add("Δ_S·Δ_T = 0 [95% CI]");
        }
        if (ties) {
            head.add("trait part = 0 [95% CI]");
        }
        head.addAll(List.of("mean cos [95% CI]", "median rel. err [95% CI]"));
        List<List<String>> rows = new ArrayList<>();
        for (Cell c : s.cells()) {
            List<String> row = new ArrayList<>(List.of(c.index() + ": " + (c.name() != null ? c.name()
                    : settings(c, List.copyOf(varied().keySet())))));
            if (!sameSeeds) {
                row.add(String.valueOf(c.records()));
            }
            row.addAll(List.of(c.positiveDot().format(), c.positiveTraitPart().format(), c.dropsBelowControl().format()));
            if (dotTies) {
                row.add(c.zeroDot().format());
            }
            if (ties) {
                row.add(c.zeroTraitPart().format());
            }
            row.addAll(List.of(c.cosine().format("%.3g"), c.relativeError().format("%.3g")));
            rows.add(row);
        }
        String note = configuration() + " Rates with Wilson 95% intervals over the " + (sameSeeds && !s.cells().isEmpty()
                ? s.cells().get(0).records() + " seeds" : "seeds") + " of each cell, after the "
                + "student's first step; the mean cosine with its Student-t 95% interval (within [−1, 1]); the median "
                + "relative error of the first-order prediction with its distribution-free 95% interval; undefined "
                + "values (across architectures, or where the first order does not apply) are not counted"
                + (ties ? "; a trait part exactly 0 (a tie: the student's update equals the control's) is neither "
                + "> 0 nor < 0, and its rate is in its own column" : "")
                + (s.cells().stream().anyMatch(c -> c.failures() > 0) ? "; seeds include units that failed" : "") + ".";
        List<Table> tables = new ArrayList<>();
        tables.add(new Table("Per cell", note, head, rows));
        if (s.multiStep()) {
            List<List<String>> end = new ArrayList<>();
            for (Cell c : s.cells()) {
                if (c.end() != null) {
                    end.add(List.of(c.index() + ": " + settings(c, List.copyOf(varied().keySet())),
                            String.valueOf(c.records()), c.end().positiveDot().format(),
                            c.end().positiveTraitPart().format(), c.end().dropsBelowControl().format()));
                }
            }
            tables.add(new Table("After the student's last step (cells with K_S > 1)", "The same rates for the "
                    + "student's summed update after its last step, against the control after as many steps.",
                    List.of("cell", "seeds", "Δ_S·Δ_T > 0 [95% CI]", "trait part > 0 [95% CI]",
                            "L_T below control [95% CI]"), end));
        }
        return tables;
    }

    /** The configuration every cell shares, in words, with the seeds and the file. */
    String configuration() {
        List<String> fixed = new ArrayList<>();
        summary().fixed().forEach((k, v) -> {
            if (!(k.startsWith("student") && text(v).equals("same"))) {
                fixed.add(Axes.of(k).words() + " " + (v.isNumber() ? Axes.number(v.doubleValue()) : text(v)));
            }
        });
        return "Fixed in every cell: " + String.join(", ", fixed) + "; " + seedsText() + "; file "
                + header().file().getFileName() + ".";
    }

    private String seedsText() {
        JsonNode seeds = header().config().path("seeds");
        return seeds.has("first") ? "seeds " + seeds.get("first").asLong() + ".."
                + (seeds.get("first").asLong() + seeds.get("count").asLong() - 1) : "seeds as listed";
    }

    /** {@code n = 500 seeds per cell}, or its range when cells differ. */
    private String n(List<Cell> cells, Function<Cell, Long> count) {
        long min = cells.stream().mapToLong(count::apply).min().orElse(0);
        long max = cells.stream().mapToLong(count::apply).max().orElse(0);
        return "n = " + (min == max ? String.valueOf(min) : min + " to " + max) + " seeds per " + (named() ? "row"
                : "cell");
    }

    // ------------------------------------------------------------------ plots

    @Override
    public List<Plot> plots() {
        List<Plot> plots = new ArrayList<>();
        cosinePlot().ifPresent(plots::add);
        Map<String, Function<Cell, Double>> numeric = numericAxes();
        if (numeric.isEmpty() || named()) {
            plots.add(rateBars());
        } else {
            for (String axis : numeric.keySet()) {
                ratePlot(axis, numeric).ifPresent(plots::add);
            }
        }
        ErrorPlots.ofSweep(this).ifPresent(plots::add);
        plots.addAll(trajectoryPlots());
        return plots;
    }

    /** The trajectory columns plotted against the student's step, with their axis labels. */
    private static final List<String[]> TRAJECTORY = List.of(new String[] {"cosine", "cos(U_t, Δ_T)"},
            new String[] {"dot", "U_t·Δ_T"}, new String[] {"gamma", "γ_t"}, new String[] {"signal", "signal S_t"},
            new String[] {"residual", "residual N_t"}, new String[] {"traitLoss", "L_T(θ_t)"});

    /**
     * One figure per trajectory column ({@code recordEvery} &gt; 0): a line per cell, the mean over its
     * seeds at every recorded step with its t 95% interval as a band (nothing pooled across cells).
     */
    private List<Plot> trajectoryPlots() {
        Map<Integer, dev.subliminal.results.sweep.TrajectoryBands> bands = summary().trajectories();
        if (bands.isEmpty()) {
            return List.of();
        }
        List<Plot> plots = new ArrayList<>();
        for (String[] column : TRAJECTORY) {
            List<Charts.RateSeries> series = new ArrayList<>();
            Map<Color, Integer> dashes = new LinkedHashMap<>();
            long minSeeds = Long.MAX_VALUE;
            long maxSeeds = 0;
            for (Cell c : summary().cells()) {
                dev.subliminal.results.sweep.TrajectoryBands b = bands.get(c.index());
                if (b == null) {
                    continue;
                }
                List<Charts.RatePoint> points = new ArrayList<>();
                List<dev.subliminal.results.stats.MeanInterval> values = b.columns().get(column[0]);
                for (int i = 0; i < b.steps().length; i++) {
                    dev.subliminal.results.stats.MeanInterval m = values.get(i);
                    if (m.count() > 0 && !Double.isNaN(m.mean())) {
                        points.add(new Charts.RatePoint(b.steps()[i], m.mean(), Double.isNaN(m.lower()) ? m.mean()
                                : m.lower(), Double.isNaN(m.upper()) ? m.mean() : m.upper()));
                        minSeeds = Math.min(minSeeds, m.count());
                        maxSeeds = Math.max(maxSeeds, m.count());
                    }
                }
                if (points.size() > 1) {
                    Color colour = colour(c);
                    int dash = dashes.merge(colour, 1, Integer::sum) - 1;
                    series.add(new Charts.RateSeries(panelTitle(c), colour, dash, points));
                }
            }
            if (series.isEmpty()) {
                continue;
            }
            boolean flow = false;
            for (JsonNode o : header().config().path("axes").path("optimizer")) {
                flow |= o.asText().equals("flow");
            }
            String caption = column[1] + " against the student's step t: per cell (a line each, nothing pooled), the "
                    + "mean over " + (minSeeds == maxSeeds ? "n = " + minSeeds : "n = " + minSeeds + " to " + maxSeeds)
                    + " seeds with its Student-t 95% interval as a band. U_t is the sum of the student's updates, Δ_T the "
                    + "teacher's; γ_t = mean ‖J_t Δ_T‖²/‖Δ_T‖² on the student's inputs at θ_{t−1}; S_t = Σ ε·E[(J Δ_T)ᵀ "
                    + "M (J Δ_T)] and N_t = Σ u_k·Δ_T − S_t" + (flow ? " (optimizer flow: step t is the gradient flow "
                    + "at time t·α, U_t = (θ(tα) − θ_S0)/α, γ_t at θ(tα) and S_t the integral (ε/α)∫ E[(J Δ_T)ᵀ M "
                    + "(J Δ_T)] ds)" : "") + ". Colour: the student's initialization; dashes tell apart "
                    + "cells of the same initialization (legend: each line's cell). Fixed settings: " + fixedText() + ".";
            List<Charts.Key> keys = series.stream().map(r -> new Charts.Key(r.label(), r.colour(), r.dash())).toList();
            plots.add(new Plot("sweep-trajectory-" + column[0].toLowerCase(java.util.Locale.ROOT), caption,
                    Charts.lines("Student trajectories: " + column[1], "step t", column[1],
                            List.of(new Charts.RatePanel("", series)), 1, false, Double.NaN, Double.NaN, keys, caption)));
        }
        return plots;
    }

    /** The grid's fixed settings as {@code key value} pairs. */
    private String fixedText() {
        List<String> parts = new ArrayList<>();
        summary().fixed().forEach((k, v) -> parts.add(k + " " + text(v)));
        return String.join(", ", parts);
    }

    private java.util.Optional<Plot> cosinePlot() {
        List<Cell> cells = summary().cells().stream().filter(c -> c.cosines().total() > 0).toList();
        if (cells.isEmpty()) {
            return java.util.Optional.empty();
        }
        List<Charts.HistogramPanel> panels = new ArrayList<>();
        for (Cell c : cells) {
            panels.add(new Charts.HistogramPanel(panelTitle(c), c.cosines(), colour(c)));
        }
        long without = summary().cells().size() - cells.size();
        String caption = "One panel per " + (named() ? "row" : "cell") + ": the fraction of its seeds whose cosine "
                + "between the student's update and the teacher's falls in each bin of width "
                + Axes.number(2.0 / COSINE_BINS) + " on [−1, 1] (a distribution: no interval); panels share both axes; "
                + n(cells, c -> c.cosines().total()) + ". Colour: the student's initialization."
                + (without > 0 ? " " + without + " " + (without == 1 ? "cell has" : "cells have")
                + " no cosine (a student of another architecture: the two updates live in different spaces)." : "")
                + "\n" + configuration();
        return java.util.Optional.of(new Plot("cosine-histograms", caption, Charts.histograms(
                "Cosine between the student's and the teacher's updates, per " + (named() ? "row" : "cell"),
                "cos(Δ_S, Δ_T)", panels, columns(cells), true, initKeys(cells), caption)));
    }

    /**
     * Columns of a panel grid: the settings of the fastest varied axis when there are at most four
     * (row by row), else those of the slowest (column by column, see {@link #inGridOrder}), else up
     * to four.
     */
    private int columns(List<Cell> cells) {
        int n = cells.size();
        if (named() || n <= 3) {
            return Math.min(n, named() ? 2 : 3);
        }
        List<String> axes = List.copyOf(varied().keySet());
        int fastest = distinct(cells, axes.get(axes.size() - 1));
        int slowest = distinct(cells, axes.get(0));
        int best = 0;
        for (int k : new int[] {fastest, slowest}) {
            if (k >= 2 && k <= 4 && n % k == 0) {
                best = Math.max(best, k);
            }
        }
        return best > 0 ? best : Math.min(4, (int) Math.ceil(Math.sqrt(n)));
    }

    private static int distinct(List<Cell> cells, String axis) {
        return (int) cells.stream().map(c -> String.valueOf(c.axes().get(axis))).distinct().count();
    }

    /** One bar per cell in each rate's panel (no numeric axis to plot against). */
    private Plot rateBars() {
        List<Cell> cells = summary().cells();
        boolean byInit = !named() && varied().containsKey(INIT) && varied().size() > 1;
        List<Charts.BarPanel> panels = new ArrayList<>();
        for (Measure m : RATES) {
            if (byInit) {
                List<String> others = varied().keySet().stream().filter(a -> !a.equals(INIT)).toList();
                List<String> categories = new ArrayList<>();
                Map<String, Map<String, Cell>> byCategory = new LinkedHashMap<>();
                for (Cell c : cells) {
                    String category = settings(c, others);
                    if (!byCategory.containsKey(category)) {
                        categories.add(category);
                    }
                    byCategory.computeIfAbsent(category, k -> new LinkedHashMap<>()).put(init(c), c);
                }
                List<Charts.BarSeries> series = new ArrayList<>();
                for (JsonNode initValue : varied().get(INIT)) {
                    String init = text(initValue);
                    List<Charts.Bar> bars = new ArrayList<>();
                    List<Color> colours = new ArrayList<>();
                    for (String category : categories) {
                        Cell c = byCategory.get(category).get(init);
                        bars.add(c == null ? new Charts.Bar(Double.NaN, Double.NaN, Double.NaN) : bar(m.rate().apply(c.last())));
                        colours.add(Palette.init(init, false));
                    }
                    series.add(new Charts.BarSeries(init + " init", colours, bars));
                }
                panels.add(new Charts.BarPanel(m.title(), categories, series));
            } else {
                panels.add(new Charts.BarPanel(m.title(), cells.stream().map(this::panelTitle).toList(),
                        List.of(new Charts.BarSeries("rate", cells.stream().map(this::colour).toList(),
                                cells.stream().map(c -> bar(m.rate().apply(c.last()))).toList()))));
            }
        }
        String caption = "The rate of each event (panel titles) over the seeds of each " + (named() ? "row" : "cell")
                + ", after the student's " + (summary().multiStep() ? "last step" : "step") + ", with its Wilson 95% "
                + "interval as a whisker; " + n(cells, c -> (long) c.records()) + "; undefined values (the dot product "
                + "across architectures) are not counted, and a rate with no defined value has no bar. Colour: the student's "
                + "initialization.\n" + configuration();
        return new Plot("rates", caption, Charts.bars("Rates per " + (named() ? "row" : "cell") + ", with 95% intervals",
                "rate", panels, 1, initKeys(cells), caption));
    }

    static Charts.Bar bar(Proportion r) {
        if (r.trials() == 0) {
            return new Charts.Bar(Double.NaN, Double.NaN, Double.NaN);
        }
        double[] w = r.wilson95();
        return new Charts.Bar(r.rate(), w[0], w[1]);
    }

    /** The rates against a numeric axis: a panel per rate and per setting of the other numeric axes. */
    private java.util.Optional<Plot> ratePlot(String axis, Map<String, Function<Cell, Double>> numeric) {
        List<String> otherNumeric = numeric.keySet().stream().filter(a -> !a.equals(axis)).toList();
        List<String> categorical = varied().keySet().stream().filter(a -> !numeric.containsKey(a)).toList();
        List<String> nonInit = categorical.stream().filter(a -> !a.equals(INIT)).toList();
        Map<String, List<Cell>> byPanel = new LinkedHashMap<>();
        for (Cell c : summary().cells()) {
            byPanel.computeIfAbsent(settings(c, otherNumeric), k -> new ArrayList<>()).add(c);
        }
        List<String> dashes = new ArrayList<>();
        List<Charts.RatePanel> panels = new ArrayList<>();
        Map<String, Charts.Key> keys = new LinkedHashMap<>();
        boolean log = logScale(summary().cells().stream().map(numeric.get(axis)).toList());
        boolean dropped = false;
        boolean levels = false;
        for (Map.Entry<String, List<Cell>> panel : byPanel.entrySet()) {
            for (Measure m : RATES) {
                Map<String, TreeMap<Double, Cell>> lines = new LinkedHashMap<>();
                for (Cell c : panel.getValue()) {
                    double x = numeric.get(axis).apply(c);
                    if (log && !(x > 0)) {
                        // a log axis cannot show x ≤ 0: a setting with no positive x is drawn as a level
                        boolean positiveElsewhere = panel.getValue().stream().anyMatch(o -> categoricalKey(o, categorical)
                                .equals(categoricalKey(c, categorical)) && numeric.get(axis).apply(o) > 0);
                        if (positiveElsewhere) {
                            dropped = true;
                            continue;
                        }
                    }
                    lines.computeIfAbsent(categoricalKey(c, categorical), k -> new TreeMap<>()).put(x, c);
                }
                List<Charts.RateSeries> series = new ArrayList<>();
                for (Map.Entry<String, TreeMap<Double, Cell>> line : lines.entrySet()) {
                    Cell first = line.getValue().firstEntry().getValue();
                    String dashKey = settings(first, nonInit);
                    if (!dashes.contains(dashKey)) {
                        dashes.add(dashKey);
                    }
                    int dash = dashes.indexOf(dashKey);
                    List<RatePoint> points = new ArrayList<>();
                    line.getValue().forEach((x, c) -> {
                        Proportion r = m.rate().apply(c.last());
                        if (r.trials() > 0) {
                            double[] w = r.wilson95();
                            points.add(new RatePoint(x, r.rate(), w[0], w[1]));
                        }
                    });
                    if (points.isEmpty()) {
                        continue;
                    }
                    levels |= points.size() == 1;
                    String label = line.getKey().isEmpty() ? "all cells" : line.getKey()
                            + (points.size() == 1 && line.getValue().size() == 1 ? " (one setting: a level)" : "");
                    series.add(new Charts.RateSeries(label, colour(first), dash, points));
                    keys.putIfAbsent(label, new Charts.Key(label, colour(first), points.size() == 1 ? 1 : dash));
                }
                panels.add(new Charts.RatePanel(m.title() + (panel.getKey().isEmpty() ? "" : ", " + panel.getKey()),
                        series));
            }
        }
        boolean anyLine = panels.stream().flatMap(p -> p.series().stream()).anyMatch(s -> s.points().size() > 1);
        if (!anyLine) {
            return java.util.Optional.empty();
        }
        boolean multi = summary().multiStep();
        String caption = "The rate of each event against the " + (summary().numeric(axis) ? Axes.of(axis).words() : "hidden units of the " + Axes.of(axis).words()) + ", after the "
                + "student's " + (multi ? "last step (the rate after the first step cannot depend on the number of student steps)"
                : "step") + ", with its Wilson 95% interval as a band; one panel per event"
                + (otherNumeric.isEmpty() ? "" : " and per setting of " + String.join(", ", otherNumeric.stream()
                .map(a -> Axes.of(a).words()).toList()))
                + (categorical.isEmpty() ? "" : "; one line per setting of " + String.join(", ", categorical.stream()
                .map(a -> Axes.of(a).words()).toList()) + " (colour: the student's initialization"
                + (nonInit.isEmpty() ? "" : "; dash: " + String.join(", ", nonInit.stream().map(a -> Axes.of(a).words())
                .toList())) + ")")
                + "; each point is one cell, " + n(summary().cells(), c -> (long) c.records()) + "."
                + (levels ? " A setting at one value of the axis (a same or independent init beside a range of σ) is "
                + "drawn across the panel as a dashed level with its band." : "")
                + (dropped ? " Cells at " + Axes.of(axis).words() + " ≤ 0 are off the log axis (see "
                + "the table)." : "")
                + "\n" + configuration();
        String title = "Rates against the " + Axes.of(axis).words() + (multi ? ", after the last student step" : "");
        return java.util.Optional.of(new Plot("rates-by-" + slug(axis), caption, Charts.rates(title, axisLabel(axis),
                "rate", panels, RATES.size(), log, List.copyOf(keys.values()), caption)));
    }

    private String categoricalKey(Cell c, List<String> categorical) {
        return settings(c, categorical);
    }

    /** A log x axis when the positive x values span at least two decades. */
    private static boolean logScale(List<Double> xs) {
        double min = xs.stream().mapToDouble(Double::doubleValue).filter(v -> v > 0).min().orElse(0);
        double max = xs.stream().mapToDouble(Double::doubleValue).filter(v -> v > 0).max().orElse(0);
        return min > 0 && max / min >= 100;
    }

    private static String slug(String axis) {
        String s = axis.replaceAll("([a-z])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT)
                .replaceAll("[^a-z0-9]+", "-").replaceAll("^-|-$", "");
        return s.isEmpty() ? "axis" : s;
    }

    /** The cosine histogram of each cell, by cell index. */
    public Map<Integer, Histogram> cosineHistograms() {
        Map<Integer, Histogram> h = new LinkedHashMap<>();
        summary().cells().forEach(c -> h.put(c.index(), c.cosines()));
        return h;
    }
}
