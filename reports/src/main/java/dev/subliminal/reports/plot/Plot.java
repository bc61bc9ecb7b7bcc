package dev.subliminal.reports.plot;

import org.jfree.chart.JFreeChart;

/**
 * One figure of a report.
 *
 * @param name file stem, unique in a report ({@code [a-z0-9-]+})
 * @param caption what the figure shows and how to read it: the groups, n, the interval's level and
 *     the configuration (the figure carries the same caption inside it)
 * @param figure the chart, whose datasets hold every plotted number, and its height
 */
public record Plot(String name, String caption, Charts.Figure figure) {

    public Plot {
        if (!name.matches("[a-z0-9-]+")) {
            throw new IllegalArgumentException("plot name '" + name + "' must match [a-z0-9-]+");
        }
    }

    /** The chart. */
    public JFreeChart chart() {
        return figure.chart();
    }

    /** The panels of the figure's small multiples. */
    public java.util.List<GridPlot.Panel> panels() {
        return ((GridPlot) figure.chart().getPlot()).panels();
    }
}
