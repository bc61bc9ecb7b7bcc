package dev.subliminal.reports.plot;

import org.jfree.chart.JFreeChart;

/**
 * One figure of a report.
 *
 * @param name file stem, unique in a report ({@code [a-z0-9-]+})
 * @param caption what the figure shows and how to read it
 * @param chart the chart, whose datasets hold every plotted number
 */
public record Plot(String name, String caption, JFreeChart chart) {

    public Plot {
        if (!name.matches("[a-z0-9-]+")) {
            throw new IllegalArgumentException("plot name '" + name + "' must match [a-z0-9-]+");
        }
    }
}
