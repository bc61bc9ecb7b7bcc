package dev.subliminal.theory.loss;

import static org.assertj.core.api.Assertions.assertThat;

import dev.subliminal.theory.model.Batch;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.distribution.ZigguratSampler;

/** Finite-difference checks shared by the imitation-loss tests. */
final class LossChecks {

    /** Central finite-difference step. */
    static final double H = 1e-6;

    private LossChecks() {
    }

    /** A rows×cols batch of N(0, sd²) entries. */
    static Batch gaussian(UniformRandomProvider rng, int rows, int cols, double sd) {
        ZigguratSampler.NormalizedGaussian g = ZigguratSampler.NormalizedGaussian.of(rng);
        double[] d = new double[rows * cols];
        for (int i = 0; i < d.length; i++) {
            d[i] = sd * g.sample();
        }
        return new Batch(rows, cols, d);
    }

    static Batch withEntry(Batch b, int k, double value) {
        double[] d = b.data().clone();
        d[k] = value;
        return new Batch(b.rows(), b.cols(), d);
    }

    static Batch plus(Batch b, double a, Batch dir) {
        double[] d = b.data().clone();
        for (int i = 0; i < d.length; i++) {
            d[i] += a * dir.data()[i];
        }
        return new Batch(b.rows(), b.cols(), d);
    }

    static double maxAbs(double[] v) {
        double m = 0;
        for (double x : v) {
            m = Math.max(m, Math.abs(x));
        }
        return m;
    }

    /**
     * Every entry of {@code loss.gradient(z, y)} equals the central difference of {@code loss.value}
     * in that entry, within 1e-7 relative to max(1, ‖gradient‖∞).
     */
    static void assertGradientMatchesFiniteDifferences(ImitationLoss loss, Batch z, Batch y) {
        double[] g = loss.gradient(z, y).data();
        double tol = 1e-7 * Math.max(1, maxAbs(g));
        for (int k = 0; k < g.length; k++) {
            double zk = z.data()[k];
            double fd = (loss.value(withEntry(z, k, zk + H), y) - loss.value(withEntry(z, k, zk - H), y)) / (2 * H);
            assertThat(g[k]).as("∂L/∂z[%d] of %s (finite difference %s)", k, loss, fd).isCloseTo(fd,
                    org.assertj.core.data.Offset.offset(tol));
        }
    }

    /**
     * −Σ u · ∂(gradient)/∂y · v, by central differences in y along v. Since the batch gradient is
     * (1/N)∇_z ℓ row by row, this is (1/N) Σ_x u_xᵀ M(y_x) v_x.
     */
    static double bilinearByFiniteDifferences(ImitationLoss loss, Batch z, Batch y, Batch u, Batch v) {
        double[] gp = loss.gradient(z, plus(y, H, v)).data();
        double[] gm = loss.gradient(z, plus(y, -H, v)).data();
        double s = 0;
        for (int k = 0; k < gp.length; k++) {
            s -= u.data()[k] * (gp[k] - gm[k]) / (2 * H);
        }
        return s;
    }

    /** (1/N) Σ_x ‖u_x‖ ‖v_x‖, the scale against which a bilinear form's error is measured. */
    static double rowNormScale(Batch u, Batch v) {
        double s = 0;
        for (int r = 0; r < u.rows(); r++) {
            double nu = 0;
            double nv = 0;
            for (int c = 0; c < u.cols(); c++) {
                nu += u.get(r, c) * u.get(r, c);
                nv += v.get(r, c) * v.get(r, c);
            }
            s += Math.sqrt(nu * nv);
        }
        return s / u.rows();
    }
}
