package dev.subliminal.simulation.stats;

/** The ordinary least-squares slope of y on x: Σ(x − x̄)(y − ȳ) / Σ(x − x̄)². */
public final class LeastSquares {

    private LeastSquares() {
    }

    /** The slope; NaN when fewer than two points or all x are equal. */
    public static double slope(double[] x, double[] y) {
        if (x.length != y.length) {
            throw new IllegalArgumentException("x has " + x.length + " values but y has " + y.length);
        }
        int n = x.length;
        if (n < 2) {
            return Double.NaN;
        }
        double mx = 0;
        double my = 0;
        for (int i = 0; i < n; i++) {
            mx += x[i];
            my += y[i];
        }
        mx /= n;
        my /= n;
        double sxy = 0;
        double sxx = 0;
        for (int i = 0; i < n; i++) {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
        }
        return sxx == 0 ? Double.NaN : sxy / sxx;
    }
}
