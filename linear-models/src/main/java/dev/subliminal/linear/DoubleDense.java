package dev.subliminal.linear;

import dev.subliminal.theory.linalg.Gemm;

/**
 * Batched kernels of one dense layer z = W a + b over a batch of rows, in double precision (the float
 * twin {@code FloatDense} is generated from this source, docs/precision-twins.md), with W ([out, in], row-major)
 * and b stored in θ at {@code w} and {@code w + out·in}. A batch is row-major with one sample per
 * row: the inputs A are rows × in, the outputs Z rows × out, so Z = A Wᵀ + 1 bᵀ. Products go through
 * {@link Gemm#multiply} of the given context, whose sums run in a fixed order, so results do not depend on
 * its thread count.
 * These are the only place the toolkit differentiates an affine map; the affine model and the MLP
 * both use them.
 */
public final class DoubleDense {

    private DoubleDense() {
    }

    /** Z = A Wᵀ + 1 bᵀ (each z_ri = Σ_j w_ij a_rj, then + b_i). */
    public static void forward(Gemm gemm, double[] theta, int w, int in, int out, double[] a, int rows, double[] z) {
        gemm.multiply(false, true, rows, out, in, 1, a, 0, in, theta, w, in, 0, z, 0, out);
        addBias(theta, w + out * in, out, rows, z);
    }

    /**
     * The tangent dZ = A dWᵀ + 1 dbᵀ + dA Wᵀ for a parameter direction v (dW, db read from v at the
     * same offsets as W, b) and an input tangent dA (null when the input does not depend on θ).
     */
    public static void tangent(Gemm gemm, double[] theta, double[] v, int w, int in, int out, double[] a, double[] da,
            int rows, double[] dz) {
        forward(gemm, v, w, in, out, a, rows, dz);
        if (da != null) {
            gemm.multiply(false, true, rows, out, in, 1, da, 0, in, theta, w, in, 1, dz, 0, out);
        }
    }

    /**
     * Backward pass for cotangents U on Z, summed over the rows: grad[W] += Uᵀ A, grad[b] += Uᵀ 1
     * (rows in order), and, when {@code ua} is not null, ua = U W (the cotangents on the inputs).
     */
    public static void backward(Gemm gemm, double[] theta, int w, int in, int out, double[] a, double[] u, int rows,
            double[] grad, double[] ua) {
        gemm.multiply(true, false, out, in, rows, 1, u, 0, out, a, 0, in, 1, grad, w, in);
        int b = w + out * in;
        for (int r = 0; r < rows; r++) {
            for (int i = 0; i < out; i++) {
                grad[b + i] += u[r * out + i];
            }
        }
        if (ua != null) {
            gemm.multiply(false, false, rows, in, out, 1, u, 0, out, theta, w, in, 0, ua, 0, in);
        }
    }

    private static void addBias(double[] theta, int b, int out, int rows, double[] z) {
        for (int r = 0; r < rows; r++) {
            for (int i = 0; i < out; i++) {
                z[r * out + i] += theta[b + i];
            }
        }
    }
}
