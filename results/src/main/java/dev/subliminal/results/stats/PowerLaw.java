package dev.subliminal.results.stats;

import java.util.List;

/**
 * A power law y = c·x^slope fitted by least squares ({@link LeastSquares}) on
 * log10 y = log10 c + slope·log10 x.
 *
 * @param slope the exponent
 * @param log10Intercept log10 c
 */
public record PowerLaw(double slope, double log10Intercept) {

    /** A point (x, y) with x, y &gt; 0. */
    public record Point(double x, double y) {
    }

    /** The fit through at least two points with distinct positive x and positive y. */
    public static PowerLaw fit(List<Point> points) {
        if (points.size() < 2) {
            throw new IllegalArgumentException("a power-law fit needs at least two points, got " + points.size());
        }
        double[] u = new double[points.size()];
        double[] v = new double[points.size()];
        for (int i = 0; i < u.length; i++) {
            Point p = points.get(i);
            if (!(p.x() > 0 && p.y() > 0)) {
                throw new IllegalArgumentException("a power-law fit needs positive values, got " + p);
            }
            u[i] = Math.log10(p.x());
            v[i] = Math.log10(p.y());
        }
        LeastSquares.Line line = LeastSquares.fit(u, v);
        if (Double.isNaN(line.slope())) {
            throw new IllegalArgumentException("a power-law fit needs at least two distinct x values");
        }
        return new PowerLaw(line.slope(), line.intercept());
    }

    /** c·x^slope. */
    public double at(double x) {
        return Math.pow(10, log10Intercept + slope * Math.log10(x));
    }
}
