package dev.subliminal.results.stats;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The error of the first-order prediction ε·E[(J_S Δ_T)ᵀ M (J_0 Δ_T)] of the trait part against ε.
 * The absolute error is O(ε²) (slope 2 on log–log axes); the prediction being linear in ε, the
 * relative error is O(ε) (slope 1). At each ε it keeps the geometric mean, smallest and largest
 * positive error over records ({@link Magnitudes}); the fit is a least-squares line through those
 * means in log10–log10 ({@link PowerLaw}).
 */
public final class ErrorScaling {

    /** Which error. */
    public enum Quantity {
        /** |trait part − first order| / |trait part|: O(ε). */
        RELATIVE("relative", "relative error of the first-order prediction", 1),
        /** |trait part − first order|: O(ε²). */
        ABSOLUTE("absolute", "absolute error of the first-order prediction", 2);

        private final String key;
        private final String label;
        private final double expectedSlope;

        Quantity(String key, String label, double expectedSlope) {
            this.key = key;
            this.label = label;
            this.expectedSlope = expectedSlope;
        }

        /** A short name: {@code relative}, {@code absolute}. */
        public String key() {
            return key;
        }

        /** What it is, in words. */
        public String label() {
            return label;
        }

        /** The slope the theory predicts on log–log axes. */
        public double expectedSlope() {
            return expectedSlope;
        }
    }

    /**
     * The errors at one ε: their geometric mean, smallest and largest value.
     *
     * @param epsilon ε
     * @param geometricMean the geometric mean of the positive errors
     * @param min the smallest positive error
     * @param max the largest
     */
    public record Point(double epsilon, double geometricMean, double min, double max) {
    }

    private final Map<Quantity, TreeMap<Double, Magnitudes>> byEpsilon = new EnumMap<>(Quantity.class);

    /** An empty summary. */
    public ErrorScaling() {
        for (Quantity q : Quantity.values()) {
            byEpsilon.put(q, new TreeMap<>());
        }
    }

    /** Counts one record's errors at step size ε (NaN errors are skipped; ε ≤ 0 is not counted). */
    public void add(double epsilon, double relativeError, double absoluteError) {
        if (!(epsilon > 0)) {
            return;
        }
        byEpsilon.get(Quantity.RELATIVE).computeIfAbsent(epsilon, e -> new Magnitudes()).add(relativeError);
        byEpsilon.get(Quantity.ABSOLUTE).computeIfAbsent(epsilon, e -> new Magnitudes()).add(absoluteError);
    }

    /** The points at each ε with at least one positive error, in increasing ε. */
    public List<Point> points(Quantity q) {
        List<Point> points = new ArrayList<>();
        for (Map.Entry<Double, Magnitudes> e : byEpsilon.get(q).entrySet()) {
            Magnitudes m = e.getValue();
            if (m.count() > 0) {
                points.add(new Point(e.getKey(), m.geometricMean(), m.min(), m.max()));
            }
        }
        return points;
    }

    /** The power law through {@link #points}; needs two of them. */
    public PowerLaw fit(Quantity q) {
        return PowerLaw.fit(points(q).stream().map(p -> new PowerLaw.Point(p.epsilon(), p.geometricMean())).toList());
    }

    /** The errors that were exactly zero (or negative): they have no place on log axes. */
    public long nonPositive(Quantity q) {
        return byEpsilon.get(q).values().stream().mapToLong(Magnitudes::nonPositive).sum();
    }
}
