package dev.subliminal.simulation.conv;

import dev.subliminal.linear.DoubleDense;
import dev.subliminal.simulation.mlp.Activation;
import dev.subliminal.simulation.mlp.DoubleNetwork;
import dev.subliminal.theory.linalg.Gemm;
import java.util.Arrays;

/**
 * The batched passes of a {@link Cnn} in double precision over caller-owned buffers, one example per
 * row (its image channel-first). Each convolution l is a dense product over the batch's output
 * positions: the im2col patches P_l (rows·H_l·W_l × C_{l−1}k²) times the weight [C_l, C_{l−1}k²], so
 * Z_l = P_l W_lᵀ + 1 b_lᵀ (position-major, channel-last), A_l = φ(Z_l); the last convolution's
 * activations are flattened channel-first, then the dense layers run as in an MLP. The tangent is
 * dZ_l = P_l dW_lᵀ + 1 db_lᵀ + im2col(dA_{l−1}) W_lᵀ, dA_l = φ′(Z_l) ⊙ dZ_l; the reverse pass
 * ∂L/∂W_l = U_lᵀ P_l, ∂L/∂b_l = Σ U_l and the cotangent on A_{l−1} is col2im(U_l W_l), the adjoint
 * of im2col (a scatter-add in a fixed order). The float twin {@code FloatConvNetwork}, which the MNIST
 * experiment trains, is generated from this source (docs/precision-twins.md); every reduction has a
 * fixed order and results do not depend on the thread count of {@code gemm}.
 */
public final class DoubleConvNetwork implements DoubleNetwork<DoubleConvNetwork.Workspace> {

    /** Fewest values worth handing to another thread. */
    private static final int ELEMENTS_PER_THREAD = 1 << 14;

    private final ConvGeometry geometry;
    private final Activation activation;
    private final Gemm gemm;
    private final int[] denseSizes;
    private final int convs;
    private final int layers;
    private final int parameters;

    /** The network of this geometry, activation and product context. */
    public DoubleConvNetwork(ConvGeometry geometry, Activation activation, Gemm gemm) {
        if (geometry == null || activation == null || gemm == null) {
            throw new IllegalArgumentException("a geometry, an activation and a product context must be given");
        }
        this.geometry = geometry;
        this.activation = activation;
        this.gemm = gemm;
        this.denseSizes = geometry.denseSizes();
        this.convs = geometry.convolutions();
        this.layers = convs + geometry.denseLayers();
        this.parameters = geometry.parameterCount();
    }

    /** p. */
    public int parameterCount() {
        return parameters;
    }

    /** n, the number of outputs. */
    public int outputs() {
        return geometry.outputs();
    }

    /** d, the number of inputs. */
    public int inputs() {
        return geometry.inputs();
    }

    /** The shapes. */
    public ConvGeometry geometry() {
        return geometry;
    }

    /** Values of layer i (convolutions first) for one input. */
    public int units(int i) {
        return i < convs ? geometry.positions(i) * geometry.channelsOut(i) : denseSizes[i - convs + 1];
    }

    /** Layers with an activation: every one but the output layer. */
    public int hiddenLayers() {
        return layers - 1;
    }

    /** Buffers for batches of at most {@code maxRows} examples. */
    public Workspace workspace(int maxRows) {
        return new Workspace(maxRows);
    }

    /** The buffers of one batch, layer by layer; a workspace belongs to one thread at a time. */
    public final class Workspace implements DoubleNetwork.Workspace {
        private final int maxRows;
        private final double[][] cols;
        private final double[][] colScratch;
        private final double[][] z;
        private final double[][] a;
        private final double[][] slope;
        private final double[][] scratch;
        private final double[] flat;
        private double[] flatScratch;

        private Workspace(int maxRows) {
            if (maxRows < 1) {
                throw new IllegalArgumentException("a workspace needs at least one row, got " + maxRows);
            }
            this.maxRows = maxRows;
            cols = new double[convs][];
            colScratch = new double[convs][];
            for (int l = 0; l < convs; l++) {
                cols[l] = new double[Math.multiplyExact(maxRows, Math.multiplyExact(geometry.positions(l),
                        geometry.patch(l)))];
            }
            z = new double[layers][];
            a = new double[layers - 1][];
            slope = new double[layers - 1][];
            scratch = new double[layers][];
            for (int i = 0; i < layers; i++) {
                z[i] = new double[size(i)];
                if (i < layers - 1) {
                    a[i] = new double[size(i)];
                }
            }
            flat = new double[Math.multiplyExact(maxRows, geometry.flat())];
        }

        private int size(int i) {
            return Math.multiplyExact(maxRows, units(i));
        }

        private double[] slope(int i) {
            if (slope[i] == null) {
                slope[i] = new double[size(i)];
            }
            return slope[i];
        }

        private double[] scratch(int i) {
            if (scratch[i] == null) {
                scratch[i] = new double[size(i)];
            }
            return scratch[i];
        }

        private double[] colScratch(int l) {
            if (colScratch[l] == null) {
                colScratch[l] = new double[cols[l].length];
            }
            return colScratch[l];
        }

        private double[] flatScratch() {
            if (flatScratch == null) {
                flatScratch = new double[flat.length];
            }
            return flatScratch;
        }

        /** The outputs of the last forward pass, rows × n (later rows are stale). */
        public double[] outputs() {
            return z[layers - 1];
        }

        /** Where the caller writes ∂L/∂outputs (rows × n) before {@link #backward}; changed by it. */
        public double[] outputGradient() {
            return scratch(layers - 1);
        }

        /** The pre-activations of hidden layer i (convolutions first) of the last forward pass. */
        public double[] preActivations(int i) {
            return z[i];
        }

        private void require(int rows) {
            if (rows < 1 || rows > maxRows) {
                throw new IllegalArgumentException(rows + " rows for a workspace of at most " + maxRows);
            }
        }
    }

    /**
     * The forward pass over the first {@code rows} rows of {@code x} (rows × d), into the workspace;
     * with {@code slopes} it also keeps φ′(z), which {@link #backward} and {@link #tangent} need.
     */
    public void forward(double[] theta, double[] x, int rows, Workspace ws, boolean slopes) {
        requireShapes(theta, x, rows, ws);
        for (int l = 0; l < convs; l++) {
            im2col(l == 0 ? x : ws.a[l - 1], l, rows, ws.cols[l], l == 0);
            DoubleDense.forward(gemm, theta, geometry.convOffset(l), geometry.patch(l), geometry.channelsOut(l),
                    ws.cols[l], rows * geometry.positions(l), ws.z[l]);
            activate(l, rows, ws, slopes);
        }
        flatten(ws.a[convs - 1], rows, ws.flat);
        for (int j = 0; j < denseSizes.length - 1; j++) {
            int i = convs + j;
            DoubleDense.forward(gemm, theta, geometry.denseOffset(j), denseSizes[j], denseSizes[j + 1],
                    j == 0 ? ws.flat : ws.a[i - 1], rows, ws.z[i]);
            if (i < layers - 1) {
                activate(i, rows, ws, slopes);
            }
        }
    }

    private void activate(int i, int rows, Workspace ws, boolean slopes) {
        double[] zi = ws.z[i];
        double[] ai = ws.a[i];
        double[] si = slopes ? ws.slope(i) : null;
        gemm.ranges(rows * units(i), ELEMENTS_PER_THREAD, (from, to) -> {
            activation.values(zi, ai, from, to);
            for (int k = from; si != null && k < to; k++) {
                si[k] = (double) activation.derivative(zi[k], ai[k]);
            }
        });
    }

    /**
     * ∂L/∂θ = Σ_rows J_xᵀ u_x into {@code gradient} (overwritten), from u = {@link Workspace#outputGradient()},
     * after a forward pass with slopes of the same θ, x and rows.
     */
    public void backward(double[] theta, double[] x, int rows, Workspace ws, double[] gradient) {
        requireShapes(theta, x, rows, ws);
        if (gradient.length != parameters) {
            throw new IllegalArgumentException("the gradient has " + gradient.length + " entries, expected " + parameters);
        }
        Arrays.fill(gradient, 0);
        double[] u = ws.scratch(layers - 1);
        for (int j = denseSizes.length - 2; j >= 0; j--) {
            int i = convs + j;
            double[] ua = j == 0 ? ws.flatScratch() : ws.scratch(i - 1);
            DoubleDense.backward(gemm, theta, geometry.denseOffset(j), denseSizes[j], denseSizes[j + 1],
                    j == 0 ? ws.flat : ws.a[i - 1], u, rows, gradient, ua);
            if (j > 0) {
                scale(ua, ws.slope(i - 1), rows * units(i - 1));
                u = ua;
            }
        }
        u = ws.scratch(convs - 1);
        unflatten(ws.flatScratch(), rows, u);
        scale(u, ws.slope(convs - 1), rows * units(convs - 1));
        for (int l = convs - 1; l >= 0; l--) {
            double[] uc = l == 0 ? null : ws.colScratch(l);
            DoubleDense.backward(gemm, theta, geometry.convOffset(l), geometry.patch(l), geometry.channelsOut(l),
                    ws.cols[l], u, rows * geometry.positions(l), gradient, uc);
            if (l > 0) {
                double[] ua = ws.scratch(l - 1);
                col2im(uc, l, rows, ua);
                scale(ua, ws.slope(l - 1), rows * units(l - 1));
                u = ua;
            }
        }
    }

    /**
     * J_x v for the first {@code rows} rows into {@code out} (rows × n), after a forward pass with
     * slopes of the same θ, x and rows.
     */
    public void tangent(double[] theta, double[] v, double[] x, int rows, Workspace ws, double[] out) {
        requireShapes(theta, x, rows, ws);
        if (v.length != parameters) {
            throw new IllegalArgumentException("the direction has " + v.length + " entries, expected " + parameters);
        }
        double[] da = null;
        for (int l = 0; l < convs; l++) {
            double[] dcols = null;
            if (l > 0) {
                dcols = ws.colScratch(l);
                im2col(da, l, rows, dcols, false);
            }
            double[] dz = ws.scratch(l);
            DoubleDense.tangent(gemm, theta, v, geometry.convOffset(l), geometry.patch(l), geometry.channelsOut(l),
                    ws.cols[l], dcols, rows * geometry.positions(l), dz);
            scale(dz, ws.slope(l), rows * units(l));
            da = dz;
        }
        double[] dflat = ws.flatScratch();
        flatten(da, rows, dflat);
        da = dflat;
        for (int j = 0; j < denseSizes.length - 1; j++) {
            int i = convs + j;
            double[] dz = i == layers - 1 ? out : ws.scratch(i);
            DoubleDense.tangent(gemm, theta, v, geometry.denseOffset(j), denseSizes[j], denseSizes[j + 1],
                    j == 0 ? ws.flat : ws.a[i - 1], da, rows, dz);
            if (i < layers - 1) {
                scale(dz, ws.slope(i), rows * units(i));
                da = dz;
            }
        }
    }

    private static void scale(double[] u, double[] s, int count) {
        for (int k = 0; k < count; k++) {
            u[k] *= s[k];
        }
    }

    /**
     * The im2col patches of conv l: row (r, oy, ox) holds input (c, oy·s − p + ky, ox·s − p + kx) for
     * c, ky, kx in order, 0 outside the image; the input is channel-first (the network's input) or
     * position-major channel-last (a convolution's activations).
     */
    private void im2col(double[] src, int l, int rows, double[] dst, boolean channelFirst) {
        int c = geometry.channelsIn(l);
        int h = geometry.heightIn(l);
        int w = geometry.widthIn(l);
        int ho = geometry.heightIn(l + 1);
        int wo = geometry.widthIn(l + 1);
        int k = geometry.kernel();
        int s = geometry.stride();
        int p = geometry.padding();
        int cs = channelFirst ? h * w : 1;
        int ps = channelFirst ? 1 : c;
        int rs = c * h * w;
        int perRow = ho * wo * c * k * k;
        gemm.ranges(rows, Math.max(1, ELEMENTS_PER_THREAD / perRow), (from, to) -> {
            for (int r = from; r < to; r++) {
                int o = r * perRow;
                for (int oy = 0; oy < ho; oy++) {
                    for (int ox = 0; ox < wo; ox++) {
                        for (int ch = 0; ch < c; ch++) {
                            int base = r * rs + ch * cs;
                            for (int ky = 0; ky < k; ky++) {
                                int iy = oy * s - p + ky;
                                for (int kx = 0; kx < k; kx++) {
                                    int ix = ox * s - p + kx;
                                    dst[o++] = iy >= 0 && iy < h && ix >= 0 && ix < w ? src[base + (iy * w + ix) * ps] : 0;
                                }
                            }
                        }
                    }
                }
            }
        });
    }

    /** The adjoint of {@link #im2col} into a channel-last input: dst = 0, then every patch entry added back in order. */
    private void col2im(double[] cols, int l, int rows, double[] dst) {
        int c = geometry.channelsIn(l);
        int h = geometry.heightIn(l);
        int w = geometry.widthIn(l);
        int ho = geometry.heightIn(l + 1);
        int wo = geometry.widthIn(l + 1);
        int k = geometry.kernel();
        int s = geometry.stride();
        int p = geometry.padding();
        int rs = c * h * w;
        int perRow = ho * wo * c * k * k;
        gemm.ranges(rows, Math.max(1, ELEMENTS_PER_THREAD / perRow), (from, to) -> {
            Arrays.fill(dst, from * rs, to * rs, 0);
            for (int r = from; r < to; r++) {
                int o = r * perRow;
                for (int oy = 0; oy < ho; oy++) {
                    for (int ox = 0; ox < wo; ox++) {
                        for (int ch = 0; ch < c; ch++) {
                            int base = r * rs + ch;
                            for (int ky = 0; ky < k; ky++) {
                                int iy = oy * s - p + ky;
                                for (int kx = 0; kx < k; kx++) {
                                    int ix = ox * s - p + kx;
                                    if (iy >= 0 && iy < h && ix >= 0 && ix < w) {
                                        dst[base + (iy * w + ix) * c] += cols[o];
                                    }
                                    o++;
                                }
                            }
                        }
                    }
                }
            }
        });
    }

    /** The last convolution's activations (rows × positions × channels) into channel-first rows (rows × channels·positions). */
    private void flatten(double[] src, int rows, double[] dst) {
        int c = geometry.channelsOut(convs - 1);
        int q = geometry.positions(convs - 1);
        for (int r = 0; r < rows; r++) {
            int o = r * c * q;
            for (int ch = 0; ch < c; ch++) {
                for (int i = 0; i < q; i++) {
                    dst[o + ch * q + i] = src[o + i * c + ch];
                }
            }
        }
    }

    /** The inverse of {@link #flatten}. */
    private void unflatten(double[] src, int rows, double[] dst) {
        int c = geometry.channelsOut(convs - 1);
        int q = geometry.positions(convs - 1);
        for (int r = 0; r < rows; r++) {
            int o = r * c * q;
            for (int ch = 0; ch < c; ch++) {
                for (int i = 0; i < q; i++) {
                    dst[o + i * c + ch] = src[o + ch * q + i];
                }
            }
        }
    }

    private void requireShapes(double[] theta, double[] x, int rows, Workspace ws) {
        if (theta.length != parameters) {
            throw new IllegalArgumentException("θ has " + theta.length + " entries, expected " + parameters);
        }
        ws.require(rows);
        if (x.length < rows * geometry.inputs()) {
            throw new IllegalArgumentException("the inputs hold " + x.length / geometry.inputs() + " rows of "
                    + geometry.inputs() + ", need " + rows);
        }
    }
}
