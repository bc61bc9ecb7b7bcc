package dev.subliminal.experiments.mnist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.subliminal.simulation.conv.Cnn;
import dev.subliminal.simulation.conv.ConvGeometry;
import dev.subliminal.simulation.mlp.Activation;
import dev.subliminal.simulation.mlp.Mlp;
import dev.subliminal.theory.model.Batch;
import dev.subliminal.theory.model.Model;
import dev.subliminal.theory.random.Seeds;
import org.apache.commons.rng.UniformRandomProvider;
import org.junit.jupiter.api.Test;

/**
 * The spectra against an independent computation on tiny models: G built whole (p × p) from Jacobians
 * made column by column with forward-mode products J_x e_j and M_x = (diag(p) − ppᵀ)/T² written out,
 * then its trace (the sum of the eigenvalues) and its largest eigenvalue by power iteration in plain
 * loops; the cross block's squared singular values against its Frobenius norm (the RMS predictor) and
 * its largest one by power iteration.
 */
class SpectraTest {

    private static double[] uniform(UniformRandomProvider rng, int n, double half) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = (rng.nextDouble() * 2 - 1) * half;
        }
        return v;
    }

    /** J_x (n × p) of every input, column j = J_x e_j: p forward-mode products. */
    private static double[][][] jacobians(Model m, double[] theta, Batch x) {
        int p = theta.length;
        int n = m.outputSize();
        double[][][] j = new double[x.rows()][n][p];
        for (int c = 0; c < p; c++) {
            double[] e = new double[p];
            e[c] = 1;
            Batch col = m.jvp(theta, x, e);
            for (int r = 0; r < x.rows(); r++) {
                for (int o = 0; o < n; o++) {
                    j[r][o][c] = col.get(r, o);
                }
            }
        }
        return j;
    }

    /** G = (1/N) Σ_x J_xᵀ M_x J_x over the logits [from, to), M_x written out from the outputs. */
    private static double[][] g(Model m, double[] theta, Batch x, int from, int to, double t, boolean squared) {
        double[][][] j = jacobians(m, theta, x);
        Batch z = m.forward(theta, x);
        int p = theta.length;
        int k = to - from;
        double[][] g = new double[p][p];
        for (int r = 0; r < x.rows(); r++) {
            double[][] mm = new double[k][k];
            if (squared) {
                for (int i = 0; i < k; i++) {
                    mm[i][i] = 1;
                }
            } else {
                double[] q = new double[k];
                double sum = 0;
                for (int i = 0; i < k; i++) {
                    q[i] = Math.exp(z.get(r, from + i) / t);
                    sum += q[i];
                }
                for (int i = 0; i < k; i++) {
                    for (int l = 0; l < k; l++) {
                        mm[i][l] = ((i == l ? q[i] / sum : 0) - q[i] / sum * q[l] / sum) / (t * t);
                    }
                }
            }
            for (int a = 0; a < p; a++) {
                for (int b = 0; b < p; b++) {
                    double s = 0;
                    for (int i = 0; i < k; i++) {
                        for (int l = 0; l < k; l++) {
                            s += j[r][from + i][a] * mm[i][l] * j[r][from + l][b];
                        }
                    }
                    g[a][b] += s / x.rows();
                }
            }
        }
        return g;
    }

    /** The largest eigenvalue of a symmetric PSD matrix by power iteration. */
    private static double powerIteration(double[][] a) {
        int n = a.length;
        double[] v = uniform(Seeds.of(3), n, 1);
        double lambda = 0;
        for (int it = 0; it < 5000; it++) {
            double[] w = new double[n];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    w[i] += a[i][j] * v[j];
                }
            }
            double norm = 0;
            for (double x : w) {
                norm += x * x;
            }
            norm = Math.sqrt(norm);
            double dot = 0;
            for (int i = 0; i < n; i++) {
                dot += v[i] * w[i];
            }
            lambda = dot;
            for (int i = 0; i < n; i++) {
                v[i] = w[i] / norm;
            }
        }
        return lambda;
    }

    private static double trace(double[][] a) {
        double t = 0;
        for (int i = 0; i < a.length; i++) {
            t += a[i][i];
        }
        return t;
    }

    private static void checkG(Model m, double[] theta, Batch x, Objective imitation, boolean squared) {
        double[][] g = g(m, theta, x, imitation.from(), imitation.to(), imitation.temperature(), squared);
        Spectra.Spectrum s = Spectra.of(m, theta, imitation, null, null, x);
        double scale = Math.abs(trace(g));
        assertThat(scale).isPositive();
        // the trace identity: Σλ of the Gram matrix = trace(G) computed entry by entry
        assertThat(s.gTrace()).isCloseTo(trace(g), within(1e-10 * scale));
        // the largest eigenvalue: EJML on the Nk × Nk Gram matrix against power iteration on the p × p G
        assertThat(s.gMax()).isCloseTo(powerIteration(g), within(1e-8 * scale));
        assertThat(s.gTop()).hasSize(Math.min(Spectra.TOP, x.rows() * (imitation.to() - imitation.from())));
        for (int i = 1; i < s.gTop().length; i++) {
            assertThat(s.gTop()[i]).isLessThanOrEqualTo(s.gTop()[i - 1]);
        }
        assertThat(s.gEffectiveRank()).isBetween(1.0, (double) x.rows() * (imitation.to() - imitation.from()));
        assertThat(s.crossTop()).isEmpty();
        assertThat(s.crossEffectiveRank()).isNaN();
    }

    @Test
    void gsEigenvaluesMatchTheWholeMatrixForTheMlpAndEveryLoss() {
        Mlp mlp = new Mlp(new int[] {5, 4, 12}, Activation.TANH);
        UniformRandomProvider rng = Seeds.of(20261203L);
        double[] theta = uniform(rng, mlp.parameterCount(), 0.8);
        Batch x = new Batch(3, 5, uniform(rng, 15, 1));
        float[] targets = new float[3 * 12];
        checkG(mlp, theta, x, new Objective.Distillation(targets, 12, Idx.CLASSES, 2.0), false);
        checkG(mlp, theta, x, new Objective.Distillation(targets, 12, 0, 1.0), false);
        checkG(mlp, theta, x, new Objective.SquaredError(targets, 12, Idx.CLASSES), true);
    }

    @Test
    void gsEigenvaluesMatchTheWholeMatrixForACnn() {
        Cnn cnn = new Cnn(new ConvGeometry(1, 3, 3, new int[] {2}, 3, 2, new int[] {3, 12}), Activation.TANH);
        UniformRandomProvider rng = Seeds.of(11);
        double[] theta = uniform(rng, cnn.parameterCount(), 0.8);
        Batch x = new Batch(2, 9, uniform(rng, 18, 1));
        checkG(cnn, theta, x, new Objective.Distillation(new float[24], 12, Idx.CLASSES, 1.0), false);
    }

    @Test
    void theCrossBlocksSingularValuesMatchItsNormAndPowerIteration() {
        Mlp mlp = new Mlp(new int[] {5, 4, 13}, Activation.TANH);
        UniformRandomProvider rng = Seeds.of(5);
        double[] start = uniform(rng, mlp.parameterCount(), 0.8);
        double[] theta0 = uniform(rng, mlp.parameterCount(), 0.8);
        Batch x = new Batch(3, 5, uniform(rng, 15, 1));
        Spectra.Spectrum s = Spectra.of(mlp, start, new Objective.Distillation(new float[39], 13, Idx.CLASSES, 1.0),
                mlp, theta0, x);
        // C from whole Jacobians: C[(x′, a), (x, c)] = J_S(x′)_{10+a} · J_0(x)_c
        double[][][] js = jacobians(mlp, start, x);
        double[][][] j0 = jacobians(mlp, theta0, x);
        int m = 3;
        double[][] c = new double[3 * m][3 * Idx.CLASSES];
        for (int x1 = 0; x1 < 3; x1++) {
            for (int a = 0; a < m; a++) {
                for (int x2 = 0; x2 < 3; x2++) {
                    for (int cl = 0; cl < Idx.CLASSES; cl++) {
                        double dot = 0;
                        for (int k = 0; k < start.length; k++) {
                            dot += js[x1][Idx.CLASSES + a][k] * j0[x2][cl][k];
                        }
                        c[x1 * m + a][x2 * Idx.CLASSES + cl] = dot;
                    }
                }
            }
        }
        double[][] cct = new double[3 * m][3 * m];
        for (int i = 0; i < 3 * m; i++) {
            for (int j = 0; j < 3 * m; j++) {
                for (int k = 0; k < 3 * Idx.CLASSES; k++) {
                    cct[i][j] += c[i][k] * c[j][k];
                }
            }
        }
        // Σσ² = ‖C‖_F² = trace(CCᵀ) and the RMS entry the predictor reports; σ_max² = λ_max(CCᵀ)
        double frobenius2 = trace(cct);
        double rms = Predictors.crossBlock(mlp, start, theta0, x);
        assertThat(rms * rms * 9 * Idx.CLASSES * m).isCloseTo(frobenius2, within(1e-9 * frobenius2));
        assertThat(s.crossTop()).hasSize(Spectra.TOP);
        assertThat(s.crossMax() * s.crossMax()).isCloseTo(powerIteration(cct), within(1e-8 * frobenius2));
        // every singular value is there (9 = min(Nm, 10N)): their squares sum to the norm
        double[] all = Spectra.crossSingularValues(mlp, start, mlp, theta0, x);
        assertThat(all).hasSize(9);
        double sum = 0;
        for (double v : all) {
            sum += v * v;
        }
        assertThat(sum).isCloseTo(frobenius2, within(1e-10 * frobenius2));
        assertThat(s.crossEffectiveRank()).isBetween(1.0, 9.0);
    }

    @Test
    void theEffectiveRankCountsEqualValues() {
        assertThat(Spectra.effectiveRank(new double[] {2, 2, 2, 0, -1e-18})).isCloseTo(3.0, within(1e-12));
        assertThat(Spectra.effectiveRank(new double[] {5})).isEqualTo(1.0);
        assertThat(Spectra.effectiveRank(new double[] {0, 0})).isNaN();
        // between 1 and the count for unequal values
        assertThat(Spectra.effectiveRank(new double[] {4, 1})).isBetween(1.0, 2.0);
    }
}
