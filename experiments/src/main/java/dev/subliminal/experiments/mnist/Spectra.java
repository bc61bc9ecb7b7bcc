package dev.subliminal.experiments.mnist;

import dev.subliminal.theory.model.Batch;
import dev.subliminal.theory.model.Model;
import java.util.Arrays;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F64;

/**
 * The spectra that show the range of the one-step quadratic form for a small student, on N held-out
 * inputs x at its start θ_S0 (DESIGN.md §2):
 * <ul>
 *   <li>G = (1/N) Σ_x J_xᵀ M_x J_x, with J_x the Jacobian of the imitated logits (the arm's range) and
 *       M_x the imitation loss's curvature in them at the student's own outputs z_x (soft cross-entropy
 *       at T: (diag(p) − ppᵀ)/T², p = σ(z_x/T); squared error: I), so that ε·Δ_TᵀGΔ_T is the first-order
 *       Δ_S·Δ_T. G is p × p, but with M_x = B_xᵀB_x (cross-entropy: B_x = diag(√p)(I − 1pᵀ)/T) its
 *       nonzero eigenvalues are those of the Gram matrix K = (1/N)·[B_x J_x J_{x′}ᵀ B_{x′}ᵀ] of size Nk × Nk
 *       (k imitated logits): column (x′, a) is one vector-Jacobian product J_{x′}ᵀB_{x′}ᵀe_a and one
 *       Jacobian-vector product over the N inputs, never J. Its eigenvalues come from EJML's symmetric
 *       eigen decomposition.</li>
 *   <li>The eNTK cross-output block C[(x′, a), (x, c)] = ∇_θ f_a(θ_S0; x′)·∇_θ f_c(θ0; x) between the
 *       student's auxiliary logits a and the reference's class logits c (Nm × 10N, the matrix whose RMS
 *       entry {@link Predictors#crossBlock} reports), when both live in one parameter space; its singular
 *       values from EJML's SVD.</li>
 * </ul>
 * Each is summarized by its {@value #TOP} largest values (descending), G's trace Σλ and the effective
 * rank exp(−Σ q_i ln q_i), q_i = s_i/Σs (Roy and Vetterli, 2007) of the eigenvalues (clipped at 0) or
 * singular values s.
 */
public final class Spectra {

    /** How many of the largest values a record keeps. */
    public static final int TOP = 5;

    private Spectra() {
    }

    /**
     * The spectra of one student.
     *
     * @param gTop the largest eigenvalues of G, descending (fewer when Nk &lt; {@value #TOP})
     * @param gTrace trace(G) = Σλ
     * @param gEffectiveRank G's effective rank
     * @param crossTop the largest singular values of the cross block, descending; empty when not computed
     * @param crossEffectiveRank the cross block's effective rank; NaN when not computed
     */
    public record Spectrum(double[] gTop, double gTrace, double gEffectiveRank, double[] crossTop,
            double crossEffectiveRank) {

        public Spectrum {
            gTop = gTop.clone();
            crossTop = crossTop.clone();
        }

        @Override
        public double[] gTop() {
            return gTop.clone();
        }

        @Override
        public double[] crossTop() {
            return crossTop.clone();
        }

        /** λ_max(G), NaN when G is empty. */
        public double gMax() {
            return gTop.length == 0 ? Double.NaN : gTop[0];
        }

        /** σ_max of the cross block, NaN when not computed. */
        public double crossMax() {
            return crossTop.length == 0 ? Double.NaN : crossTop[0];
        }
    }

    /**
     * The spectra of a student at θ_S0 for its imitation loss on {@code inputs}, and of the cross block
     * with the reference at θ0 when {@code reference} is not null (the same architecture).
     */
    public static Spectrum of(Model student, double[] start, Objective imitation, Model reference, double[] theta0,
            Batch inputs) {
        double[] eigenvalues = gEigenvalues(student, start, imitation, inputs);
        double trace = 0;
        for (double l : eigenvalues) {
            trace += l;
        }
        double[] cross = reference == null ? new double[0] : crossSingularValues(student, start, reference, theta0,
                inputs);
        return new Spectrum(top(eigenvalues), trace, effectiveRank(eigenvalues), top(cross),
                cross.length == 0 ? Double.NaN : effectiveRank(cross));
    }

    /** The Gram matrix K (Nk × Nk) whose eigenvalues are G's nonzero ones. */
    static DMatrixRMaj gram(Model student, double[] start, Objective imitation, Batch inputs) {
        int rows = inputs.rows();
        int n = student.outputSize();
        int from = imitation.from();
        int k = imitation.to() - from;
        Batch z = student.forward(start, inputs);
        double[][][] factor = new double[rows][][];
        for (int x = 0; x < rows; x++) {
            factor[x] = factor(imitation, z, x, n);
        }
        DMatrixRMaj gram = new DMatrixRMaj(rows * k, rows * k);
        for (int x1 = 0; x1 < rows; x1++) {
            Batch one = new Batch(1, inputs.cols(), inputs.row(x1));
            for (int a = 0; a < k; a++) {
                double[] cot = new double[n];
                System.arraycopy(factor[x1][a], 0, cot, from, k);
                double[] g = student.vjp(start, one, new Batch(1, n, cot));
                Batch jg = student.jvp(start, inputs, g);
                for (int x = 0; x < rows; x++) {
                    for (int c = 0; c < k; c++) {
                        double s = 0;
                        for (int b = 0; b < k; b++) {
                            s += factor[x][c][b] * jg.get(x, from + b);
                        }
                        gram.set(x * k + c, x1 * k + a, s / rows);
                    }
                }
            }
        }
        // symmetric in exact arithmetic: average away the rounding
        for (int i = 0; i < gram.numRows; i++) {
            for (int j = i + 1; j < gram.numCols; j++) {
                double m = (gram.get(i, j) + gram.get(j, i)) / 2;
                gram.set(i, j, m);
                gram.set(j, i, m);
            }
        }
        return gram;
    }

    /**
     * B_x with M_x = B_xᵀB_x over the imitated logits at the outputs z_x: the identity for squared error,
     * diag(√p)(I − 1pᵀ)/T for the soft cross-entropy at T ((I − p1ᵀ)diag(p)(I − 1pᵀ) = diag(p) − ppᵀ).
     */
    static double[][] factor(Objective imitation, Batch z, int x, int n) {
        int from = imitation.from();
        int k = imitation.to() - from;
        double[][] b = new double[k][k];
        if (imitation instanceof Objective.SquaredError) {
            for (int i = 0; i < k; i++) {
                b[i][i] = 1;
            }
            return b;
        }
        double t = imitation.temperature();
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < k; i++) {
            max = Math.max(max, z.get(x, from + i));
        }
        double[] p = new double[k];
        double sum = 0;
        for (int i = 0; i < k; i++) {
            p[i] = StrictMath.exp((z.get(x, from + i) - max) / t);
            sum += p[i];
        }
        for (int i = 0; i < k; i++) {
            p[i] /= sum;
        }
        for (int i = 0; i < k; i++) {
            double root = Math.sqrt(p[i]);
            for (int j = 0; j < k; j++) {
                b[i][j] = root * ((i == j ? 1 : 0) - p[j]) / t;
            }
        }
        return b;
    }

    /** G's nonzero-range eigenvalues (those of the Gram matrix), descending. */
    static double[] gEigenvalues(Model student, double[] start, Objective imitation, Batch inputs) {
        DMatrixRMaj gram = gram(student, start, imitation, inputs);
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(gram.numRows, false, true);
        if (!eig.decompose(gram)) {
            throw new IllegalStateException("the eigen decomposition of G's " + gram.numRows + "×" + gram.numRows
                    + " Gram matrix did not converge");
        }
        double[] values = new double[eig.getNumberOfEigenvalues()];
        for (int i = 0; i < values.length; i++) {
            values[i] = eig.getEigenvalue(i).getReal();
        }
        return descending(values);
    }

    /** The cross block C (Nm × 10N): row (x′, a) = J_{θ0,class} J_{θ_S0}(x′)ᵀ e_{10+a}. */
    static DMatrixRMaj crossBlock(Model student, double[] start, Model reference, double[] theta0, Batch inputs) {
        int rows = inputs.rows();
        int n = student.outputSize();
        int m = n - Idx.CLASSES;
        DMatrixRMaj c = new DMatrixRMaj(rows * m, rows * Idx.CLASSES);
        for (int x1 = 0; x1 < rows; x1++) {
            Batch one = new Batch(1, inputs.cols(), inputs.row(x1));
            for (int a = 0; a < m; a++) {
                double[] e = new double[n];
                e[Idx.CLASSES + a] = 1;
                double[] g = student.vjp(start, one, new Batch(1, n, e));
                Batch jg = reference.jvp(theta0, inputs, g);
                for (int x = 0; x < rows; x++) {
                    for (int cl = 0; cl < Idx.CLASSES; cl++) {
                        c.set(x1 * m + a, x * Idx.CLASSES + cl, jg.get(x, cl));
                    }
                }
            }
        }
        return c;
    }

    /** The cross block's singular values, descending. */
    static double[] crossSingularValues(Model student, double[] start, Model reference, double[] theta0,
            Batch inputs) {
        DMatrixRMaj c = crossBlock(student, start, reference, theta0, inputs);
        SingularValueDecomposition_F64<DMatrixRMaj> svd = DecompositionFactory_DDRM.svd(c.numRows, c.numCols, false,
                false, true);
        if (!svd.decompose(c)) {
            throw new IllegalStateException("the SVD of the " + c.numRows + "×" + c.numCols
                    + " eNTK cross block did not converge");
        }
        return descending(Arrays.copyOf(svd.getSingularValues(), svd.numberOfSingularValues()));
    }

    /** exp(−Σ q_i ln q_i) with q_i = max(s_i, 0)/Σ max(s, 0); NaN when every s_i ≤ 0. */
    public static double effectiveRank(double[] s) {
        double sum = 0;
        for (double v : s) {
            sum += Math.max(v, 0);
        }
        if (!(sum > 0)) {
            return Double.NaN;
        }
        double entropy = 0;
        for (double v : s) {
            double q = Math.max(v, 0) / sum;
            if (q > 0) {
                entropy -= q * StrictMath.log(q);
            }
        }
        return StrictMath.exp(entropy);
    }

    private static double[] descending(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        for (int i = 0; i < s.length / 2; i++) {
            double t = s[i];
            s[i] = s[s.length - 1 - i];
            s[s.length - 1 - i] = t;
        }
        return s;
    }

    private static double[] top(double[] descending) {
        return Arrays.copyOf(descending, Math.min(TOP, descending.length));
    }
}
