package dev.subliminal.reports.stats;

import java.util.List;

/**
 * A power law y = c·x^slope fitted by least squares on log10 y = log10 c + slope·log10 x:
 * slope = Σ(u − ū)(v − v̄) / Σ(u − ū)² with u = log10 x, v = log10 y.
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
        double mu = 0;
        double mv = 0;
        for (Point p : points) {
            if (!(p.x() > 0 && p.y() > 0)) {
                throw new IllegalArgumentException("a power-law fit needs positive values, got " + p);
            }
            mu += Math.log10(p.x());
            mv += Math.log10(p.y());
        }
        mu /= points.size();
        mv /= points.size();
        double suv = 0;
        double suu = 0;
        for (Point p : points) {
            double du = Math.log10(p.x()) - mu;
            suv += du * (Math.log10(p.y()) - mv);
            suu += du * du;
        }
        if (suu == 0) {
            throw new IllegalArgumentException("a power-law fit needs at least two distinct x values");
        }
        double slope = suv / suu;
        return new PowerLaw(slope, mv - slope * mu);
    }

    /** c·x^slope. */
    public double at(double x) {
        return Math.pow(10, log10Intercept + slope * Math.log10(x));
    }
}
