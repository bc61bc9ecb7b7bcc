package dev.subliminal.theory.param;

import dev.subliminal.theory.linalg.Gemm;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Operations on parameter vectors θ ∈ R^p. Reductions run in index order, so results do not
 * depend on thread count or platform. Entry-wise operations and the search for a non-finite entry
 * also come with a {@link Gemm} context whose threads take fixed ranges of entries: the same bits
 * (each entry depends on its own index only), on more than one core.
 */
public final class Vectors {

    private Vectors() {
    }

    /** u·v = Σ u_i v_i. */
    public static double dot(double[] u, double[] v) {
        requireSameLength(u, v);
        double s = 0;
        for (int i = 0; i < u.length; i++) {
            s += u[i] * v[i];
        }
        return s;
    }

    /** ‖v‖₂, computed with scaling so that it neither overflows nor underflows. */
    public static double norm(double[] v) {
        double scale = 0;
        for (double x : v) {
            scale = Math.max(scale, Math.abs(x));
        }
        if (scale == 0 || !Double.isFinite(scale)) {
            return scale;
        }
        double s = 0;
        for (double x : v) {
            double y = x / scale;
            s += y * y;
        }
        return scale * Math.sqrt(s);
    }

    /** cos(u, v) = u·v / (‖u‖‖v‖); NaN when either vector is zero. */
    public static double cosine(double[] u, double[] v) {
        requireSameLength(u, v);
        return cosine(u, v, norm(u), norm(v));
    }

    /**
     * cos(u, v) = Σ_i (u_i/‖u‖)·(v_i/‖v‖), summed in order and clamped to [−1, 1], from nu = {@link
     * #norm}(u) and nv = norm(v) computed elsewhere (for example at the same time, on other threads): the
     * same bits as {@link #cosine(double[], double[])}. NaN when either norm is 0.
     */
    public static double cosine(double[] u, double[] v, double nu, double nv) {
        requireSameLength(u, v);
        if (nu == 0 || nv == 0) {
            return Double.NaN;
        }
        double s = 0;
        for (int i = 0; i < u.length; i++) {
            s += (u[i] / nu) * (v[i] / nv);
        }
        return Math.max(-1, Math.min(1, s));
    }

    /** Entries one task of an entry-wise operation takes. */
    private static final int ENTRIES_PER_TASK = 1 << 16;

    /** x + a·y, as a new vector. */
    public static double[] axpy(double[] x, double a, double[] y) {
        return axpy(Gemm.serial(), x, a, y);
    }

    /** x + a·y, as a new vector, on {@code threads}' threads. */
    public static double[] axpy(Gemm threads, double[] x, double a, double[] y) {
        return axpy(threads, x, a, y, new double[x.length]);
    }

    /**
     * out ← x + a·y on {@code threads}' threads, the bits of {@link #axpy(Gemm, double[], double, double[])};
     * returns out, which may be x or y.
     */
    public static double[] axpy(Gemm threads, double[] x, double a, double[] y, double[] out) {
        requireSameLength(x, y);
        requireSameLength(x, out);
        threads.ranges(x.length, ENTRIES_PER_TASK, (from, to) -> {
            for (int i = from; i < to; i++) {
                out[i] = x[i] + a * y[i];
            }
        });
        return out;
    }

    /** a·v, as a new vector. */
    public static double[] scale(double a, double[] v) {
        return scale(Gemm.serial(), a, v);
    }

    /** a·v, as a new vector, on {@code threads}' threads. */
    public static double[] scale(Gemm threads, double a, double[] v) {
        double[] out = new double[v.length];
        threads.ranges(v.length, ENTRIES_PER_TASK, (from, to) -> {
            for (int i = from; i < to; i++) {
                out[i] = a * v[i];
            }
        });
        return out;
    }

    /** v ← a·v, in place; returns v. */
    public static double[] scaleInPlace(double a, double[] v) {
        return scaleInPlace(Gemm.serial(), a, v);
    }

    /** v ← a·v, in place, on {@code threads}' threads; returns v. */
    public static double[] scaleInPlace(Gemm threads, double a, double[] v) {
        threads.ranges(v.length, ENTRIES_PER_TASK, (from, to) -> {
            for (int i = from; i < to; i++) {
                v[i] = a * v[i];
            }
        });
        return v;
    }

    /**
     * (u − v)·w = Σ (u_i + (−1)·v_i)·w_i in index order: the bits of {@code dot(subtract(u, v), w)}
     * without the p-sized difference.
     */
    public static double differenceDot(double[] u, double[] v, double[] w) {
        requireSameLength(u, v);
        requireSameLength(u, w);
        double s = 0;
        for (int i = 0; i < u.length; i++) {
            s += (u[i] + -1 * v[i]) * w[i];
        }
        return s;
    }

    /** u − v, as a new vector. */
    public static double[] subtract(double[] u, double[] v) {
        return axpy(u, -1, v);
    }

    /** Index of the first non-finite entry, or -1. */
    public static int firstNonFinite(double[] v) {
        return firstNonFinite(Gemm.serial(), v);
    }

    /**
     * Index of the first non-finite entry, or -1, on {@code threads}' threads: each range finds its own
     * first, and the smallest of those is the first.
     */
    public static int firstNonFinite(Gemm threads, double[] v) {
        AtomicInteger first = new AtomicInteger(v.length);
        threads.ranges(v.length, ENTRIES_PER_TASK, (from, to) -> {
            for (int i = from; i < to; i++) {
                if (!Double.isFinite(v[i])) {
                    first.accumulateAndGet(i, Math::min);
                    return;
                }
            }
        });
        return first.get() == v.length ? -1 : first.get();
    }

    private static void requireSameLength(double[] u, double[] v) {
        if (u.length != v.length) {
            throw new IllegalArgumentException("vector lengths differ: " + u.length + " and " + v.length);
        }
    }
}
