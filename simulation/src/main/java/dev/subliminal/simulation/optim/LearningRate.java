package dev.subliminal.simulation.optim;

/**
 * A learning-rate schedule η_t for steps t = 1, 2, ...: constant, or a linear warm-up followed by a
 * cosine decay (η_t = η·t/W for t ≤ W, then η_min + (η − η_min)·(1 + cos(π·(t − W)/(T − W)))/2 up to
 * step T, and η_min after it).
 */
public interface LearningRate {

    /** η_t at step t ≥ 1. */
    double at(int step);

    /** The peak rate η. */
    double peak();

    /** η_t = η for every step. */
    static LearningRate constant(double rate) {
        requireRate(rate, "learning rate");
        return new LearningRate() {
            @Override
            public double at(int step) {
                return rate;
            }

            @Override
            public double peak() {
                return rate;
            }

            @Override
            public String toString() {
                return Double.toString(rate);
            }
        };
    }

    /** Linear warm-up over {@code warmup} steps to η, then cosine decay to η·{@code floor} at step {@code total}. */
    static LearningRate warmupCosine(double rate, int warmup, int total, double floor) {
        requireRate(rate, "learning rate");
        if (warmup < 0 || total < 1 || warmup > total) {
            throw new IllegalArgumentException("a warm-up of " + warmup + " steps out of " + total
                    + " needs 0 ≤ warm-up ≤ total and total ≥ 1");
        }
        if (!(floor >= 0 && floor <= 1)) {
            throw new IllegalArgumentException("the final fraction of the learning rate = " + floor + " must be in [0, 1]");
        }
        double min = rate * floor;
        return new LearningRate() {
            @Override
            public double at(int step) {
                if (step <= warmup) {
                    return rate * step / warmup;
                }
                if (step >= total) {
                    return min;
                }
                double progress = (double) (step - warmup) / (total - warmup);
                return min + (rate - min) * (1 + StrictMath.cos(Math.PI * progress)) / 2;
            }

            @Override
            public double peak() {
                return rate;
            }

            @Override
            public String toString() {
                return "warm-up " + warmup + ", cosine to step " + total + " (" + rate + " → " + min + ")";
            }
        };
    }

    private static void requireRate(double rate, String what) {
        if (!(rate >= 0) || !Double.isFinite(rate)) {
            throw new IllegalArgumentException(what + " = " + rate + " must be finite and ≥ 0");
        }
    }
}
