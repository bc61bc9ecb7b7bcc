package dev.subliminal.reports.plot;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.font.TextLayout;
import java.awt.geom.Point2D;
import java.awt.geom.Rectangle2D;
import java.util.List;
import org.jfree.chart.LegendItemCollection;
import org.jfree.chart.plot.Plot;
import org.jfree.chart.plot.PlotRenderingInfo;
import org.jfree.chart.plot.PlotState;

/**
 * Small multiples: panels laid out in a grid, each with its own title (in the paper's notation,
 * subscripts set as such) over a plot with its own axes, under one chart title, one legend and one
 * caption. Panels of one figure share their axis ranges, so they compare at a glance.
 */
public final class GridPlot extends Plot {

    /**
     * One panel.
     *
     * @param title its title; {@code _} and {@code ^} mark subscripts and superscripts ({@link Notation})
     * @param plot its plot, or null for an empty slot
     */
    public record Panel(String title, Plot plot) {
    }

    private final List<Panel> panels;
    private final int columns;
    private final LegendItemCollection legend;
    private final Font titleFont;

    /** The panels in reading order (row by row), {@code columns} to a row, and the legend's items. */
    public GridPlot(List<Panel> panels, int columns, LegendItemCollection legend, Font titleFont) {
        if (panels.isEmpty() || columns < 1) {
            throw new IllegalArgumentException("a grid needs at least one panel and one column");
        }
        this.panels = List.copyOf(panels);
        this.columns = Math.min(columns, panels.size());
        this.legend = legend;
        this.titleFont = titleFont;
        setOutlineVisible(false);
    }

    /** The number of rows. */
    public int rows() {
        return (panels.size() + columns - 1) / columns;
    }

    /** The panels, in reading order. */
    public List<Panel> panels() {
        return panels;
    }

    @Override
    public String getPlotType() {
        return "Small multiples";
    }

    @Override
    public LegendItemCollection getLegendItems() {
        return legend;
    }

    @Override
    public void draw(Graphics2D g2, Rectangle2D area, Point2D anchor, PlotState parentState, PlotRenderingInfo info) {
        int rows = rows();
        double w = area.getWidth() / columns;
        double h = area.getHeight() / rows;
        double titleHeight = titleFont.getSize2D() * 1.6;
        for (int i = 0; i < panels.size(); i++) {
            Panel p = panels.get(i);
            double x = area.getX() + (i % columns) * w;
            double y = area.getY() + (i / columns) * h;
            if (p.plot() == null) {
                continue;
            }
            if (!p.title().isEmpty()) {
                g2.setPaint(Color.BLACK);
                TextLayout layout = new TextLayout(Notation.attributed(p.title(), titleFont).getIterator(),
                        g2.getFontRenderContext());
                float tx = (float) (x + Math.max(2, (w - layout.getAdvance()) / 2));
                layout.draw(g2, tx, (float) (y + titleFont.getSize2D() * 1.2));
            }
            p.plot().draw(g2, new Rectangle2D.Double(x, y + titleHeight, w, h - titleHeight), null, null, null);
        }
    }
}
