package dev.subliminal.reports.analysis;

import dev.subliminal.reports.plot.Charts;
import dev.subliminal.reports.plot.Plot;
import dev.subliminal.results.stats.ErrorScaling;
import dev.subliminal.results.stats.ErrorScaling.Quantity;
import dev.subliminal.results.stats.PowerLaw;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The plots of the first-order errors against ε ({@link ErrorScaling}): the relative error, O(ε),
 * and the absolute error, O(ε²), on log–log axes with their fitted slopes.
 */
final class ErrorPlots {

    private ErrorPlots() {
    }

    /** The two plots, each when at least two step sizes have a positive error. */
    static List<Plot> of(ErrorScaling errors, String prefix, String scope) {
        List<Plot> plots = new ArrayList<>();
        for (Quantity q : Quantity.values()) {
            List<ErrorScaling.Point> points = errors.points(q);
            if (points.size() < 2) {
                continue;
            }
            PowerLaw fit = errors.fit(q);
            long zeros = errors.nonPositive(q);
            String caption = "The " + q.label() + " against ε on log–log axes (" + scope + "): the geometric mean "
                    + "at each ε, bars from the smallest to the largest value, and the least-squares line through "
                    + "the means. The theory predicts slope " + (int) q.expectedSlope() + " (the "
                    + (q == Quantity.RELATIVE ? "relative error is O(ε)" : "absolute error is O(ε²)") + "); "
                    + "the fit gives " + String.format(Locale.ROOT, "%.3f", fit.slope()) + "."
                    + (zeros > 0 ? " " + zeros + " exact (zero) errors are not on log axes." : "");
            plots.add(new Plot(prefix + q.key() + "-error", caption, Charts.powerLaw(
                    Table.capitalized(q.label()) + " against ε", "ε", q.label(), points, fit, q.expectedSlope())));
        }
        return plots;
    }
}
