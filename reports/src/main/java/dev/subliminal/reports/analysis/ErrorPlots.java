package dev.subliminal.reports.analysis;

import dev.subliminal.reports.plot.Charts;
import dev.subliminal.reports.plot.Plot;
import dev.subliminal.results.stats.MedianInterval;
import dev.subliminal.results.stats.PowerLaw;
import dev.subliminal.results.sweep.SweepSummary;
import java.awt.Color;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The first-order errors against ε, one line per group of cells (or records) that differ only in ε:
 * the median relative error, O(ε) (slope 1 on log–log axes), and the median absolute error, O(ε²)
 * (slope 2), each at its ε with its distribution-free 95% interval, and the least-squares line
 * through the medians.
 */
final class ErrorPlots {

    private ErrorPlots() {
    }

    /** The errors of one group at one ε. */
    record Point(double epsilon, MedianInterval relative, MedianInterval absolute) {
    }

    /** A group: its label, colour and dash pattern, and its points in increasing ε. */
    record Group(String label, Color colour, int dash, List<Point> points, String order) {
    }

    /** The figure of a sweep's groups of cells that differ only in ε ({@link SweepSummary#convergence}). */
    static Optional<Plot> ofSweep(SweepAnalysis a) {
        SweepSummary s = a.summary();
        List<Group> groups = new ArrayList<>();
        List<String> dashes = new ArrayList<>();
        for (SweepSummary.Convergence c : s.convergence()) {
            List<Point> points = new ArrayList<>();
            SweepSummary.Cell first = null;
            for (int i = 0; i < c.cells().length; i++) {
                int index = c.cells()[i];
                SweepSummary.Cell cell = s.cells().stream().filter(x -> x.index() == index).findFirst().orElseThrow();
                first = first == null ? cell : first;
                points.add(new Point(c.epsilons()[i], cell.relativeError(), cell.absoluteError()));
            }
            String label = a.groupLabel(first);
            String dashKey = label.replaceAll("[a-z]+ init(, )?", "");
            if (!dashes.contains(dashKey)) {
                dashes.add(dashKey);
            }
            groups.add(new Group(label, a.colour(first), dashes.indexOf(dashKey),
                    points, "order of the absolute error over seeds " + c.slope().format("%.3g") + " (mean per-seed slope, "
                    + "t 95%)"));
        }
        int seeds = s.cells().stream().mapToInt(SweepSummary.Cell::records).max().orElse(0);
        return of(groups, "n = " + seeds + " seeds per cell (each point is one cell)", a.configuration(), "");
    }

    /**
     * The figure of {@code groups}, when some group has two step sizes with a positive median error.
     *
     * @param n the sample sizes in words, e.g. {@code n = 500 seeds per cell}
     * @param configuration what every group shares
     * @param prefix a file-name prefix
     */
    static Optional<Plot> of(List<Group> groups, String n, String configuration, String prefix) {
        List<Charts.ErrorPanel> panels = new ArrayList<>();
        List<Charts.Key> keys = new ArrayList<>();
        StringBuilder fits = new StringBuilder();
        for (boolean relative : new boolean[] {true, false}) {
            List<Charts.ErrorSeries> series = new ArrayList<>();
            for (Group g : groups) {
                List<Charts.ErrorPoint> points = new ArrayList<>();
                List<PowerLaw.Point> medians = new ArrayList<>();
                for (Point p : g.points()) {
                    MedianInterval m = relative ? p.relative() : p.absolute();
                    if (m.median() > 0 && Double.isFinite(m.median())) {
                        points.add(new Charts.ErrorPoint(p.epsilon(), m.median(), m.lower(), m.upper()));
                        medians.add(new PowerLaw.Point(p.epsilon(), m.median()));
                    }
                }
                if (points.size() < 2) {
                    continue;
                }
                PowerLaw fit = PowerLaw.fit(medians);
                series.add(new Charts.ErrorSeries(g.label(), g.colour(), g.dash(), points, fit));
                if (relative) {
                    keys.add(new Charts.Key(g.label(), g.colour(), g.dash()));
                }
                fits.append(fits.length() == 0 ? "" : "; ").append(g.label()).append(relative ? ": relative " : ", absolute ")
                        .append(String.format(Locale.ROOT, "%.3f", fit.slope()));
                if (!relative && !g.order().isEmpty()) {
                    fits.append(" (").append(g.order()).append(')');
                }
            }
            if (!series.isEmpty()) {
                panels.add(new Charts.ErrorPanel(relative ? "relative error, O(ε): slope 1" : "absolute error, O(ε²): slope 2",
                        relative ? "median relative error" : "median absolute error", series));
            }
        }
        if (panels.isEmpty()) {
            return Optional.empty();
        }
        String caption = "The error of the first-order prediction of the trait-carrying part (the student's update "
                + "minus the control's, along the teacher's), against the teacher step size ε on log–log axes: at each ε the median error with its "
                + "distribution-free 95% interval (order statistics), and the least-squares line through the medians; "
                + "one line per group of cells that differ only in ε; " + n + ". The theory predicts slope 1 for the "
                + "relative error and 2 for the absolute error. Fitted slopes: " + fits + ". Zero errors (exact first "
                + "order) have no place on log axes.\n" + configuration;
        return Optional.of(new Plot(prefix + "first-order-error", caption, Charts.errors(
                "Error of the first-order prediction against ε", "teacher step size ε", panels, keys, caption)));
    }
}
