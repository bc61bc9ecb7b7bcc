package dev.subliminal.linear;

import dev.subliminal.theory.model.Batch;

/**
 * Exact closed forms for the affine model with weighted squared error ℓ = Σ w_i (z_i − y_i)².
 *
 * <p>With x̃ = (x, 1), J_x v = ΔW x + Δb for v = (ΔW, Δb), and M = 2·diag(w). Because J does not
 * depend on θ, f_θT − f_θ0 = ε·J Δ_T exactly, and for any θ_S0
 * Δ_S(θ_T) − Δ_S(θ0) = ε·G Δ_T with G = (1/N) Σ_x Jᵀ M J, whose entries are
 * G[(i,j),(k,l)] = δ_ik · 2 w_i · (1/N) Σ_x x̃_j x̃_l. The trait-carrying part is ε·Δ_Tᵀ G Δ_T ≥ 0
 * for every ε, from any initialization.
 */
public final class AffineClosedForm {

    private AffineClosedForm() {
    }

    /**
     * The matrix G (p × p, p = n(d+1)) built entry by entry, for θ laid out as {@link AffineModel}
     * lays it out. Meant for small models and independent checks; the check itself never builds G.
     */
    public static double[][] gram(AffineModel model, Batch x, double[] weights) {
        int d = model.inputs();
        int n = model.outputs();
        if (weights.length != n) {
            throw new IllegalArgumentException(weights.length + " weights for " + n + " outputs");
        }
        if (x.cols() != d) {
            throw new IllegalArgumentException("inputs have " + x.cols() + " columns, the model takes " + d);
        }
        double[][] moments = new double[d + 1][d + 1];
        for (int r = 0; r < x.rows(); r++) {
            for (int j = 0; j <= d; j++) {
                double xj = j < d ? x.get(r, j) : 1;
                for (int l = 0; l <= d; l++) {
                    double xl = l < d ? x.get(r, l) : 1;
                    moments[j][l] += xj * xl;
                }
            }
        }
        int p = n * (d + 1);
        double[][] g = new double[p][p];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= d; j++) {
                for (int l = 0; l <= d; l++) {
                    g[index(i, j, d, n)][index(i, l, d, n)] = 2 * weights[i] * moments[j][l] / x.rows();
                }
            }
        }
        return g;
    }

    /** uᵀ G v for a dense G. */
    public static double quadraticForm(double[][] g, double[] u, double[] v) {
        double s = 0;
        for (int a = 0; a < g.length; a++) {
            double row = 0;
            for (int b = 0; b < g.length; b++) {
                row += g[a][b] * v[b];
            }
            s += u[a] * row;
        }
        return s;
    }

    /** Position in θ of W[i][j] (j < d) or b[i] (j = d). */
    private static int index(int i, int j, int d, int n) {
        return j < d ? i * d + j : n * d + i;
    }
}
