package dev.subliminal.linear;

/**
 * Kernels of one dense layer z = W a + b, with W ([out, in], row-major) and b stored in θ at
 * {@code w} and {@code w + out·in}. Each works on one sample and accumulates in a fixed order.
 * These are the only place the toolkit differentiates an affine map; the affine model and the MLP
 * both use them.
 */
public final class Dense {

    private Dense() {
    }

    /** z = W a + b. */
    public static void forward(double[] theta, int w, int in, int out, double[] a, int aOff, double[] z, int zOff) {
        int b = w + out * in;
        for (int i = 0; i < out; i++) {
            double s = theta[b + i];
            int row = w + i * in;
            for (int j = 0; j < in; j++) {
                s += theta[row + j] * a[aOff + j];
            }
            z[zOff + i] = s;
        }
    }

    /**
     * The tangent dz = dW a + W da + db for a parameter direction v (dW, db read from v at the same
     * offsets as W, b) and an input tangent da (null when the input does not depend on θ).
     */
    public static void tangent(double[] theta, double[] v, int w, int in, int out, double[] a, int aOff,
            double[] da, int daOff, double[] dz, int dzOff) {
        int b = w + out * in;
        for (int i = 0; i < out; i++) {
            double s = v[b + i];
            int row = w + i * in;
            for (int j = 0; j < in; j++) {
                s += v[row + j] * a[aOff + j];
            }
            if (da != null) {
                for (int j = 0; j < in; j++) {
                    s += theta[row + j] * da[daOff + j];
                }
            }
            dz[dzOff + i] = s;
        }
    }

    /**
     * Backward pass for a cotangent u on z: grad[W] += u aᵀ, grad[b] += u, and, when {@code ua} is
     * not null, ua = Wᵀ u (the cotangent on the input).
     */
    public static void backward(double[] theta, int w, int in, int out, double[] a, int aOff, double[] u, int uOff,
            double[] grad, double[] ua, int uaOff) {
        int b = w + out * in;
        if (ua != null) {
            for (int j = 0; j < in; j++) {
                ua[uaOff + j] = 0;
            }
        }
        for (int i = 0; i < out; i++) {
            double ui = u[uOff + i];
            grad[b + i] += ui;
            int row = w + i * in;
            for (int j = 0; j < in; j++) {
                grad[row + j] += ui * a[aOff + j];
            }
            if (ua != null) {
                for (int j = 0; j < in; j++) {
                    ua[uaOff + j] += theta[row + j] * ui;
                }
            }
        }
    }
}
