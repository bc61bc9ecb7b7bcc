package dev.subliminal.reports.plot;

import dev.subliminal.results.stats.ErrorScaling;
import dev.subliminal.results.stats.Histogram;
import dev.subliminal.results.stats.PowerLaw;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.GraphicsEnvironment;
import java.awt.Paint;
import java.awt.RenderingHints;
import java.awt.geom.Line2D;
import java.awt.geom.Rectangle2D;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.StandardChartTheme;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.CategoryItemRendererState;
import org.jfree.chart.renderer.xy.DeviationRenderer;
import org.jfree.chart.renderer.xy.StandardXYBarPainter;
import org.jfree.chart.renderer.xy.XYBarRenderer;
import org.jfree.chart.renderer.xy.XYErrorRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.category.CategoryDataset;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYIntervalSeries;
import org.jfree.data.xy.XYIntervalSeriesCollection;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;

/**
 * The chart shapes of a report, in one house style: fixed fonts (DejaVu Sans where installed),
 * white background, light grid, the Okabe–Ito colour-blind-safe palette in a fixed order.
 */
public final class Charts {

    private static final Paint[] PALETTE = {new Color(0x0072B2), new Color(0xD55E00), new Color(0x009E73),
        new Color(0xCC79A7), new Color(0xE69F00), new Color(0x56B4E9), new Color(0xF0E442), Color.BLACK};
    private static final String FAMILY = Arrays.asList(GraphicsEnvironment.getLocalGraphicsEnvironment()
            .getAvailableFontFamilyNames(java.util.Locale.ROOT)).contains("DejaVu Sans")
            ? "DejaVu Sans" : Font.SANS_SERIF;
    private static final StandardChartTheme THEME = theme();

    private Charts() {
    }

    /** The rendering hints of every figure, fixed so output is reproducible. */
    public static RenderingHints renderingHints() {
        RenderingHints h = new RenderingHints(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        h.put(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        h.put(RenderingHints.KEY_FRACTIONALMETRICS, RenderingHints.VALUE_FRACTIONALMETRICS_ON);
        h.put(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
        h.put(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
        return h;
    }

    /**
     * Overlaid histograms, one per series, as the fraction of the series' values in each bin (so
     * series of different sizes compare), or as counts.
     */
    public static JFreeChart histogram(String title, String xLabel, Map<String, Histogram> series, boolean fractions) {
        XYIntervalSeriesCollection data = new XYIntervalSeriesCollection();
        for (Map.Entry<String, Histogram> e : series.entrySet()) {
            Histogram h = e.getValue();
            XYIntervalSeries s = new XYIntervalSeries(e.getKey());
            double total = h.total();
            for (int b = 0; b < h.bins(); b++) {
                double y = fractions ? h.count(b) / total : h.count(b);
                s.add((h.edge(b) + h.edge(b + 1)) / 2, h.edge(b), h.edge(b + 1), y, y, y);
            }
            data.addSeries(s);
        }
        XYBarRenderer renderer = new XYBarRenderer();
        renderer.setBarPainter(new StandardXYBarPainter());
        renderer.setShadowVisible(false);
        renderer.setDrawBarOutline(false);
        NumberAxis x = new NumberAxis(xLabel);
        x.setAutoRangeIncludesZero(false);
        NumberAxis y = new NumberAxis(fractions ? "fraction of values" : "count");
        if (!fractions) {
            y.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        }
        XYPlot plot = new XYPlot(data, x, y, renderer);
        plot.setForegroundAlpha(series.size() > 1 ? 0.55f : 0.9f);
        return chart(title, plot, series.size() > 1);
    }

    /**
     * A log–log plot of {@code points} (geometric means with min–max bars) and the fitted power law,
     * labelled with its slope and the expected one.
     */
    public static JFreeChart powerLaw(String title, String xLabel, String yLabel, List<ErrorScaling.Point> points,
            PowerLaw fit, double expectedSlope) {
        YIntervalSeries measured = new YIntervalSeries("geometric mean, bars min–max");
        for (ErrorScaling.Point p : points) {
            measured.add(p.epsilon(), p.geometricMean(), p.min(), p.max());
        }
        YIntervalSeriesCollection data = new YIntervalSeriesCollection();
        data.addSeries(measured);
        XYSeries line = new XYSeries(String.format(java.util.Locale.ROOT, "fit: slope %.3f (expected %s)",
                fit.slope(), expectedSlope == Math.rint(expectedSlope) ? String.valueOf((int) expectedSlope)
                        : String.valueOf(expectedSlope)));
        double lo = points.get(0).epsilon();
        double hi = points.get(points.size() - 1).epsilon();
        line.add(lo, fit.at(lo));
        line.add(hi, fit.at(hi));
        XYErrorRenderer points0 = new XYErrorRenderer();
        points0.setDefaultLinesVisible(false);
        points0.setDefaultShapesVisible(true);
        XYPlot plot = new XYPlot(data, logAxis(xLabel), logAxis(yLabel), points0);
        XYLineAndShapeRenderer fitRenderer = new XYLineAndShapeRenderer(true, false);
        plot.setDataset(1, new XYSeriesCollection(line));
        plot.setRenderer(1, fitRenderer);
        JFreeChart chart = chart(title, plot, true);
        fitRenderer.setSeriesPaint(0, PALETTE[1]);
        fitRenderer.setSeriesStroke(0, new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
                new float[] {6f, 4f}, 0f));
        return chart;
    }

    /** A point of a rate plot: k/n at x with its 95% interval. */
    public record RatePoint(double x, double rate, double lo, double hi) {
    }

    /** Rates against x, one line per series, each with its 95% interval as a shaded band. */
    public static JFreeChart rates(String title, String xLabel, String yLabel, Map<String, List<RatePoint>> series,
            boolean logX) {
        YIntervalSeriesCollection data = new YIntervalSeriesCollection();
        for (Map.Entry<String, List<RatePoint>> e : series.entrySet()) {
            YIntervalSeries s = new YIntervalSeries(e.getKey());
            for (RatePoint p : e.getValue()) {
                s.add(p.x(), p.rate(), p.lo(), p.hi());
            }
            data.addSeries(s);
        }
        DeviationRenderer renderer = new DeviationRenderer(true, true);
        renderer.setAlpha(0.2f);
        NumberAxis y = new NumberAxis(yLabel);
        y.setRange(0, 1.02);
        NumberAxis linearX = new NumberAxis(xLabel);
        linearX.setAutoRangeIncludesZero(false);
        XYPlot plot = new XYPlot(data, logX ? logAxis(xLabel) : linearX, y, renderer);
        JFreeChart chart = chart(title, plot, true);
        for (int i = 0; i < series.size(); i++) {
            renderer.setSeriesFillPaint(i, PALETTE[i % PALETTE.length]);
            renderer.setSeriesStroke(i, new BasicStroke(1.5f));
        }
        return chart;
    }

    /** A bar of a bar chart: a value and its 95% interval [lo, hi] (NaN bounds: no whisker). */
    public record Bar(double value, double lo, double hi) {

        /** A mean with a symmetric interval of the given half-width (0: no whisker). */
        public static Bar symmetric(double mean, double halfWidth) {
            return halfWidth > 0 ? new Bar(mean, mean - halfWidth, mean + halfWidth) : new Bar(mean, Double.NaN, Double.NaN);
        }
    }

    /** Grouped bars with 95% interval whiskers (asymmetric allowed): for each series, one bar per category. */
    public static JFreeChart bars(String title, String yLabel, List<String> categories,
            Map<String, List<Bar>> series) {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        Map<List<Object>, Bar> bars = new HashMap<>();
        for (Map.Entry<String, List<Bar>> e : series.entrySet()) {
            for (int c = 0; c < categories.size(); c++) {
                Bar b = e.getValue().get(c);
                data.addValue(Double.isNaN(b.value()) ? null : Double.valueOf(b.value()), e.getKey(), categories.get(c));
                bars.put(List.of(e.getKey(), categories.get(c)), b);
            }
        }
        BarRenderer renderer = new BarRenderer() {
            @Override
            public void drawItem(Graphics2D g2, CategoryItemRendererState state, Rectangle2D dataArea,
                    CategoryPlot plot, CategoryAxis domainAxis, ValueAxis rangeAxis, CategoryDataset dataset, int row,
                    int column, int pass) {
                super.drawItem(g2, state, dataArea, plot, domainAxis, rangeAxis, dataset, row, column, pass);
                Bar b = bars.get(List.of(dataset.getRowKey(row), dataset.getColumnKey(column)));
                if (pass != getPassCount() - 1 || b == null || Double.isNaN(b.lo())) {
                    return;
                }
                double w = state.getBarWidth();
                double x = calculateBarW0(plot, plot.getOrientation(), dataArea, domainAxis, state, row, column) + w / 2;
                double lo = rangeAxis.valueToJava2D(b.lo(), dataArea, plot.getRangeAxisEdge());
                double hi = rangeAxis.valueToJava2D(b.hi(), dataArea, plot.getRangeAxisEdge());
                g2.setPaint(Color.BLACK);
                g2.setStroke(new BasicStroke(1f));
                g2.draw(new Line2D.Double(x, lo, x, hi));
                g2.draw(new Line2D.Double(x - w / 4, lo, x + w / 4, lo));
                g2.draw(new Line2D.Double(x - w / 4, hi, x + w / 4, hi));
            }
        };
        renderer.setBarPainter(new org.jfree.chart.renderer.category.StandardBarPainter());
        renderer.setShadowVisible(false);
        NumberAxis y = new NumberAxis(yLabel);
        y.setRange(0, 1.05);
        CategoryAxis x = new CategoryAxis();
        x.setMaximumCategoryLabelLines(3);
        x.setMaximumCategoryLabelWidthRatio(1.4f);
        CategoryPlot plot = new CategoryPlot(data, x, y, renderer);
        return chart(title, plot, true);
    }

    private static LogAxis logAxis(String label) {
        LogAxis a = new LogAxis(label);
        a.setBase(10);
        a.setBaseSymbol("10");
        a.setSmallestValue(1e-300);
        a.setTickUnit(new org.jfree.chart.axis.NumberTickUnit(1));
        a.setMinorTickMarksVisible(true);
        return a;
    }

    private static JFreeChart chart(String title, org.jfree.chart.plot.Plot plot, boolean legend) {
        JFreeChart chart = new JFreeChart(title, THEME.getExtraLargeFont(), plot, legend);
        THEME.apply(chart);
        chart.setRenderingHints(renderingHints());
        chart.setAntiAlias(true);
        chart.setTextAntiAlias(RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        if (plot instanceof XYPlot xy) {
            for (int s = 0; s < PALETTE.length; s++) {
                xy.getRenderer().setSeriesPaint(s, PALETTE[s]);
            }
            ValueAxis x = xy.getDomainAxis();
            x.setLowerMargin(0.02);
            x.setUpperMargin(0.02);
        } else if (plot instanceof CategoryPlot cat) {
            for (int s = 0; s < PALETTE.length; s++) {
                cat.getRenderer().setSeriesPaint(s, PALETTE[s]);
            }
        }
        return chart;
    }

    private static StandardChartTheme theme() {
        StandardChartTheme t = new StandardChartTheme("subliminal");
        t.setExtraLargeFont(new Font(FAMILY, Font.BOLD, 16));
        t.setLargeFont(new Font(FAMILY, Font.PLAIN, 13));
        t.setRegularFont(new Font(FAMILY, Font.PLAIN, 11));
        t.setSmallFont(new Font(FAMILY, Font.PLAIN, 9));
        t.setChartBackgroundPaint(Color.WHITE);
        t.setPlotBackgroundPaint(Color.WHITE);
        t.setDomainGridlinePaint(new Color(0xDDDDDD));
        t.setRangeGridlinePaint(new Color(0xDDDDDD));
        t.setLegendBackgroundPaint(Color.WHITE);
        t.setPlotOutlinePaint(new Color(0x888888));
        t.setShadowVisible(false);
        t.setBarPainter(new org.jfree.chart.renderer.category.StandardBarPainter());
        t.setXYBarPainter(new StandardXYBarPainter());
        return t;
    }
}
