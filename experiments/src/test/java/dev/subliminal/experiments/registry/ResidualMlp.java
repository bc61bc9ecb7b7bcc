package dev.subliminal.experiments.registry;

import dev.subliminal.linear.DoubleDense;
import dev.subliminal.theory.linalg.Gemm;
import dev.subliminal.simulation.mlp.Activation;
import dev.subliminal.theory.model.Batch;
import dev.subliminal.theory.model.Model;
import dev.subliminal.theory.param.ParameterLayout;
import java.util.Arrays;

/**
 * A model family that exists only in test code, to show that the registry is open: a residual MLP
 * with sizes (d, h, ..., h, n), h_0 = φ(W_0 x + b_0), h_l = h_{l−1} + s·φ(W_l h_{l−1} + b_l) for the
 * hidden blocks, f(x) = W_k h_{k−1} + b_k. JVP: dh_l = dh_{l−1} + s·φ′(z_l) ⊙ dz_l; VJP: u_{z_l} =
 * s·φ′(z_l) ⊙ u_{h_l}, u_{h_{l−1}} = u_{h_l} + W_lᵀ u_{z_l}.
 *
 * @param sizes (d, h, ..., h, n): all hidden widths equal
 * @param activation φ
 * @param scale s, the residual branch's scale
 */
record ResidualMlp(int[] sizes, Activation activation, double scale) implements Model {

    @Override
    public ParameterLayout layout() {
        ParameterLayout.Builder b = ParameterLayout.builder();
        for (int l = 0; l < sizes.length - 1; l++) {
            b.add(l + ".weight", sizes[l + 1], sizes[l]).add(l + ".bias", sizes[l + 1]);
        }
        return b.build();
    }

    @Override
    public int inputSize() {
        return sizes[0];
    }

    @Override
    public int outputSize() {
        return sizes[sizes.length - 1];
    }

    private int offset(int l) {
        return layout().tensor(l + ".weight").offset();
    }

    private int layers() {
        return sizes.length - 1;
    }

    /** Pre-activations z_l and states h_l of the hidden layers. */
    private double[][][] pass(double[] theta, Batch x) {
        int rows = x.rows();
        double[][] z = new double[layers() - 1][];
        double[][] h = new double[layers() - 1][];
        for (int l = 0; l < layers() - 1; l++) {
            z[l] = new double[rows * sizes[l + 1]];
            DoubleDense.forward(Gemm.defaults(), theta, offset(l), sizes[l], sizes[l + 1], l == 0 ? x.data() : h[l - 1], rows, z[l]);
            h[l] = new double[z[l].length];
            for (int i = 0; i < z[l].length; i++) {
                double a = activation.value(z[l][i]);
                h[l][i] = l == 0 ? a : h[l - 1][i] + scale * a;
            }
        }
        return new double[][][] {z, h};
    }

    @Override
    public Batch forward(double[] theta, Batch x) {
        requireShapes(theta, x);
        double[][] h = pass(theta, x)[1];
        int k = layers() - 1;
        double[] y = new double[x.rows() * outputSize()];
        DoubleDense.forward(Gemm.defaults(), theta, offset(k), sizes[k], sizes[k + 1], h[k - 1], x.rows(), y);
        return new Batch(x.rows(), outputSize(), y);
    }

    @Override
    public Batch jvp(double[] theta, Batch x, double[] v) {
        requireShapes(theta, x);
        double[][][] p = pass(theta, x);
        double[][] z = p[0];
        double[][] h = p[1];
        int rows = x.rows();
        double[] dh = null;
        for (int l = 0; l < layers() - 1; l++) {
            double[] dz = new double[rows * sizes[l + 1]];
            DoubleDense.tangent(Gemm.defaults(), theta, v, offset(l), sizes[l], sizes[l + 1], l == 0 ? x.data() : h[l - 1], dh, rows, dz);
            double[] next = new double[dz.length];
            for (int i = 0; i < dz.length; i++) {
                double branch = activation.derivative(z[l][i]) * dz[i];
                next[i] = l == 0 ? branch : dh[i] + scale * branch;
            }
            dh = next;
        }
        int k = layers() - 1;
        double[] dy = new double[rows * outputSize()];
        DoubleDense.tangent(Gemm.defaults(), theta, v, offset(k), sizes[k], sizes[k + 1], h[k - 1], dh, rows, dy);
        return new Batch(rows, outputSize(), dy);
    }

    @Override
    public double[] vjp(double[] theta, Batch x, Batch u) {
        requireShapes(theta, x);
        double[][][] p = pass(theta, x);
        double[][] z = p[0];
        double[][] h = p[1];
        int rows = x.rows();
        double[] grad = new double[layout().size()];
        int k = layers() - 1;
        double[] uh = new double[rows * sizes[k]];
        DoubleDense.backward(Gemm.defaults(), theta, offset(k), sizes[k], sizes[k + 1], h[k - 1], u.data(), rows, grad, uh);
        for (int l = k - 1; l >= 0; l--) {
            double[] uz = new double[uh.length];
            for (int i = 0; i < uh.length; i++) {
                uz[i] = (l == 0 ? 1 : scale) * activation.derivative(z[l][i]) * uh[i];
            }
            double[] ua = l == 0 ? null : new double[rows * sizes[l]];
            DoubleDense.backward(Gemm.defaults(), theta, offset(l), sizes[l], sizes[l + 1], l == 0 ? x.data() : h[l - 1], uz, rows, grad, ua);
            if (ua != null) {
                for (int i = 0; i < ua.length; i++) {
                    ua[i] += uh[i];
                }
                uh = ua;
            }
        }
        return grad;
    }

    @Override
    public String describe() {
        return "residual-mlp " + String.join("-", Arrays.stream(sizes).mapToObj(Integer::toString).toList()) + " "
                + activation.name().toLowerCase(java.util.Locale.ROOT) + " s=" + scale;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ResidualMlp r && Arrays.equals(r.sizes, sizes) && r.activation == activation
                && r.scale == scale;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(sizes) * 31 + activation.hashCode() + Double.hashCode(scale);
    }
}
