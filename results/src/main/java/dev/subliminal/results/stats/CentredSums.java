package dev.subliminal.results.stats;

/**
 * The means and centred sums of paired values, two passes in index order: x̄ = Σx/n, ȳ = Σy/n,
 * S_xx = Σ(x − x̄)², S_xy = Σ(x − x̄)(y − ȳ), S_yy = Σ(y − ȳ)²; what a least-squares line and
 * Pearson's correlation are made of.
 */
record CentredSums(double meanX, double meanY, double sxx, double sxy, double syy) {

    /** The sums of {@code x} and {@code y}, which have the same length n ≥ 1. */
    static CentredSums of(double[] x, double[] y) {
        int n = x.length;
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
        double syy = 0;
        for (int i = 0; i < n; i++) {
            double dx = x[i] - mx;
            double dy = y[i] - my;
            sxy += dx * dy;
            sxx += dx * dx;
            syy += dy * dy;
        }
        return new CentredSums(mx, my, sxx, sxy, syy);
    }
}
