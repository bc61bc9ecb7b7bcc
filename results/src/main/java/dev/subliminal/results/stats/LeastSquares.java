package dev.subliminal.results.stats;

/**
 * The ordinary least-squares line y = a + b·x: b = Σ(x − x̄)(y − ȳ) / Σ(x − x̄)², a = ȳ − b·x̄,
 * with the means x̄ = Σx/n and ȳ = Σy/n summed in the order given.
 */
public final class LeastSquares {

    private LeastSquares() {
    }

    /**
     * A fitted line.
     *
     * @param slope b; NaN when fewer than two points or all x are equal
     * @param intercept a
     */
    public record Line(double slope, double intercept) {
    }

    /** The slope b; NaN when fewer than two points or all x are equal. */
    public static double slope(double[] x, double[] y) {
        return fit(x, y).slope();
    }

    /** The line through the points (x_i, y_i). */
    public static Line fit(double[] x, double[] y) {
        if (x.length != y.length) {
            throw new IllegalArgumentException("x has " + x.length + " values but y has " + y.length);
        }
        int n = x.length;
        if (n < 2) {
            return new Line(Double.NaN, Double.NaN);
        }
        CentredSums s = CentredSums.of(x, y);
        double slope = s.sxx() == 0 ? Double.NaN : s.sxy() / s.sxx();
        return new Line(slope, s.meanY() - slope * s.meanX());
    }
}
