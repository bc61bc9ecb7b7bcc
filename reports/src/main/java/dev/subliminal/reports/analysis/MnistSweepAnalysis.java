package dev.subliminal.reports.analysis;

import com.fasterxml.jackson.databind.JsonNode;
import dev.subliminal.reports.plot.Charts;
import dev.subliminal.reports.plot.Palette;
import dev.subliminal.reports.plot.Plot;
import dev.subliminal.results.mnist.Arm;
import dev.subliminal.results.mnist.MnistReference;
import dev.subliminal.results.mnist.MnistSweepSummary;
import dev.subliminal.results.mnist.MnistSweepSummary.ArmStatistics;
import dev.subliminal.results.mnist.MnistSweepSummary.CellStatistics;
import dev.subliminal.results.stats.MeanInterval;
import dev.subliminal.results.stats.RankCorrelation;
import java.awt.Color;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A {@code subliminal.mnist-sweep/1} file (a grid of MNIST auxiliary-logit runs × seeds), through its
 * {@link MnistSweepSummary}: a table per (cell, student arm) and the predictor table; plots of each
 * student arm's accuracy against the grid's numeric setting (one panel per setting of the other
 * varied settings: nothing pooled), of the trajectories against steps (one panel per cell, a line per
 * arm with its band over seeds), and of Spearman's ρ of each predictor with its bootstrap interval.
 */
public final class MnistSweepAnalysis extends SummaryAnalysis<MnistSweepSummary> {

    /** The trajectory columns plotted, with their axis labels and y ranges (NaN: fitted). */
    private record Column(String name, String label, double lo, double hi) {
    }

    private static final List<Column> COLUMNS = List.of(
            new Column("cosine", "cos(U_t, Δ_T)", Double.NaN, Double.NaN),
            new Column("dot", "U_t·Δ_T", Double.NaN, Double.NaN),
            new Column("gamma", "γ_t", Double.NaN, Double.NaN),
            new Column("signal", "signal S_t", Double.NaN, Double.NaN),
            new Column("residual", "residual N_t", Double.NaN, Double.NaN),
            new Column("classAccuracy", "class accuracy", 0, 1),
            new Column("auxAccuracy", "aux agreement with the teacher", 0, 1));

    /** An empty analysis. */
    public MnistSweepAnalysis() {
        this(new MnistSweepSummary.Accumulator());
    }

    private MnistSweepAnalysis(MnistSweepSummary.Accumulator records) {
        super(records, records::summary);
    }

    @Override
    public String title() {
        return "MNIST sweep " + header().file().getFileName();
    }

    @Override
    public List<Table> tables() {
        MnistSweepSummary s = summary();
        List<String> head = new ArrayList<>(s.varied());
        head.addAll(List.of("arm", "seeds", "accuracy [95% CI]", "paper", "teacher's head [95% CI]",
                "fresh head [95% CI]", "teacher [95% CI]", "cos first step", "cos cumulative", "eNTK cross block",
                "head alignment"));
        List<List<String>> rows = new ArrayList<>();
        for (CellStatistics c : s.cells()) {
            MnistReference ref = s.reference(c);
            c.arms().forEach((arm, a) -> {
                List<String> row = new ArrayList<>();
                s.varied().forEach(v -> row.add(text(c.axes().get(v))));
                row.addAll(List.of(arm.key(), String.valueOf(a.accuracy().count()), a.accuracy().format(),
                        Double.isNaN(ref.paper(arm)) ? "—" : String.format(Locale.ROOT, "%.2f", ref.paper(arm)),
                        a.teacherHead().format(), a.freshHead().format(), c.teacher().format()));
                a.predictors().forEach(p -> row.add(Table.number(p.mean())));
                rows.add(row);
            });
        }
        List<Table> tables = new ArrayList<>();
        tables.add(new Table("Test accuracy per cell and student arm", "Means over seeds with Student-t 95% intervals "
                + "within [0, 1], per cell (nothing pooled); the student's representation also read through the "
                + "teacher's head and a fresh random head; the paper's value (Fig. 10 and its sweep over m) only where it "
                + "exists for the cell's settings; predictors as means over seeds. Fixed settings: " + fixed() + ".",
                head, rows));
        List<List<String>> spectra = new ArrayList<>();
        for (CellStatistics c : s.cells()) {
            c.arms().forEach((arm, a) -> {
                if (a.spectra().get(0).count() > 0) {
                    List<String> row = new ArrayList<>();
                    s.varied().forEach(v -> row.add(text(c.axes().get(v))));
                    row.addAll(List.of(arm.key(), String.valueOf(a.spectra().get(0).count())));
                    a.spectra().forEach(m -> row.add(Table.number(m.mean())));
                    spectra.add(row);
                }
            });
        }
        if (!spectra.isEmpty()) {
            List<String> sh = new ArrayList<>(s.varied());
            sh.addAll(List.of("arm", "seeds"));
            MnistSweepSummary.SPECTRA.forEach(f -> sh.add(MnistSweepSummary.label(f)));
            tables.add(new Table("Spectra of G and of the eNTK cross block", "At each small student's start, on the "
                    + "held-out noise images: the eigenvalues of G = (1/N) Σ_x J_xᵀ M_x J_x of its imitation loss and the "
                    + "singular values of the cross block between its auxiliary and the reference's class logits (same "
                    + "architecture only); effective rank exp(−Σ q ln q), q = s/Σs; means over seeds.", sh, spectra));
        }
        List<List<String>> p = new ArrayList<>();
        for (MnistSweepSummary.PredictorCorrelation c : s.predictors()) {
            p.add(List.of(MnistSweepSummary.label(c.predictor()), c.group(), String.valueOf(c.correlation().count()),
                    c.correlation().format()));
        }
        if (!p.isEmpty()) {
            tables.add(new Table("What predicts transfer", "Spearman's ρ of each predictor with the final test accuracy "
                    + "of the aux-only students over every (cell, seed) of the file, with percentile bootstrap 95% "
                    + "intervals (" + MnistSweepSummary.RESAMPLES + " resamples of the pairs, seed "
                    + MnistSweepSummary.BOOTSTRAP_SEED + ").", List.of("predictor", "students", "n", "ρ [95% CI]"), p));
        }
        return tables;
    }

    @Override
    public List<Plot> plots() {
        if (summary().isEmpty()) {
            return List.of();
        }
        List<Plot> plots = new ArrayList<>();
        accuracyPlot().ifPresent(plots::add);
        plots.addAll(trajectoryPlots());
        predictorPlot().ifPresent(plots::add);
        return plots;
    }

    /** Accuracy against the first numeric varied setting, a panel per setting of the other varied ones. */
    private java.util.Optional<Plot> accuracyPlot() {
        MnistSweepSummary s = summary();
        String x = s.varied().stream().filter(v -> s.cells().stream().allMatch(c -> c.axes().get(v).isNumber()))
                .findFirst().orElse(null);
        if (x == null) {
            return java.util.Optional.empty();
        }
        Map<String, Map<Arm, List<Charts.RatePoint>>> panels = new LinkedHashMap<>();
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        int minSeeds = Integer.MAX_VALUE;
        int maxSeeds = 0;
        for (CellStatistics c : s.cells()) {
            double xv = c.axes().get(x).doubleValue();
            lo = Math.min(lo, xv);
            hi = Math.max(hi, xv);
            String panel = others(c, x);
            for (Map.Entry<Arm, ArmStatistics> e : c.arms().entrySet()) {
                MeanInterval m = e.getValue().accuracy();
                if (m.count() == 0) {
                    continue;
                }
                minSeeds = Math.min(minSeeds, m.count());
                maxSeeds = Math.max(maxSeeds, m.count());
                panels.computeIfAbsent(panel, k -> new LinkedHashMap<>()).computeIfAbsent(e.getKey(), k -> new ArrayList<>())
                        .add(new Charts.RatePoint(xv, m.mean(), band(m.lower(), m.mean()), band(m.upper(), m.mean())));
            }
        }
        List<Charts.RatePanel> rp = new ArrayList<>();
        panels.forEach((title, arms) -> {
            List<Charts.RateSeries> series = new ArrayList<>();
            arms.forEach((arm, points) -> {
                points.sort(java.util.Comparator.comparingDouble(Charts.RatePoint::x));
                series.add(new Charts.RateSeries(arm.label(), colour(arm), arm.auxOnly() ? 0 : 1, points));
            });
            rp.add(new Charts.RatePanel(title, series));
        });
        boolean logX = lo > 0 && hi / lo >= 10;
        String caption = "Test accuracy of each student arm against " + x + ": the mean over n = " + seeds(minSeeds, maxSeeds)
                + " seeds per cell with its Student-t 95% interval (band, within [0, 1]); one panel per setting of the "
                + "other varied settings (nothing pooled). Colour: where the student started (green: the teacher's "
                + "init θ0, red: another init); solid: aux-only, dashed: all logits. Fixed settings: " + fixed() + ".";
        return java.util.Optional.of(new Plot("mnist-sweep-accuracy", caption, Charts.rates("MNIST sweep: test accuracy "
                + "against " + x, x, "test accuracy", rp, Math.min(3, rp.size()), logX, keys(), caption)));
    }

    /** One figure per trajectory column: a panel per cell, a line per arm with its band over seeds. */
    private List<Plot> trajectoryPlots() {
        MnistSweepSummary s = summary();
        List<Plot> plots = new ArrayList<>();
        boolean any = s.cells().stream().anyMatch(c -> c.arms().values().stream().anyMatch(a -> a.trajectory() != null));
        if (!any) {
            return plots;
        }
        for (Column col : COLUMNS) {
            List<Charts.RatePanel> panels = new ArrayList<>();
            int minSeeds = Integer.MAX_VALUE;
            int maxSeeds = 0;
            for (CellStatistics c : s.cells()) {
                List<Charts.RateSeries> series = new ArrayList<>();
                for (Map.Entry<Arm, ArmStatistics> e : c.arms().entrySet()) {
                    dev.subliminal.results.sweep.TrajectoryBands t = e.getValue().trajectory();
                    if (t == null) {
                        continue;
                    }
                    List<MeanInterval> values = t.columns().get(col.name());
                    List<Charts.RatePoint> points = new ArrayList<>();
                    for (int i = 0; i < t.steps().length; i++) {
                        MeanInterval m = values.get(i);
                        if (m.count() > 0 && !Double.isNaN(m.mean())) {
                            points.add(new Charts.RatePoint(t.steps()[i], m.mean(), band(m.lower(), m.mean()),
                                    band(m.upper(), m.mean())));
                            minSeeds = Math.min(minSeeds, m.count());
                            maxSeeds = Math.max(maxSeeds, m.count());
                        }
                    }
                    if (points.size() > 1) {
                        series.add(new Charts.RateSeries(e.getKey().label(), colour(e.getKey()),
                                e.getKey().auxOnly() ? 0 : 1, points));
                    }
                }
                if (!series.isEmpty()) {
                    panels.add(new Charts.RatePanel(cellTitle(c), series));
                }
            }
            if (panels.isEmpty()) {
                continue;
            }
            String caption = col.label() + " against the student's optimizer step t, per arm: the mean over n = "
                    + seeds(minSeeds, maxSeeds) + " seeds with its Student-t 95% interval (band); one panel per cell "
                    + "(nothing pooled). U_t = θ_t − θ_S0 is the student's cumulative update, Δ_T = θ_T − θ0 the "
                    + "teacher's; γ_t = mean over the step's batch of ‖J_t Δ_T‖²/‖Δ_T‖² on the imitated logits; "
                    + "S_t = Σ η·Δ_TᵀJᵀMJΔ_T and N_t = U_t·Δ_T − S_t. Colour: green from θ0, red from another init; "
                    + "solid: aux-only, dashed: all logits. Fixed settings: " + fixed() + ".";
            plots.add(new Plot("mnist-trajectory-" + col.name().toLowerCase(Locale.ROOT), caption,
                    Charts.lines("MNIST students' trajectories: " + col.label(), "step t", col.label(), panels,
                            Math.min(3, panels.size()), false, col.lo(), col.hi(), keys(), caption)));
        }
        return plots;
    }

    /** ρ of each predictor, a bar per group of students with its bootstrap interval. */
    private java.util.Optional<Plot> predictorPlot() {
        MnistSweepSummary s = summary();
        if (s.predictors().isEmpty()) {
            return java.util.Optional.empty();
        }
        List<String> categories = MnistSweepSummary.PREDICTORS.stream().map(MnistSweepSummary::label).toList();
        List<Charts.BarSeries> series = new ArrayList<>();
        List<Charts.Key> keys = new ArrayList<>();
        int minN = Integer.MAX_VALUE;
        int maxN = 0;
        for (String group : List.of(MnistSweepSummary.ALL_AUX, Arm.STUDENT_AUX.key(), Arm.CROSS_AUX.key())) {
            List<Charts.Bar> bars = new ArrayList<>();
            List<Color> colours = new ArrayList<>();
            Color colour = group.equals(MnistSweepSummary.ALL_AUX) ? Palette.MEASURED
                    : group.equals(Arm.STUDENT_AUX.key()) ? Palette.SAME : Palette.INDEPENDENT;
            boolean present = false;
            for (var p : MnistSweepSummary.PREDICTORS) {
                RankCorrelation r = s.predictors().stream().filter(c -> c.group().equals(group) && c.predictor() == p)
                        .map(MnistSweepSummary.PredictorCorrelation::correlation).findFirst().orElse(null);
                bars.add(r == null ? new Charts.Bar(Double.NaN, Double.NaN, Double.NaN)
                        : new Charts.Bar(r.rho(), r.lower(), r.upper()));
                colours.add(colour);
                if (r != null) {
                    present = true;
                    minN = Math.min(minN, r.count());
                    maxN = Math.max(maxN, r.count());
                }
            }
            if (present) {
                series.add(new Charts.BarSeries(group, colours, bars));
                keys.add(new Charts.Key(group + " students", colour, 0));
            }
        }
        String caption = "Spearman's rank correlation ρ of each predictor with the final test accuracy of the aux-only "
                + "students over every (cell, seed) of the file (n = " + seeds(minN, maxN) + " pairs per bar), with its "
                + "percentile bootstrap 95% interval (" + MnistSweepSummary.RESAMPLES + " resamples, seed "
                + MnistSweepSummary.BOOTSTRAP_SEED + "). Blue: both aux-only arms together; green: from the teacher's "
                + "init; red: from another init. Varied settings: " + String.join(", ", s.varied()) + "; fixed: "
                + fixed() + ".";
        return java.util.Optional.of(new Plot("mnist-sweep-predictors", caption, Charts.bars("What predicts transfer: "
                + "Spearman ρ with aux-only accuracy", "Spearman ρ", List.of(new Charts.BarPanel("", categories, series)),
                1, -1, 1, keys, caption)));
    }

    private static double band(double bound, double mean) {
        return Double.isNaN(bound) ? mean : bound;
    }

    private static String seeds(int min, int max) {
        return min == max ? String.valueOf(min) : min + " to " + max;
    }

    private static Color colour(Arm arm) {
        return arm.sameInit() ? Palette.SAME : Palette.INDEPENDENT;
    }

    private static List<Charts.Key> keys() {
        return List.of(new Charts.Key("from the teacher's init θ0", Palette.SAME, 0),
                new Charts.Key("from another init", Palette.INDEPENDENT, 0), new Charts.Key("aux-only", Color.DARK_GRAY, 0),
                new Charts.Key("all logits", Color.DARK_GRAY, 1));
    }

    /** The varied settings of a cell other than {@code x}, as {@code key value} pairs; "all" if none. */
    private String others(CellStatistics c, String x) {
        List<String> parts = new ArrayList<>();
        summary().varied().stream().filter(v -> !v.equals(x)).forEach(v -> parts.add(v + " " + text(c.axes().get(v))));
        return parts.isEmpty() ? "" : String.join(", ", parts);
    }

    private String cellTitle(CellStatistics c) {
        List<String> parts = new ArrayList<>();
        summary().varied().forEach(v -> parts.add(v + " " + text(c.axes().get(v))));
        return parts.isEmpty() ? "cell " + c.cell() : String.join(", ", parts);
    }

    /** The settings with one value in the grid, and the digits. */
    private String fixed() {
        List<String> parts = new ArrayList<>();
        JsonNode axes = header().config().get("axes");
        axes.properties().forEach(e -> {
            if (e.getValue().size() == 1) {
                parts.add(e.getKey() + " " + text(e.getValue().get(0)));
            }
        });
        parts.add("data: " + header().config().path("data").asText());
        return String.join(", ", parts);
    }

    private static String text(JsonNode v) {
        return v == null ? "" : v.isNumber() ? Axes.number(v.doubleValue()) : v.asText();
    }
}
