package dev.subliminal.reports.analysis;

import dev.subliminal.reports.plot.Charts;
import dev.subliminal.reports.plot.Charts.ScalingPoint;
import dev.subliminal.reports.plot.Plot;
import dev.subliminal.reports.stats.Magnitudes;
import dev.subliminal.reports.stats.PowerLaw;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The error of the first-order prediction ε·E[(J_S Δ_T)ᵀ M (J_0 Δ_T)] of the trait part against ε.
 * The absolute error is O(ε²) (slope 2 on log–log axes); the prediction being linear in ε, the
 * relative error is O(ε) (slope 1). At each ε the plot shows the geometric mean over records and
 * the fit is a least-squares line through those means in log10–log10.
 */
public final class ErrorScaling {

    /** Which error. */
    public enum Quantity {
        /** |trait part − first order| / |trait part|: O(ε). */
        RELATIVE("relative", "relative error of the first-order prediction", 1),
        /** |trait part − first order|: O(ε²). */
        ABSOLUTE("absolute", "absolute error of the first-order prediction", 2);

        private final String name;
        private final String label;
        private final double expectedSlope;

        Quantity(String name, String label, double expectedSlope) {
            this.name = name;
            this.label = label;
            this.expectedSlope = expectedSlope;
        }

        /** The slope the theory predicts on log–log axes. */
        public double expectedSlope() {
            return expectedSlope;
        }
    }

    private final Map<Quantity, TreeMap<Double, Magnitudes>> byEpsilon = new EnumMap<>(Quantity.class);

    /** An empty summary. */
    public ErrorScaling() {
        for (Quantity q : Quantity.values()) {
            byEpsilon.put(q, new TreeMap<>());
        }
    }

    /** Counts one record's errors at step size ε (NaN errors are skipped). */
    public void add(double epsilon, double relativeError, double absoluteError) {
        if (!(epsilon > 0)) {
            return;
        }
        byEpsilon.get(Quantity.RELATIVE).computeIfAbsent(epsilon, e -> new Magnitudes()).add(relativeError);
        byEpsilon.get(Quantity.ABSOLUTE).computeIfAbsent(epsilon, e -> new Magnitudes()).add(absoluteError);
    }

    /** The points at each ε with at least one positive error, in increasing ε. */
    public List<ScalingPoint> points(Quantity q) {
        List<ScalingPoint> points = new ArrayList<>();
        for (Map.Entry<Double, Magnitudes> e : byEpsilon.get(q).entrySet()) {
            Magnitudes m = e.getValue();
            if (m.count() > 0) {
                points.add(new ScalingPoint(e.getKey(), m.geometricMean(), m.min(), m.max()));
            }
        }
        return points;
    }

    /** The power law through {@link #points}; needs two of them. */
    public PowerLaw fit(Quantity q) {
        return PowerLaw.fit(points(q).stream().map(p -> new PowerLaw.Point(p.x(), p.y())).toList());
    }

    /** The two plots, each when at least two step sizes have a positive error. */
    public List<Plot> plots(String prefix, String scope) {
        List<Plot> plots = new ArrayList<>();
        for (Quantity q : Quantity.values()) {
            List<ScalingPoint> points = points(q);
            if (points.size() < 2) {
                continue;
            }
            PowerLaw fit = fit(q);
            long zeros = byEpsilon.get(q).values().stream().mapToLong(Magnitudes::nonPositive).sum();
            String caption = "The " + q.label + " against ε on log–log axes (" + scope + "): the geometric mean "
                    + "at each ε, bars from the smallest to the largest value, and the least-squares line through "
                    + "the means. The theory predicts slope " + (int) q.expectedSlope + " (the "
                    + (q == Quantity.RELATIVE ? "relative error is O(ε)" : "absolute error is O(ε²)") + "); "
                    + "the fit gives " + String.format(java.util.Locale.ROOT, "%.3f", fit.slope()) + "."
                    + (zeros > 0 ? " " + zeros + " exact (zero) errors are not on log axes." : "");
            plots.add(new Plot(prefix + q.name + "-error", caption, Charts.powerLaw(
                    Table.capitalized(q.label) + " against ε", "ε", q.label, points, fit, q.expectedSlope)));
        }
        return plots;
    }
}
