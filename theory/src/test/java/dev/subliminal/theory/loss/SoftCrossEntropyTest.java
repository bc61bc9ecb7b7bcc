package dev.subliminal.theory.loss;

import static dev.subliminal.theory.loss.LossChecks.assertGradientMatchesFiniteDifferences;
import static dev.subliminal.theory.loss.LossChecks.bilinearByFiniteDifferences;
import static dev.subliminal.theory.loss.LossChecks.gaussian;
import static dev.subliminal.theory.loss.LossChecks.rowNormScale;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.subliminal.theory.model.Batch;
import dev.subliminal.theory.random.Seeds;
import java.util.Arrays;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.distribution.ZigguratSampler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SoftCrossEntropyTest {

    /** A random strictly increasing non-empty subset of [0, n), or null (all logits) one time in three. */
    private static int[] randomSubset(UniformRandomProvider rng, int n) {
        if (rng.nextInt(3) == 0) {
            return null;
        }
        int[] idx;
        do {
            idx = java.util.stream.IntStream.range(0, n).filter(i -> rng.nextBoolean()).toArray();
        } while (idx.length == 0);
        return idx;
    }

    /** Softmax of x/T by the textbook formula, shifted by the maximum but independent of {@link Softmax}. */
    private static double[] softmax(double[] x, double t) {
        double max = Arrays.stream(x).max().orElseThrow();
        double[] e = Arrays.stream(x).map(a -> Math.exp((a - max) / t)).toArray();
        double s = Arrays.stream(e).sum();
        return Arrays.stream(e).map(a -> a / s).toArray();
    }

    /** The columns {@code idx} of a batch, as a narrower batch. */
    private static Batch columns(Batch b, int[] idx) {
        double[][] rows = new double[b.rows()][idx.length];
        for (int r = 0; r < b.rows(); r++) {
            for (int k = 0; k < idx.length; k++) {
                rows[r][k] = b.get(r, idx[k]);
            }
        }
        return Batch.of(rows);
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.5, 1, 3})
    void gradientMatchesCentralFiniteDifferences(double t) {
        UniformRandomProvider rng = Seeds.stream(21, "sce-gradient-" + t);
        for (int trial = 0; trial < 30; trial++) {
            int n = 1 + rng.nextInt(7);
            int rows = 1 + rng.nextInt(3);
            SoftCrossEntropy loss = new SoftCrossEntropy(t, randomSubset(rng, n));
            assertGradientMatchesFiniteDifferences(loss, gaussian(rng, rows, n, 2), gaussian(rng, rows, n, 2));
        }
        // and explicitly on a subset, with an unused logit on each side
        SoftCrossEntropy subset = new SoftCrossEntropy(t, new int[] {1, 2, 4});
        assertGradientMatchesFiniteDifferences(subset, gaussian(rng, 3, 6, 2), gaussian(rng, 3, 6, 2));
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.5, 1, 3})
    void gradientVanishesOutsideTheSubset(double t) {
        UniformRandomProvider rng = Seeds.stream(22, "sce-outside");
        SoftCrossEntropy loss = new SoftCrossEntropy(t, new int[] {1, 3});
        Batch g = loss.gradient(gaussian(rng, 4, 5, 3), gaussian(rng, 4, 5, 3));
        for (int r = 0; r < 4; r++) {
            assertThat(new double[] {g.get(r, 0), g.get(r, 2), g.get(r, 4)}).containsOnly(0.0);
            // the gradient of a softmax cross-entropy sums to zero over the logits it uses
            assertThat(g.get(r, 1) + g.get(r, 3)).isCloseTo(0.0, within(1e-15));
            assertThat(g.get(r, 1)).isNotZero();
        }
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.5, 1, 3})
    void bilinearIsMinusTheDerivativeOfTheGradientInY(double t) {
        UniformRandomProvider rng = Seeds.stream(23, "sce-bilinear-" + t);
        for (int trial = 0; trial < 30; trial++) {
            int n = 1 + rng.nextInt(7);
            int rows = 1 + rng.nextInt(3);
            SoftCrossEntropy loss = new SoftCrossEntropy(t, randomSubset(rng, n));
            Batch z = gaussian(rng, rows, n, 2);
            Batch y = gaussian(rng, rows, n, 2);
            Batch u = gaussian(rng, rows, n, 1);
            Batch v = gaussian(rng, rows, n, 1);
            double fd = bilinearByFiniteDifferences(loss, z, y, u, v);
            double scale = rowNormScale(u, v) / (t * t);
            assertThat(loss.bilinear(y, u, v)).as("uᵀMv for %s, trial %d", loss, trial)
                    .isCloseTo(fd, within(1e-7 * scale));
        }
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.5, 1, 3})
    void bilinearEqualsTheExplicitMatrixForm(double t) {
        UniformRandomProvider rng = Seeds.stream(24, "sce-explicit-" + t);
        for (int trial = 0; trial < 50; trial++) {
            int n = 1 + rng.nextInt(7);
            int rows = 1 + rng.nextInt(3);
            int[] subset = randomSubset(rng, n);
            int[] s = subset == null ? java.util.stream.IntStream.range(0, n).toArray() : subset;
            SoftCrossEntropy loss = new SoftCrossEntropy(t, subset);
            Batch y = gaussian(rng, rows, n, 3);
            Batch u = gaussian(rng, rows, n, 1);
            Batch v = gaussian(rng, rows, n, 1);
            // (1/N) Σ_x uᵀ (diag p − p pᵀ) v / T² with p = σ(y_S / T), the matrix of DESIGN §2
            double expected = 0;
            for (int r = 0; r < rows; r++) {
                double[] ys = new double[s.length];
                for (int k = 0; k < s.length; k++) {
                    ys[k] = y.get(r, s[k]);
                }
                double[] p = softmax(ys, t);
                for (int a = 0; a < s.length; a++) {
                    for (int b = 0; b < s.length; b++) {
                        double m = ((a == b ? p[a] : 0) - p[a] * p[b]) / (t * t);
                        expected += u.get(r, s[a]) * m * v.get(r, s[b]);
                    }
                }
            }
            expected /= rows;
            assertThat(loss.bilinear(y, u, v)).isCloseTo(expected, within(1e-13 * rowNormScale(u, v) / (t * t)));
            assertThat(loss.bilinear(y, u, v)).isCloseTo(loss.bilinear(y, v, u),
                    within(1e-14 * rowNormScale(u, v) / (t * t)));
        }
    }

    /**
     * uᵀMu ≥ 0 exactly, with logits up to ±700 (so that σ has entries that underflow to 0) and with
     * directions that are a huge common offset plus a small spread, on which the naive
     * Σ p u² − (Σ p u)² cancels catastrophically. The test also shows that the naive formula does go
     * negative on these cases, so passing is not vacuous.
     */
    @Test
    void bilinearOnTheDiagonalIsNeverNegativeEvenWhereNaiveFormulasCancel() {
        UniformRandomProvider rng = Seeds.stream(25, "sce-psd");
        ZigguratSampler.NormalizedGaussian g = ZigguratSampler.NormalizedGaussian.of(rng);
        double[] temperatures = {0.5, 1, 3};
        double[] offsets = {0, 1, 1e3, 1e8};
        double[] spreads = {1e-3, 1, 100};
        int naiveNegative = 0;
        for (int trial = 0; trial < 20_000; trial++) {
            int n = 1 + rng.nextInt(8);
            int rows = 1 + rng.nextInt(2);
            double t = temperatures[rng.nextInt(3)];
            double[] y = new double[rows * n];
            double[] u = new double[rows * n];
            double offset = offsets[rng.nextInt(offsets.length)];
            double spread = spreads[rng.nextInt(spreads.length)];
            for (int k = 0; k < y.length; k++) {
                y[k] = switch (rng.nextInt(4)) {
                    case 0 -> 700;
                    case 1 -> -700;
                    case 2 -> 700 * g.sample();
                    default -> g.sample();
                };
                u[k] = offset + spread * g.sample();
            }
            Batch yb = new Batch(rows, n, y);
            Batch ub = new Batch(rows, n, u);
            SoftCrossEntropy loss = new SoftCrossEntropy(t, randomSubset(rng, n));
            double b = loss.bilinear(yb, ub, ub);
            assertThat(b).as("uᵀMu for %s, trial %d", loss, trial).isGreaterThanOrEqualTo(0.0).isFinite();
            if (loss.logits() == null) {
                for (int r = 0; r < rows; r++) {
                    double[] p = softmax(Arrays.copyOfRange(y, r * n, (r + 1) * n), t);
                    double m1 = 0;
                    double m2 = 0;
                    for (int k = 0; k < n; k++) {
                        m1 += p[k] * u[r * n + k];
                        m2 += p[k] * u[r * n + k] * u[r * n + k];
                    }
                    if (m2 - m1 * m1 < 0) {
                        naiveNegative++;
                    }
                }
            }
        }
        assertThat(naiveNegative).as("cases where the naive formula is negative").isPositive();
    }

    @Test
    void gradientAtTheTargetIsExactlyZero() {
        UniformRandomProvider rng = Seeds.stream(26, "sce-zero");
        for (int trial = 0; trial < 200; trial++) {
            int n = 1 + rng.nextInt(7);
            double t = new double[] {0.5, 1, 3}[rng.nextInt(3)];
            Batch y = gaussian(rng, 3, n, rng.nextBoolean() ? 1 : 700);
            Batch z = new Batch(3, n, y.data().clone());
            SoftCrossEntropy loss = new SoftCrossEntropy(t, randomSubset(rng, n));
            assertThat(loss.gradient(z, y).data()).containsOnly(0.0);
        }
    }

    /**
     * Rows spread over threads give the serial bits, and the control's ∇ℓ(z, z) (z and y the same
     * array, σ computed once or skipped where z/T is finite) gives the bits of ∇ℓ(z, copy of z), NaN
     * rows included; the bilinear form sums its rows in row order, as a plain loop over rows does.
     */
    @Test
    void threadsAndASharedTargetGiveTheSerialBits() {
        UniformRandomProvider rng = Seeds.stream(31, "sce-threads");
        int rows = 600;
        int n = 300;
        for (SoftCrossEntropy loss : new SoftCrossEntropy[] {SoftCrossEntropy.all(1), SoftCrossEntropy.all(1e-307),
            SoftCrossEntropy.all(1e-320), new SoftCrossEntropy(0.5, new int[] {1, 7, 299})}) {
            double[] z = gaussian(rng, rows, n, 3).data();
            z[5 * n + 3] = Double.NaN;
            z[9 * n + 1] = Double.POSITIVE_INFINITY;
            z[17 * n + 7] = 1e300;
            Batch zb = new Batch(rows, n, z);
            Batch copy = new Batch(rows, n, z.clone());
            Batch y = gaussian(rng, rows, n, 3);
            Batch u = gaussian(rng, rows, n, 1);
            Batch v = gaussian(rng, rows, n, 1);
            Batch serial = loss.gradient(zb, y);
            assertThat(loss.gradient(zb, y, dev.subliminal.theory.linalg.Gemm.threads(3))).isEqualTo(serial);
            assertThat(loss.gradient(zb, zb, dev.subliminal.theory.linalg.Gemm.threads(3)))
                    .isEqualTo(loss.gradient(zb, copy)).isEqualTo(loss.gradient(zb, zb));
            assertThat(Double.doubleToRawLongBits(loss.bilinear(y, u, v, dev.subliminal.theory.linalg.Gemm.threads(3))))
                    .isEqualTo(Double.doubleToRawLongBits(rowByRowBilinear(loss, y, u, v)));
        }
    }

    /** The covariance form summed row after row into one running total. */
    private static double rowByRowBilinear(SoftCrossEntropy loss, Batch y, Batch u, Batch v) {
        int n = y.cols();
        int[] idx = loss.logits() == null ? java.util.stream.IntStream.range(0, n).toArray() : loss.logits();
        double[] p = new double[idx.length];
        double total = 0;
        for (int r = 0; r < y.rows(); r++) {
            Softmax.softmax(y.data(), r * n, loss.logits(), idx.length, loss.temperature(), p);
            double ubar = 0;
            double vbar = 0;
            for (int k = 0; k < idx.length; k++) {
                ubar += p[k] * u.get(r, idx[k]);
                vbar += p[k] * v.get(r, idx[k]);
            }
            double s = 0;
            for (int k = 0; k < idx.length; k++) {
                s += p[k] * (u.get(r, idx[k]) - ubar) * (v.get(r, idx[k]) - vbar);
            }
            total += s;
        }
        return total / (y.rows() * loss.temperature() * loss.temperature());
    }

    @Test
    void valueIsFiniteForHugeLogits() {
        UniformRandomProvider rng = Seeds.stream(27, "sce-huge");
        for (int trial = 0; trial < 200; trial++) {
            int n = 1 + rng.nextInt(7);
            double t = new double[] {0.5, 1, 3}[rng.nextInt(3)];
            double[] z = new double[2 * n];
            double[] y = new double[2 * n];
            for (int k = 0; k < z.length; k++) {
                z[k] = rng.nextBoolean() ? 1e4 : -1e4;
                y[k] = rng.nextBoolean() ? 1e4 : -1e4;
            }
            SoftCrossEntropy loss = new SoftCrossEntropy(t, randomSubset(rng, n));
            Batch zb = new Batch(2, n, z);
            Batch yb = new Batch(2, n, y);
            assertThat(loss.value(zb, yb)).isFinite().isGreaterThanOrEqualTo(0.0);
            assertThat(loss.gradient(zb, yb).firstNonFinite()).isEqualTo(-1);
        }
        // p = (0, 1) and log q_1 = −2·10⁴ − log(1 + e^(−2·10⁴)) = −2·10⁴ in double, so ℓ = 2·10⁴
        Batch z = Batch.of(new double[][] {{1e4, -1e4}});
        Batch y = Batch.of(new double[][] {{-1e4, 1e4}});
        assertThat(SoftCrossEntropy.all(1).value(z, y)).isEqualTo(2e4);
        assertThat(SoftCrossEntropy.all(0.5).value(z, y)).isEqualTo(4e4);
    }

    /**
     * Reference values computed with Python's {@code decimal} module at 60 significant digits,
     * ℓ = −Σ p_k (z_k/T − ln Σ_j e^{z_j/T}) with p = e^{y/T}/Σ e^{y/T}, rounded to the nearest double.
     * Tolerance: every term −p_k log q_k is ≥ 0 and carries about two roundings (the log-sum-exp and
     * the product), and the sum of m ≤ 4 terms adds m − 1 more, so the result is within 2m ulps of ℓ.
     */
    @Test
    void valueMatchesHighPrecisionReferenceValues() {
        assertUlps(SoftCrossEntropy.all(1).value(Batch.of(new double[][] {{1, 2, 3}}), Batch.of(new double[][] {{1, 2, 3}})),
                0.8323955818399389, 6);
        Batch z = Batch.of(new double[][] {{0.5, -1, 2}});
        Batch y = Batch.of(new double[][] {{1.5, 0, -0.25}});
        assertUlps(SoftCrossEntropy.all(1).value(z, y), 1.7943101566764246, 6);
        assertUlps(SoftCrossEntropy.all(3).value(z, y), 1.191471804995828, 6);
        Batch z4 = Batch.of(new double[][] {{0.5, -1, 2, 4}});
        Batch y4 = Batch.of(new double[][] {{1.5, 0, -0.25, -2}});
        assertUlps(SoftCrossEntropy.all(0.5).value(z4, y4), 7.067554772637102, 8);
        // uniform q: ℓ = ln 3 whatever the targets, since Σ p = 1
        assertUlps(SoftCrossEntropy.all(2).value(Batch.of(new double[][] {{0, 0, 0}}), y), Math.log(3), 6);
        // the rows of a batch are averaged
        Batch two = Batch.of(new double[][] {{1, 2, 3}, {0.5, -1, 2}});
        Batch twoY = Batch.of(new double[][] {{1, 2, 3}, {1.5, 0, -0.25}});
        assertUlps(SoftCrossEntropy.all(1).value(two, twoY), (0.8323955818399389 + 1.7943101566764246) / 2, 6);
    }

    private static void assertUlps(double actual, double expected, int ulps) {
        assertThat(actual).as("within %d ulps of %s", ulps, expected)
                .isCloseTo(expected, within(ulps * Math.ulp(expected)));
    }

    /** ℓ = ln Σ e^{z_k/T} − Σ p_k z_k/T (using Σ p = 1), without any max shift, for small logits. */
    @Test
    void valueMatchesTheLogSumExpFormulaOnSmallCases() {
        UniformRandomProvider rng = Seeds.stream(28, "sce-lse");
        for (int trial = 0; trial < 300; trial++) {
            int n = 1 + rng.nextInt(7);
            int rows = 1 + rng.nextInt(3);
            double t = new double[] {0.5, 1, 3}[rng.nextInt(3)];
            Batch z = gaussian(rng, rows, n, 1.5);
            Batch y = gaussian(rng, rows, n, 1.5);
            double expected = 0;
            for (int r = 0; r < rows; r++) {
                double sz = 0;
                double sy = 0;
                double pz = 0;
                for (int k = 0; k < n; k++) {
                    sz += Math.exp(z.get(r, k) / t);
                    sy += Math.exp(y.get(r, k) / t);
                }
                for (int k = 0; k < n; k++) {
                    pz += Math.exp(y.get(r, k) / t) / sy * z.get(r, k) / t;
                }
                expected += Math.log(sz) - pz;
            }
            expected /= rows;
            assertThat(SoftCrossEntropy.all(t).value(z, y)).isCloseTo(expected, within(1e-13 * Math.max(1, expected)));
        }
    }

    /** Gibbs' inequality: ℓ(z, y) − ℓ(y, y) = KL(p‖q) ≥ 0. */
    @Test
    void valueIsMinimisedAtTheTarget() {
        UniformRandomProvider rng = Seeds.stream(29, "sce-gibbs");
        for (int trial = 0; trial < 300; trial++) {
            int n = 1 + rng.nextInt(7);
            SoftCrossEntropy loss = new SoftCrossEntropy(new double[] {0.5, 1, 3}[rng.nextInt(3)], randomSubset(rng, n));
            Batch y = gaussian(rng, 1, n, 2);
            Batch z = gaussian(rng, 1, n, 2);
            assertThat(loss.value(z, y)).isGreaterThanOrEqualTo(loss.value(y, y) - 1e-15);
        }
    }

    /** Restricting to a subset S is the same as the all-logit loss on the columns S. */
    @Test
    void subsetLossIsTheFullLossOnTheSelectedColumns() {
        UniformRandomProvider rng = Seeds.stream(30, "sce-subset");
        int[] s = {0, 2, 5};
        for (double t : new double[] {0.5, 1, 3}) {
            SoftCrossEntropy subset = new SoftCrossEntropy(t, s);
            SoftCrossEntropy full = SoftCrossEntropy.all(t);
            Batch z = gaussian(rng, 3, 6, 2);
            Batch y = gaussian(rng, 3, 6, 2);
            Batch u = gaussian(rng, 3, 6, 1);
            Batch v = gaussian(rng, 3, 6, 1);
            assertThat(subset.value(z, y)).isEqualTo(full.value(columns(z, s), columns(y, s)));
            assertThat(columns(subset.gradient(z, y), s)).isEqualTo(full.gradient(columns(z, s), columns(y, s)));
            assertThat(subset.bilinear(y, u, v)).isEqualTo(full.bilinear(columns(y, s), columns(u, s), columns(v, s)));
        }
        assertThat(SoftCrossEntropy.lastLogits(6, 2, 1).logits()).containsExactly(4, 5);
        assertThat(SoftCrossEntropy.lastLogits(3, 3, 1).logits()).containsExactly(0, 1, 2);
        assertThat(new SoftCrossEntropy(2, new int[] {1, 3}).describe()).isEqualTo("ce T=2.0 logits[1, 3]");
        assertThat(SoftCrossEntropy.all(1).describe()).isEqualTo("ce");
    }

    @Test
    void invalidArgumentsAreRejectedNamingTheBadValue() {
        assertThatThrownBy(() -> SoftCrossEntropy.all(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("T = 0.0");
        assertThatThrownBy(() -> SoftCrossEntropy.all(-2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("T = -2.0");
        assertThatThrownBy(() -> SoftCrossEntropy.all(Double.NaN)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("T = NaN");
        assertThatThrownBy(() -> SoftCrossEntropy.all(Double.POSITIVE_INFINITY))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Infinity");
        assertThatThrownBy(() -> new SoftCrossEntropy(1, new int[0])).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("empty");
        assertThatThrownBy(() -> new SoftCrossEntropy(1, new int[] {3, 1})).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("[3, 1]");
        assertThatThrownBy(() -> new SoftCrossEntropy(1, new int[] {1, 1})).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("[1, 1]");
        assertThatThrownBy(() -> new SoftCrossEntropy(1, new int[] {-1, 2})).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("[-1, 2]");
        SoftCrossEntropy outOfRange = new SoftCrossEntropy(1, new int[] {0, 5});
        Batch three = Batch.zeros(2, 3);
        assertThatThrownBy(() -> outOfRange.value(three, three)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("index 5").hasMessageContaining("3 outputs");
        assertThatThrownBy(() -> outOfRange.gradient(three, three)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("index 5");
        assertThatThrownBy(() -> outOfRange.bilinear(three, three, three)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("index 5");
        assertThatThrownBy(() -> SoftCrossEntropy.lastLogits(3, 4, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("last 4 of 3");
        assertThatThrownBy(() -> SoftCrossEntropy.lastLogits(3, 0, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("last 0 of 3");
        assertThatThrownBy(() -> SoftCrossEntropy.all(1).value(three, Batch.zeros(3, 3)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2×3").hasMessageContaining("3×3");
    }

    @Test
    void subsetIsDefensivelyCopied() {
        int[] s = {0, 2};
        SoftCrossEntropy loss = new SoftCrossEntropy(1, s);
        s[1] = 1;
        loss.logits()[0] = 7;
        assertThat(loss.logits()).containsExactly(0, 2);
        assertThat(loss).isEqualTo(new SoftCrossEntropy(1, new int[] {0, 2}));
    }
}
