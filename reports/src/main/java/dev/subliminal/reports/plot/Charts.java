package dev.subliminal.reports.plot;

import dev.subliminal.results.stats.Histogram;
import dev.subliminal.results.stats.PowerLaw;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.GraphicsEnvironment;
import java.awt.Paint;
import java.awt.RenderingHints;
import java.awt.Shape;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Rectangle2D;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.LegendItem;
import org.jfree.chart.LegendItemCollection;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.block.BlockBorder;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.CategoryItemRendererState;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.renderer.xy.DeviationRenderer;
import org.jfree.chart.renderer.xy.StandardXYBarPainter;
import org.jfree.chart.renderer.xy.XYBarRenderer;
import org.jfree.chart.renderer.xy.XYErrorRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.HorizontalAlignment;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.RectangleInsets;
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
 * white background, light grid, one palette with one meaning per colour ({@link Palette}), axis
 * names in words with their symbols set in the paper's notation ({@link Notation}), and the caption
 * inside the figure, so that a PNG or SVG file stands alone. Figures with more than one group are
 * small multiples ({@link GridPlot}): one panel per group, never groups pooled in one set of bars.
 */
public final class Charts {

    private static final String FAMILY = Arrays.asList(GraphicsEnvironment.getLocalGraphicsEnvironment()
            .getAvailableFontFamilyNames(Locale.ROOT)).contains("DejaVu Sans") ? "DejaVu Sans" : Font.SANS_SERIF;
    private static final Font TITLE = new Font(FAMILY, Font.BOLD, 15);
    private static final Font PANEL_TITLE = new Font(FAMILY, Font.BOLD, 11);
    private static final Font AXIS_LABEL = new Font(FAMILY, Font.PLAIN, 11);
    private static final Font TICK = new Font(FAMILY, Font.PLAIN, 9);
    private static final Font CAPTION = new Font(FAMILY, Font.PLAIN, 10);
    private static final Font LEGEND = new Font(FAMILY, Font.PLAIN, 11);
    private static final Shape DOT = new Ellipse2D.Double(-3.5, -3.5, 7, 7);

    /** Width of every figure in CSS pixels. */
    public static final int WIDTH = 720;

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

    /** A legend entry: a label in words and its colour and line (dash index, {@link Palette#line}). */
    public record Key(String label, Color colour, int dash) {
    }

    // ---------------------------------------------------------------- histograms

    /**
     * One histogram panel.
     *
     * @param title the panel's title (notation marks allowed)
     * @param histogram the counts
     * @param colour the bars' colour
     */
    public record HistogramPanel(String title, Histogram histogram, Color colour) {
    }

    /**
     * Histograms as small multiples, one panel per group, each as the fraction of its group's values
     * per bin (so groups of different sizes compare), with a shared y range; or a single histogram of
     * counts when {@code fractions} is false.
     */
    public static Figure histograms(String title, String xLabel, List<HistogramPanel> panels, int columns,
            boolean fractions, List<Key> legend, String caption) {
        double top = 0;
        for (HistogramPanel p : panels) {
            for (int b = 0; b < p.histogram().bins(); b++) {
                top = Math.max(top, fractions ? p.histogram().count(b) / (double) Math.max(1, p.histogram().total())
                        : p.histogram().count(b));
            }
        }
        List<GridPlot.Panel> grid = new ArrayList<>();
        for (HistogramPanel p : panels) {
            Histogram h = p.histogram();
            XYIntervalSeries s = new XYIntervalSeries(Notation.plain(p.title()));
            double total = Math.max(1, h.total());
            for (int b = 0; b < h.bins(); b++) {
                double y = fractions ? h.count(b) / total : h.count(b);
                s.add((h.edge(b) + h.edge(b + 1)) / 2, h.edge(b), h.edge(b + 1), y, y, y);
            }
            XYIntervalSeriesCollection data = new XYIntervalSeriesCollection();
            data.addSeries(s);
            XYBarRenderer renderer = new XYBarRenderer();
            renderer.setBarPainter(new StandardXYBarPainter());
            renderer.setShadowVisible(false);
            renderer.setDrawBarOutline(false);
            renderer.setSeriesPaint(0, p.colour());
            NumberAxis x = numberAxis(xLabel);
            x.setAutoRangeIncludesZero(false);
            x.setRange(h.edge(0), h.edge(h.bins()));
            NumberAxis y = numberAxis(fractions ? "fraction of seeds" : "count");
            y.setRange(0, top * 1.08 + (top == 0 ? 1 : 0));
            if (!fractions) {
                y.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
            }
            grid.add(new GridPlot.Panel(p.title(), styled(new XYPlot(data, x, y, renderer))));
        }
        return grid(title, grid, columns, legend, caption, 150);
    }

    // ---------------------------------------------------------------- rates against a numeric axis

    /** A point of a rate plot: k/n at x with its 95% interval. */
    public record RatePoint(double x, double rate, double lo, double hi) {
    }

    /**
     * A line of a rate panel. A line with one point is a setting the x axis does not vary (a same or
     * independent init beside a range of σ): it is drawn across the panel as a dashed level with its
     * band.
     *
     * @param label legend text
     * @param colour its colour (the init's)
     * @param dash its dash pattern, for a second category
     * @param points its points, in increasing x
     */
    public record RateSeries(String label, Color colour, int dash, List<RatePoint> points) {
    }

    /** One panel of rates: a title and its lines. */
    public record RatePanel(String title, List<RateSeries> series) {
    }

    /**
     * Rates against x as small multiples, one panel per rate (or per setting of the other numeric
     * axes), each line with its 95% interval as a band; y in [0, 1].
     */
    public static Figure rates(String title, String xLabel, String yLabel, List<RatePanel> panels, int columns,
            boolean logX, List<Key> legend, String caption) {
        return lines(title, xLabel, yLabel, panels, columns, logX, 0, 1.0, legend, caption);
    }

    /**
     * Means (or any value with its 95% interval) against x as small multiples, each line with its
     * interval as a band, as {@link #rates} draws them, with y in [yLo, yHi] (NaN: fitted to the data).
     */
    public static Figure lines(String title, String xLabel, String yLabel, List<RatePanel> panels, int columns,
            boolean logX, double yLo, double yHi, List<Key> legend, String caption) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (RatePanel p : panels) {
            for (RateSeries s : p.series()) {
                if (s.points().size() > 1) {
                    for (RatePoint pt : s.points()) {
                        lo = Math.min(lo, pt.x());
                        hi = Math.max(hi, pt.x());
                    }
                }
            }
        }
        if (lo > hi) {
            // every series is one point (e.g. students evaluated once): span them all
            for (RatePanel p : panels) {
                for (RateSeries rs : p.series()) {
                    for (RatePoint pt : rs.points()) {
                        lo = Math.min(lo, pt.x());
                        hi = Math.max(hi, pt.x());
                    }
                }
            }
            if (lo == hi) {
                lo -= 0.5;
                hi += 0.5;
            }
        }
        List<GridPlot.Panel> grid = new ArrayList<>();
        for (RatePanel p : panels) {
            YIntervalSeriesCollection data = new YIntervalSeriesCollection();
            DeviationRenderer renderer = new DeviationRenderer(true, true);
            renderer.setAlpha(0.18f);
            int i = 0;
            for (RateSeries rs : p.series()) {
                YIntervalSeries s = new YIntervalSeries(rs.label());
                if (rs.points().size() == 1) {
                    RatePoint only = rs.points().get(0);
                    s.add(lo, only.rate(), only.lo(), only.hi());
                    s.add(hi, only.rate(), only.lo(), only.hi());
                    renderer.setSeriesShapesVisible(i, false);
                    renderer.setSeriesStroke(i, Palette.line(1, 1.5f));
                } else {
                    rs.points().forEach(pt -> s.add(pt.x(), pt.rate(), pt.lo(), pt.hi()));
                    renderer.setSeriesStroke(i, Palette.line(rs.dash(), 1.8f));
                    renderer.setSeriesShape(i, DOT);
                }
                data.addSeries(s);
                renderer.setSeriesPaint(i, rs.colour());
                renderer.setSeriesFillPaint(i, rs.colour());
                i++;
            }
            NumberAxis y = numberAxis(yLabel);
            if (Double.isNaN(yLo) || Double.isNaN(yHi)) {
                y.setAutoRangeIncludesZero(false);
            } else {
                y.setRange(yLo, yHi);
                y.setUpperMargin(0);
            }
            ValueAxis x;
            if (logX) {
                x = logAxis(xLabel);
            } else {
                NumberAxis n = numberAxis(xLabel);
                n.setAutoRangeIncludesZero(false);
                x = n;
            }
            if (hi > lo) {
                double pad = logX ? 0 : 0.04 * (hi - lo);
                x.setRange(logX ? lo / 1.25 : lo - pad, logX ? hi * 1.25 : hi + pad);
            }
            grid.add(new GridPlot.Panel(p.title(), styled(new XYPlot(data, x, y, renderer))));
        }
        return grid(title, grid, columns, legend, caption, 210);
    }

    // ---------------------------------------------------------------- bars

    /** A bar: a value and its 95% interval [lo, hi] (NaN bounds: no whisker). */
    public record Bar(double value, double lo, double hi) {

        /** A mean with a symmetric interval of the given half-width (0: no whisker). */
        public static Bar symmetric(double mean, double halfWidth) {
            return halfWidth > 0 ? new Bar(mean, mean - halfWidth, mean + halfWidth) : new Bar(mean, Double.NaN, Double.NaN);
        }
    }

    /**
     * A series of bars, one per category.
     *
     * @param label legend text
     * @param colours the colour of each bar (a series may mix inits: the demo's rows)
     * @param bars one bar per category; NaN value: none
     */
    public record BarSeries(String label, List<Color> colours, List<Bar> bars) {
    }

    /** A panel of grouped bars: a title, the categories and the series. */
    public record BarPanel(String title, List<String> categories, List<BarSeries> series) {
    }

    /** Grouped bars with 95% interval whiskers, as small multiples; y in [0, 1]. */
    public static Figure bars(String title, String yLabel, List<BarPanel> panels, int columns, List<Key> legend,
            String caption) {
        return bars(title, yLabel, panels, columns, 0, 1.0, legend, caption);
    }

    /** Grouped bars with 95% interval whiskers, as small multiples; y in [bottom, top] (a correlation in [−1, 1]). */
    public static Figure bars(String title, String yLabel, List<BarPanel> panels, int columns, double bottom, double top,
            List<Key> legend, String caption) {
        List<GridPlot.Panel> grid = new ArrayList<>();
        for (BarPanel p : panels) {
            grid.add(new GridPlot.Panel(p.title(), styled(barPlot(p, yLabel, bottom, top))));
        }
        int labelLines = panels.stream().flatMap(p -> p.categories().stream()).mapToInt(c -> c.length() / 14 + 1)
                .max().orElse(1);
        return grid(title, grid, columns, legend, caption, 200 + 12 * Math.min(3, labelLines));
    }

    private static CategoryPlot barPlot(BarPanel p, String yLabel, double bottom, double top) {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        Map<List<Object>, Bar> bars = new HashMap<>();
        Map<List<Object>, Color> colours = new HashMap<>();
        for (BarSeries s : p.series()) {
            for (int c = 0; c < p.categories().size(); c++) {
                Bar b = s.bars().get(c);
                data.addValue(Double.isNaN(b.value()) ? null : Double.valueOf(b.value()), s.label(), p.categories().get(c));
                bars.put(List.of(s.label(), p.categories().get(c)), b);
                colours.put(List.of(s.label(), p.categories().get(c)), s.colours().get(c));
            }
        }
        BarRenderer renderer = new BarRenderer() {
            @Override
            public Paint getItemPaint(int row, int column) {
                CategoryDataset d = getPlot().getDataset();
                Color c = colours.get(List.of(d.getRowKey(row), d.getColumnKey(column)));
                return c != null ? c : super.getItemPaint(row, column);
            }

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
        renderer.setBarPainter(new StandardBarPainter());
        renderer.setShadowVisible(false);
        renderer.setItemMargin(0.05);
        NumberAxis y = numberAxis(yLabel);
        y.setRange(bottom, top);
        CategoryAxis x = new CategoryAxis();
        x.setMaximumCategoryLabelLines(3);
        x.setMaximumCategoryLabelWidthRatio(1.0f);
        x.setTickLabelFont(TICK);
        x.setCategoryMargin(0.15);
        CategoryPlot plot = new CategoryPlot(data, x, y, renderer);
        return plot;
    }

    /**
     * Accuracy bars with their 95% whiskers, one per category in its own colour, the reference
     * values as black diamonds (with their stated intervals), and a dashed grey line at chance; y in
     * [0, 1].
     */
    public static Figure accuracy(String title, String yLabel, List<String> categories, BarSeries measured,
            List<Bar> reference, String referenceLabel, double chance, List<Key> legend, String caption) {
        CategoryPlot plot = barPlot(new BarPanel("", categories, List.of(measured)), yLabel, 0, 1.0);
        DefaultCategoryDataset paper = new DefaultCategoryDataset();
        for (int c = 0; c < categories.size(); c++) {
            Bar b = reference.get(c);
            paper.addValue(Double.isNaN(b.value()) ? null : Double.valueOf(b.value()), referenceLabel, categories.get(c));
        }
        org.jfree.chart.renderer.category.LineAndShapeRenderer marks =
                new org.jfree.chart.renderer.category.LineAndShapeRenderer(false, true) {
            @Override
            public void drawItem(Graphics2D g2, CategoryItemRendererState state, Rectangle2D dataArea,
                    CategoryPlot plot, CategoryAxis domainAxis, ValueAxis rangeAxis, CategoryDataset dataset, int row,
                    int column, int pass) {
                super.drawItem(g2, state, dataArea, plot, domainAxis, rangeAxis, dataset, row, column, pass);
                Bar b = reference.get(column);
                if (pass != 1 || Double.isNaN(b.lo())) {
                    return;
                }
                double x = domainAxis.getCategoryMiddle(column, categories.size(), dataArea, plot.getDomainAxisEdge());
                double lo = rangeAxis.valueToJava2D(b.lo(), dataArea, plot.getRangeAxisEdge());
                double hi = rangeAxis.valueToJava2D(b.hi(), dataArea, plot.getRangeAxisEdge());
                g2.setPaint(Palette.PAPER);
                g2.setStroke(new BasicStroke(1.5f));
                g2.draw(new Line2D.Double(x, lo, x, hi));
                g2.draw(new Line2D.Double(x - 5, lo, x + 5, lo));
                g2.draw(new Line2D.Double(x - 5, hi, x + 5, hi));
            }
        };
        marks.setSeriesPaint(0, Palette.PAPER);
        marks.setSeriesShape(0, new java.awt.geom.Path2D.Double(diamond()));
        plot.setDataset(1, paper);
        plot.setRenderer(1, marks);
        plot.setDatasetRenderingOrder(org.jfree.chart.plot.DatasetRenderingOrder.FORWARD);
        ValueMarker chanceLine = new ValueMarker(chance, Palette.REFERENCE, Palette.line(1, 1.2f));
        chanceLine.setLabel("chance " + chance);
        chanceLine.setLabelFont(TICK);
        chanceLine.setLabelPaint(Palette.REFERENCE);
        chanceLine.setLabelBackgroundColor(new Color(255, 255, 255, 0));
        chanceLine.setLabelAnchor(org.jfree.chart.ui.RectangleAnchor.TOP_RIGHT);
        chanceLine.setLabelTextAnchor(org.jfree.chart.ui.TextAnchor.BOTTOM_RIGHT);
        plot.addRangeMarker(chanceLine);
        return grid(title, List.of(new GridPlot.Panel("", styled(plot))), 1, legend, caption, 380);
    }

    private static Shape diamond() {
        java.awt.geom.Path2D.Double d = new java.awt.geom.Path2D.Double();
        d.moveTo(0, -6);
        d.lineTo(6, 0);
        d.lineTo(0, 6);
        d.lineTo(-6, 0);
        d.closePath();
        return d;
    }

    // ---------------------------------------------------------------- errors against ε

    /** A point of an error plot: the median at ε with its 95% interval (NaN bounds: none). */
    public record ErrorPoint(double epsilon, double median, double lo, double hi) {
    }

    /**
     * A group's errors against ε and the least-squares power law through its medians.
     *
     * @param label legend text
     * @param colour its colour (the init's)
     * @param dash its dash pattern, for a second category
     * @param points the medians, in increasing ε
     * @param fit the power law through them
     */
    public record ErrorSeries(String label, Color colour, int dash, List<ErrorPoint> points, PowerLaw fit) {
    }

    /** One panel of an error figure: a title and its groups. */
    public record ErrorPanel(String title, String yLabel, List<ErrorSeries> series) {
    }

    /** Errors against ε on log–log axes, one panel per quantity, each group with its fitted line. */
    public static Figure errors(String title, String xLabel, List<ErrorPanel> panels, List<Key> legend,
            String caption) {
        List<GridPlot.Panel> grid = new ArrayList<>();
        for (ErrorPanel p : panels) {
            YIntervalSeriesCollection data = new YIntervalSeriesCollection();
            XYSeriesCollection fits = new XYSeriesCollection();
            XYErrorRenderer points = new XYErrorRenderer();
            points.setDefaultLinesVisible(false);
            points.setDefaultShapesVisible(true);
            points.setCapLength(6);
            XYLineAndShapeRenderer lines = new XYLineAndShapeRenderer(true, false);
            int i = 0;
            for (ErrorSeries s : p.series()) {
                YIntervalSeries m = new YIntervalSeries(s.label());
                for (ErrorPoint pt : s.points()) {
                    boolean bounds = pt.lo() > 0 && pt.hi() > 0;
                    m.add(pt.epsilon(), pt.median(), bounds ? pt.lo() : pt.median(), bounds ? pt.hi() : pt.median());
                }
                data.addSeries(m);
                points.setSeriesPaint(i, s.colour());
                points.setSeriesShape(i, DOT);
                XYSeries line = new XYSeries(s.label() + " fit");
                double lo = s.points().get(0).epsilon();
                double hi = s.points().get(s.points().size() - 1).epsilon();
                line.add(lo, s.fit().at(lo));
                line.add(hi, s.fit().at(hi));
                fits.addSeries(line);
                lines.setSeriesPaint(i, s.colour());
                lines.setSeriesStroke(i, Palette.line(s.dash() + 1, 1.3f));
                i++;
            }
            points.setErrorPaint(null);
            XYPlot plot = new XYPlot(data, logAxis(xLabel), logAxis(p.yLabel()), points);
            plot.setDataset(1, fits);
            plot.setRenderer(1, lines);
            grid.add(new GridPlot.Panel(p.title(), styled(plot)));
        }
        return grid(title, grid, Math.min(2, panels.size()), legend, caption, 300);
    }

    // ---------------------------------------------------------------- figure assembly

    /**
     * A finished figure: the chart (title, panels, legend and caption inside it) and its height in
     * CSS pixels at {@link #WIDTH}.
     */
    public record Figure(JFreeChart chart, int height) {
    }

    private static Figure grid(String title, List<GridPlot.Panel> panels, int columns, List<Key> legend,
            String caption, int panelHeight) {
        GridPlot plot = new GridPlot(panels, columns, legendItems(legend), PANEL_TITLE);
        JFreeChart chart = new JFreeChart(title, TITLE, plot, false);
        chart.setBackgroundPaint(Color.WHITE);
        chart.setRenderingHints(renderingHints());
        chart.setAntiAlias(true);
        chart.setTextAntiAlias(RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        chart.setPadding(new RectangleInsets(6, 8, 6, 8));
        TextTitle captionTitle = new TextTitle(caption, CAPTION, new Color(0x333333), RectangleEdge.BOTTOM,
                HorizontalAlignment.LEFT, org.jfree.chart.ui.VerticalAlignment.BOTTOM, new RectangleInsets(6, 2, 0, 2));
        captionTitle.setTextAlignment(HorizontalAlignment.LEFT);
        captionTitle.setMaximumLinesToDisplay(12);
        chart.addSubtitle(captionTitle);
        if (!legend.isEmpty()) {
            LegendTitle l = new LegendTitle(plot);
            l.setItemFont(LEGEND);
            l.setPosition(RectangleEdge.BOTTOM);
            l.setFrame(BlockBorder.NONE);
            l.setBackgroundPaint(Color.WHITE);
            chart.addSubtitle(l);
        }
        int rows = plot.rows();
        int height = 40 + rows * (columns > 2 ? panelHeight * 3 / 4 : panelHeight) + (legend.isEmpty() ? 0 : 26)
                + captionHeight(caption);
        return new Figure(chart, height);
    }

    /** The height the caption takes: about 125 characters to a line at 10 px. */
    private static int captionHeight(String caption) {
        int lines = 0;
        for (String paragraph : caption.split("\n")) {
            lines += Math.max(1, (int) Math.ceil(paragraph.length() / 118.0));
        }
        return 10 + 14 * lines;
    }

    private static LegendItemCollection legendItems(List<Key> keys) {
        LegendItemCollection items = new LegendItemCollection();
        for (Key k : keys) {
            LegendItem item = new LegendItem(k.label(), null, null, null, true, new Rectangle2D.Double(-6, -5, 12, 10),
                    true, k.colour(), false, k.colour(), Palette.line(k.dash(), 2f), k.dash() > 0,
                    new Line2D.Double(-9, 0, 9, 0), Palette.line(k.dash(), 2f), k.colour());
            item.setLabelFont(LEGEND);
            items.add(item);
        }
        return items;
    }

    private static NumberAxis numberAxis(String label) {
        NumberAxis a = new NumberAxis();
        a.setAttributedLabel(Notation.attributed(label, AXIS_LABEL));
        return a;
    }

    private static LogAxis logAxis(String label) {
        LogAxis a = new LogAxis();
        a.setAttributedLabel(Notation.attributed(label, AXIS_LABEL));
        a.setBase(10);
        a.setBaseSymbol("10");
        a.setSmallestValue(1e-300);
        a.setTickUnit(new org.jfree.chart.axis.NumberTickUnit(1));
        a.setMinorTickMarksVisible(true);
        return a;
    }

    /** Applies the house style to a panel's plot: white, light grid, small ticks. */
    private static <P extends org.jfree.chart.plot.Plot> P styled(P plot) {
        plot.setBackgroundPaint(Color.WHITE);
        plot.setOutlinePaint(new Color(0x888888));
        if (plot instanceof XYPlot xy) {
            xy.setDomainGridlinePaint(new Color(0xDDDDDD));
            xy.setRangeGridlinePaint(new Color(0xDDDDDD));
            style(xy.getDomainAxis());
            style(xy.getRangeAxis());
            xy.getDomainAxis().setLowerMargin(0.02);
            xy.getDomainAxis().setUpperMargin(0.02);
        } else if (plot instanceof CategoryPlot cat) {
            cat.setRangeGridlinePaint(new Color(0xDDDDDD));
            style(cat.getRangeAxis());
            cat.getDomainAxis().setTickLabelFont(TICK);
        }
        return plot;
    }

    private static void style(ValueAxis a) {
        a.setTickLabelFont(TICK);
        if (a.getAttributedLabel() != null) {
            return;
        }
        a.setLabelFont(AXIS_LABEL);
    }
}
