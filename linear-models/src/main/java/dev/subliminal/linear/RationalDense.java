package dev.subliminal.linear;

import dev.subliminal.theory.interval.ActivationForm;
import dev.subliminal.theory.interval.Fractions;
import dev.subliminal.theory.interval.RationalInterval;
import dev.subliminal.theory.interval.RationalModel;
import dev.subliminal.theory.param.ParameterLayout;
import java.util.Arrays;
import java.util.function.BiFunction;
import org.apache.commons.numbers.fraction.BigFraction;

/**
 * The rational form of a stack of dense layers z_l = W_l a_{l−1} + b_l, a_l = φ(z_l) for hidden
 * layers (an MLP, or an {@link AffineModel}: one layer, no activation), for the certificate verifier.
 * Sums and products are exact; a hidden pre-activation is rounded outward to doubles before φ and
 * φ′ are enclosed by the activation's {@link ActivationForm} over rational intervals, and the backward signal
 * φ′ ⊙ Wᵀu is rounded outward too, which keeps fractions short. With no hidden layer nothing is
 * rounded, so an affine model's values on a degenerate box are exact.
 *
 * <p>Parameters are read per layer as rows [W_l,i·, b_l,i] at the offsets of the layout's
 * {@code 0.weight}, {@code 0.bias}, {@code 2.weight}, ...; this is an implementation separate from
 * {@link IntervalDense}, so that a verifier built on it does not share the certifier's code.
 */
public final class RationalDense implements RationalModel {

    private final ParameterLayout layout;
    private final int[] sizes;
    private final ActivationForm<RationalInterval> activation;
    private final int[] weights;
    private final int[] biases;

    private RationalDense(ParameterLayout layout, int[] sizes, ActivationForm<RationalInterval> activation) {
        this.layout = layout;
        this.sizes = sizes;
        this.activation = activation;
        weights = new int[sizes.length - 1];
        biases = new int[sizes.length - 1];
        for (int l = 0; l < weights.length; l++) {
            weights[l] = layout.tensor((2 * l) + ".weight").offset();
            biases[l] = layout.tensor((2 * l) + ".bias").offset();
        }
    }

    /** The rational form of a dense stack with these sizes whose hidden layers apply {@code activation}. */
    public static RationalDense of(ParameterLayout layout, int[] sizes, ActivationForm<RationalInterval> activation) {
        if (sizes.length > 2 && activation == null) {
            throw new IllegalArgumentException("a dense stack with hidden layers needs an activation");
        }
        return new RationalDense(layout, sizes.clone(), activation);
    }

    @Override
    public ParameterLayout layout() {
        return layout;
    }

    @Override
    public Tangent tangent(RationalInterval[] theta, BigFraction[] x, BigFraction[] v) {
        Pass p = pass(rows(theta), x, v == null ? null : rows(Fractions.points(v)));
        return new Tangent(p.outputs, p.tangents);
    }

    @Override
    public RationalInterval[] vjp(RationalInterval[] theta, BigFraction[][] x,
            BiFunction<Integer, RationalInterval[], RationalInterval[]> cotangent) {
        RationalInterval[][][] box = rows(theta);
        RationalInterval[][][] grad = new RationalInterval[box.length][][];
        for (int l = 0; l < box.length; l++) {
            grad[l] = new RationalInterval[box[l].length][box[l][0].length];
            for (RationalInterval[] row : grad[l]) {
                Arrays.fill(row, RationalInterval.ZERO);
            }
        }
        for (int r = 0; r < x.length; r++) {
            Pass p = pass(box, x[r], null);
            backward(box, p, cotangent.apply(r, p.outputs), grad);
        }
        RationalInterval[] flat = new RationalInterval[layout.size()];
        for (int l = 0; l < grad.length; l++) {
            int in = sizes[l];
            for (int i = 0; i < grad[l].length; i++) {
                System.arraycopy(grad[l][i], 0, flat, weights[l] + i * in, in);
                flat[biases[l] + i] = grad[l][i][in];
            }
        }
        return flat;
    }

    /** θ as rows [l][i][j] with the weights W_l,ij for j < in and the bias b_l,i at j = in. */
    private RationalInterval[][][] rows(RationalInterval[] theta) {
        if (theta.length != layout.size()) {
            throw new IllegalArgumentException("a box of " + theta.length + " coordinates for " + layout.size()
                    + " parameters");
        }
        RationalInterval[][][] out = new RationalInterval[sizes.length - 1][][];
        for (int l = 0; l < out.length; l++) {
            int in = sizes[l];
            out[l] = new RationalInterval[sizes[l + 1]][in + 1];
            for (int i = 0; i < sizes[l + 1]; i++) {
                System.arraycopy(theta, weights[l] + i * in, out[l][i], 0, in);
                out[l][i][in] = theta[biases[l] + i];
            }
        }
        return out;
    }

    /**
     * One input's pass: the input of every layer (a_0 = x), the enclosure of φ′ at every hidden
     * layer, the outputs f and, when a direction is given, the tangents J·v (else null).
     */
    private record Pass(RationalInterval[][] inputs, RationalInterval[][] slopes, RationalInterval[] outputs,
            RationalInterval[] tangents) {
    }

    private Pass pass(RationalInterval[][][] theta, BigFraction[] x, RationalInterval[][][] direction) {
        int layers = theta.length;
        RationalInterval[][] inputs = new RationalInterval[layers][];
        RationalInterval[][] slopes = new RationalInterval[layers][];
        RationalInterval[] a = Fractions.points(x);
        RationalInterval[] da = new RationalInterval[x.length];
        Arrays.fill(da, RationalInterval.ZERO);
        for (int l = 0; ; l++) {
            inputs[l] = a;
            int in = sizes[l];
            int out = sizes[l + 1];
            RationalInterval[] z = new RationalInterval[out];
            RationalInterval[] dz = new RationalInterval[out];
            for (int i = 0; i < out; i++) {
                RationalInterval[] w = theta[l][i];
                RationalInterval s = w[in];
                RationalInterval ds = direction == null ? null : direction[l][i][in];
                for (int j = 0; j < in; j++) {
                    s = s.add(w[j].multiply(a[j]));
                    if (ds != null) {
                        ds = ds.add(a[j].multiply(direction[l][i][j])).add(w[j].multiply(da[j]));
                    }
                }
                z[i] = s;
                dz[i] = ds;
            }
            if (l == layers - 1) {
                return new Pass(inputs, slopes, z, direction == null ? null : dz);
            }
            a = new RationalInterval[out];
            da = new RationalInterval[out];
            slopes[l] = new RationalInterval[out];
            for (int i = 0; i < out; i++) {
                RationalInterval zi = z[i].outward();
                a[i] = activation.value().apply(zi);
                slopes[l][i] = activation.derivative().apply(zi);
                da[i] = direction == null ? null : slopes[l][i].multiply(dz[i]).outward();
            }
        }
    }

    /** grad += J(x)ᵀ u over the box, by a reverse pass through the recorded {@link Pass}. */
    private void backward(RationalInterval[][][] theta, Pass p, RationalInterval[] u, RationalInterval[][][] grad) {
        RationalInterval[] dz = u;
        for (int l = theta.length - 1; l >= 0; l--) {
            int in = sizes[l];
            RationalInterval[] da = new RationalInterval[in];
            Arrays.fill(da, RationalInterval.ZERO);
            for (int i = 0; i < sizes[l + 1]; i++) {
                RationalInterval[] g = grad[l][i];
                g[in] = g[in].add(dz[i]);
                for (int j = 0; j < in; j++) {
                    g[j] = g[j].add(dz[i].multiply(p.inputs[l][j]));
                    da[j] = da[j].add(theta[l][i][j].multiply(dz[i]));
                }
            }
            if (l > 0) {
                dz = new RationalInterval[in];
                for (int j = 0; j < in; j++) {
                    dz[j] = p.slopes[l - 1][j].multiply(da[j]).outward();
                }
            }
        }
    }
}
