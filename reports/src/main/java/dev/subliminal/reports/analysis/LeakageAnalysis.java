package dev.subliminal.reports.analysis;

import com.fasterxml.jackson.databind.JsonNode;
import dev.subliminal.reports.plot.Charts;
import dev.subliminal.reports.plot.Palette;
import dev.subliminal.reports.plot.Plot;
import dev.subliminal.results.leakage.LeakageSummary;
import dev.subliminal.results.leakage.LeakageSummary.CellStatistics;
import dev.subliminal.results.stats.MeanInterval;
import java.awt.Color;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A {@code subliminal.leakage-sweep/1} file (soft-label leakage on random data × seeds), through its
 * {@link LeakageSummary}: a table row per cell, and a plot of the held-out accuracy against the
 * temperature (or the first numeric varied setting): one panel per setting of the varied settings other
 * than it and the sample count, a line per sample count (solid: the soft-label student, dotted: the
 * hard-label control) with its band over seeds, and the chance level 1/C: nothing pooled across cells.
 */
public final class LeakageAnalysis extends SummaryAnalysis<LeakageSummary> {

    private static final List<Color> COLOURS = List.of(Palette.MEASURED, Palette.SAME, Palette.PERTURBED,
            Palette.INDEPENDENT, Palette.OTHER_ARCHITECTURE, Color.BLACK);
    private static final String SERIES = "samples";

    /** An empty analysis. */
    public LeakageAnalysis() {
        this(new LeakageSummary.Accumulator());
    }

    private LeakageAnalysis(LeakageSummary.Accumulator records) {
        super(records, records::summary);
    }

    @Override
    public String title() {
        return "Soft-label leakage sweep " + header().file().getFileName();
    }

    @Override
    public List<Table> tables() {
        LeakageSummary s = summary();
        List<String> head = new ArrayList<>(s.varied());
        head.addAll(List.of("seeds", "chance", "student [95% CI]", "student hits [Wilson 95%]", "hard-label [95% CI]",
                "agreement [95% CI]", "teacher held-out", "teacher all", "label entropy"));
        List<List<String>> rows = new ArrayList<>();
        for (CellStatistics c : s.cells()) {
            List<String> row = new ArrayList<>();
            s.varied().forEach(v -> row.add(text(c.axes().get(v))));
            row.add(String.valueOf(c.count()));
            row.add(String.format(Locale.ROOT, "%.3f", c.chance()));
            row.add(c.student().format());
            if (c.studentHits().trials() == 0) {
                row.add("n/a");
            } else {
                double[] w = c.studentHits().wilson95();
                row.add(String.format(Locale.ROOT, "%.3f [%.3f, %.3f]", c.studentHits().rate(), w[0], w[1]));
            }
            row.add(c.hardLabel().format());
            row.add(c.agreement().format());
            row.add(Table.number(c.teacherHeldOut().mean()));
            row.add(Table.number(c.teacherAccuracy().mean()));
            row.add(Table.number(c.labelEntropy().mean()));
            rows.add(row);
        }
        return List.of(new Table("Held-out memorised accuracy per cell", "Accuracy on the teacher's held-out memorised "
                + "points against their random labels (the student never saw them): means over seeds with Student-t "
                + "95% intervals within [0, 1], per cell (nothing pooled); student hits pooled over the cell's seeds "
                + "with a Wilson 95% interval; hard-label: the same student trained on the teacher's argmax labels; "
                + "agreement: with the teacher's argmax; label entropy of σ(f_T/T) in units of log C. Fixed settings: "
                + fixed() + ".", head, rows));
    }

    @Override
    public List<Plot> plots() {
        if (summary().isEmpty()) {
            return List.of();
        }
        return accuracyPlot().map(List::of).orElse(List.of());
    }

    /** Held-out accuracy against x, a panel per setting of the other varied settings, a line per sample count. */
    private Optional<Plot> accuracyPlot() {
        LeakageSummary s = summary();
        List<String> numeric = s.varied().stream()
                .filter(v -> s.cells().stream().allMatch(c -> c.axes().get(v).isNumber())).toList();
        if (numeric.isEmpty()) {
            return Optional.empty();
        }
        String x = numeric.contains("temperature") ? "temperature" : numeric.get(0);
        boolean bySeries = !x.equals(SERIES) && s.varied().contains(SERIES);
        Map<String, Map<String, List<Charts.RatePoint>[]>> panels = new LinkedHashMap<>();
        Map<String, Double> chance = new LinkedHashMap<>();
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        int minSeeds = Integer.MAX_VALUE;
        int maxSeeds = 0;
        for (CellStatistics c : s.cells()) {
            if (c.count() == 0) {
                continue;
            }
            double xv = c.axes().get(x).doubleValue();
            lo = Math.min(lo, xv);
            hi = Math.max(hi, xv);
            minSeeds = Math.min(minSeeds, c.count());
            maxSeeds = Math.max(maxSeeds, c.count());
            String panel = others(c, x, bySeries);
            String series = bySeries ? SERIES + " " + text(c.axes().get(SERIES)) : "";
            @SuppressWarnings("unchecked")
            List<Charts.RatePoint>[] lines = panels.computeIfAbsent(panel, k -> new LinkedHashMap<>())
                    .computeIfAbsent(series, k -> new List[] {new ArrayList<>(), new ArrayList<>()});
            lines[0].add(point(xv, c.student()));
            lines[1].add(point(xv, c.hardLabel()));
            chance.put(panel, c.chance());
        }
        List<Charts.RatePanel> rp = new ArrayList<>();
        List<Charts.Key> keys = new ArrayList<>();
        List<String> seriesNames = new ArrayList<>();
        panels.values().forEach(m -> m.keySet().forEach(k -> {
            if (!seriesNames.contains(k)) {
                seriesNames.add(k);
            }
        }));
        for (String name : seriesNames) {
            keys.add(new Charts.Key(name.isEmpty() ? "soft-label student" : name, colour(seriesNames.indexOf(name)), 0));
        }
        keys.add(new Charts.Key("hard-label control", Color.DARK_GRAY, 2));
        keys.add(new Charts.Key("chance 1/C", Palette.REFERENCE, 1));
        panels.forEach((title, series) -> {
            List<Charts.RateSeries> lines = new ArrayList<>();
            series.forEach((name, points) -> {
                Color colour = colour(seriesNames.indexOf(name));
                for (int k = 0; k < 2; k++) {
                    points[k].sort(Comparator.comparingDouble(Charts.RatePoint::x));
                    lines.add(new Charts.RateSeries((name.isEmpty() ? "" : name + ", ")
                            + (k == 0 ? "soft labels" : "hard labels"), colour, 2 * k, points[k]));
                }
            });
            double p = chance.get(title);
            lines.add(new Charts.RateSeries("chance", Palette.REFERENCE, 1,
                    List.of(new Charts.RatePoint(Double.NaN, p, p, p))));
            rp.add(new Charts.RatePanel(title, lines));
        });
        boolean logX = lo > 0 && hi / lo >= 10;
        String caption = "Accuracy on the teacher's held-out memorised points against their random labels, against "
                + x + ": the mean over n = " + (minSeeds == maxSeeds ? String.valueOf(minSeeds) : minSeeds + " to "
                + maxSeeds) + " seeds per cell with its Student-t 95% interval (band, within [0, 1]); solid: the student "
                + "trained on the soft labels σ(f_T/T), dotted: the hard-label control, grey dashed: chance 1/C; "
                + (bySeries ? "a colour per sample count, " : "") + "one panel per setting of the other varied settings "
                + "(nothing pooled). Fixed settings: " + fixed() + ".";
        return Optional.of(new Plot("leakage-accuracy", caption, Charts.rates("Soft-label leakage: held-out memorised "
                + "accuracy against " + x, x, "held-out accuracy", rp, Math.min(2, rp.size()), logX, keys, caption)));
    }

    private static Charts.RatePoint point(double x, MeanInterval m) {
        return new Charts.RatePoint(x, m.mean(), Double.isNaN(m.lower()) ? m.mean() : m.lower(),
                Double.isNaN(m.upper()) ? m.mean() : m.upper());
    }

    private static Color colour(int k) {
        return COLOURS.get(Math.floorMod(k, COLOURS.size()));
    }

    /** The varied settings of a cell other than x (and the series' axis), as {@code key value} pairs. */
    private String others(CellStatistics c, String x, boolean bySeries) {
        List<String> parts = new ArrayList<>();
        summary().varied().stream().filter(v -> !v.equals(x) && !(bySeries && v.equals(SERIES)))
                .forEach(v -> parts.add(v + " " + text(c.axes().get(v))));
        return parts.isEmpty() ? "" : String.join(", ", parts);
    }

    private String fixed() {
        List<String> parts = new ArrayList<>();
        header().config().get("axes").properties().forEach(e -> {
            if (e.getValue().size() == 1) {
                parts.add(e.getKey() + " " + text(e.getValue().get(0)));
            }
        });
        return String.join(", ", parts);
    }

    private static String text(JsonNode v) {
        return v == null ? "" : v.isNumber() ? Axes.number(v.doubleValue()) : v.asText();
    }
}
