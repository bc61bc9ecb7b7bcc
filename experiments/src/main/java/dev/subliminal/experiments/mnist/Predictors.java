package dev.subliminal.experiments.mnist;

import dev.subliminal.simulation.mlp.Mlp;
import dev.subliminal.theory.model.Batch;

/**
 * Quantities known before (or without) training a student that may predict its transfer, for the
 * MNIST network 784-w-w-(10+m) with parameters laid out as {@link Mlp}'s.
 */
public final class Predictors {

    private Predictors() {
    }

    /**
     * The root-mean-square entry of the empirical-NTK cross-output block between the student's
     * auxiliary logits at its start θ_S0 and the reference's class logits at θ0, over N inputs:
     * K[(x′, a), (x, c)] = ∇_θ f_a(θ_S0; x′) · ∇_θ f_c(θ0; x), returned as ‖K‖_F / √(N²·10·m).
     * Matrix-free: ‖K‖_F² = Σ_{x′,a} ‖J_{θ0,class} g_{x′,a}‖² with g_{x′,a} = J_{θ_S0}(x′)ᵀ e_a one
     * vector-Jacobian product, then one Jacobian-vector product over the N inputs (or the other way
     * round when 10 &lt; m, whichever takes fewer products). For θ_S0 = θ0 it is the student's own eNTK
     * cross block; for another init it is the block of E[J_Sᵀ M J_0], the trait-carrying part.
     *
     * @param model the network in double precision
     * @param studentStart θ_S0
     * @param reference θ0
     * @param inputs N inputs, N × 784
     */
    public static double crossBlock(Mlp model, double[] studentStart, double[] reference, Batch inputs) {
        int n = model.outputSize();
        int m = n - Idx.CLASSES;
        boolean fromAux = m <= Idx.CLASSES;
        double[] vjpAt = fromAux ? studentStart : reference;
        double[] jvpAt = fromAux ? reference : studentStart;
        int vFrom = fromAux ? Idx.CLASSES : 0;
        int vTo = fromAux ? n : Idx.CLASSES;
        int readFrom = fromAux ? 0 : Idx.CLASSES;
        int readTo = fromAux ? Idx.CLASSES : n;
        double sum = 0;
        for (int row = 0; row < inputs.rows(); row++) {
            Batch x = new Batch(1, inputs.cols(), inputs.row(row));
            for (int o = vFrom; o < vTo; o++) {
                double[] e = new double[n];
                e[o] = 1;
                double[] g = model.vjp(vjpAt, x, new Batch(1, n, e));
                Batch jg = model.jvp(jvpAt, inputs, g);
                for (int r = 0; r < inputs.rows(); r++) {
                    for (int j = readFrom; j < readTo; j++) {
                        double v = jg.get(r, j);
                        sum += v * v;
                    }
                }
            }
        }
        double entries = (double) inputs.rows() * inputs.rows() * Idx.CLASSES * m;
        return Math.sqrt(sum / entries);
    }

    /**
     * Head alignment: the cosine between two networks' class heads, the first 10 rows of the last
     * layer's weight matrix and bias (the logits the digits are read from).
     *
     * @param sizes the network sizes
     * @param a θ of one network (the student's start)
     * @param b θ of the other (the trained teacher)
     */
    public static double headAlignment(int[] sizes, float[] a, float[] b) {
        int last = sizes.length - 2;
        int offset = layerOffset(sizes, last);
        return headAlignment(a, offset, b, offset, sizes[last], sizes[last + 1]);
    }

    /**
     * Head alignment of two networks of possibly different architectures whose heads have the same
     * shape [out, in] (an MLP teacher and a CNN student): their heads start at {@code aHead} and
     * {@code bHead} in θ.
     */
    public static double headAlignment(float[] a, int aHead, float[] b, int bHead, int in, int out) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int k = 0; k < 2; k++) {
            int from = k == 0 ? 0 : out * in;
            int len = k == 0 ? Idx.CLASSES * in : Idx.CLASSES;
            for (int i = from; i < from + len; i++) {
                double x = a[aHead + i];
                double y = b[bHead + i];
                dot += x * y;
                na += x * x;
                nb += y * y;
            }
        }
        return na == 0 || nb == 0 ? Double.NaN : dot / Math.sqrt(na * nb);
    }

    /** Where layer l's parameters (its weight [out × in], then its bias [out]) start in θ. */
    public static int layerOffset(int[] sizes, int l) {
        int p = 0;
        for (int i = 0; i < l; i++) {
            p += sizes[i + 1] * (sizes[i] + 1);
        }
        return p;
    }

    /** The number of parameters of layer l. */
    public static int layerSize(int[] sizes, int l) {
        return sizes[l + 1] * (sizes[l] + 1);
    }
}
