package dev.subliminal.linear;

import dev.subliminal.theory.interval.ActivationForm;
import dev.subliminal.theory.interval.IntervalModel;
import dev.subliminal.theory.interval.Interval;
import dev.subliminal.theory.model.Batch;
import dev.subliminal.theory.model.Model;
import dev.subliminal.theory.param.ParameterLayout;

/**
 * Interval evaluation of a stack of dense layers z_l = W_l a_{l−1} + b_l, a_l = φ(z_l) for hidden
 * layers (an MLP, or an {@link AffineModel}: one layer, no activation), over a box Θ of parameters.
 * Each operation of the point model's forward, tangent and reverse passes ({@link DoubleDense}) is done in
 * outward-rounded {@link Interval} arithmetic; φ and φ′ are enclosed over the pre-activation's
 * interval by the activation's {@link ActivationForm} over intervals. Parameters are read at the offsets
 * the model's {@link ParameterLayout} gives for {@code 0.weight}, {@code 0.bias}, {@code 2.weight}, ...
 */
public final class IntervalDense implements IntervalModel {

    private final Model model;
    private final int[] sizes;
    private final ActivationForm<Interval> activation;
    private final int[] weightOffsets;
    private final int[] biasOffsets;

    private IntervalDense(Model model, int[] sizes, ActivationForm<Interval> activation, int[] weightOffsets,
            int[] biasOffsets) {
        this.model = model;
        this.sizes = sizes;
        this.activation = activation;
        this.weightOffsets = weightOffsets;
        this.biasOffsets = biasOffsets;
    }

    @Override
    public Model model() {
        return model;
    }

    /**
     * The interval evaluation of a dense stack with these sizes whose hidden layers apply
     * {@code activation} (null for a single layer).
     */
    public static IntervalDense of(Model model, int[] sizes, ActivationForm<Interval> activation) {
        if (sizes.length > 2 && activation == null) {
            throw new IllegalArgumentException("a dense stack with hidden layers needs an activation");
        }
        ParameterLayout layout = model.layout();
        int layers = sizes.length - 1;
        int[] w = new int[layers];
        int[] b = new int[layers];
        for (int l = 0; l < layers; l++) {
            w[l] = layout.tensor((2 * l) + ".weight").offset();
            b[l] = layout.tensor((2 * l) + ".bias").offset();
        }
        return new IntervalDense(model, sizes.clone(), activation, w, b);
    }

    @Override
    public Tangent tangent(Interval[] theta, Batch x, int row, double[] v) {
        Pass p = new Pass(theta, x, row);
        Interval[] da = null;
        Interval[] dz = null;
        for (int l = 0; l < layers(); l++) {
            int in = sizes[l];
            int out = sizes[l + 1];
            dz = new Interval[out];
            for (int i = 0; i < out; i++) {
                Interval s = Interval.of(v[biasOffsets[l] + i]);
                int row0 = weightOffsets[l] + i * in;
                Interval[] a = p.inputOf(l);
                for (int j = 0; j < in; j++) {
                    s = s.add(a[j].multiply(v[row0 + j]));
                    if (da != null) {
                        s = s.add(theta[row0 + j].multiply(da[j]));
                    }
                }
                dz[i] = s;
            }
            if (l < layers() - 1) {
                da = new Interval[out];
                for (int i = 0; i < out; i++) {
                    da[i] = derivative(p.z[l][i]).multiply(dz[i]);
                }
            }
        }
        return new Tangent(p.z[layers() - 1], dz);
    }

    @Override
    public Interval[] forward(Interval[] theta, Batch x, int row) {
        return new Pass(theta, x, row).z[layers() - 1];
    }

    @Override
    public Interval[] vjp(Interval[] theta, Batch x, Interval[][] cotangents) {
        Interval[] grad = new Interval[theta.length];
        java.util.Arrays.fill(grad, Interval.ZERO);
        for (int r = 0; r < x.rows(); r++) {
            Pass p = new Pass(theta, x, r);
            Interval[] dz = cotangents[r].clone();
            for (int l = layers() - 1; l >= 0; l--) {
                int in = sizes[l];
                int out = sizes[l + 1];
                Interval[] a = p.inputOf(l);
                Interval[] da = l > 0 ? new Interval[in] : null;
                if (da != null) {
                    java.util.Arrays.fill(da, Interval.ZERO);
                }
                for (int i = 0; i < out; i++) {
                    grad[biasOffsets[l] + i] = grad[biasOffsets[l] + i].add(dz[i]);
                    int row0 = weightOffsets[l] + i * in;
                    for (int j = 0; j < in; j++) {
                        grad[row0 + j] = grad[row0 + j].add(dz[i].multiply(a[j]));
                        if (da != null) {
                            da[j] = da[j].add(theta[row0 + j].multiply(dz[i]));
                        }
                    }
                }
                if (da != null) {
                    dz = new Interval[in];
                    for (int j = 0; j < in; j++) {
                        dz[j] = derivative(p.z[l - 1][j]).multiply(da[j]);
                    }
                }
            }
        }
        return grad;
    }

    private int layers() {
        return sizes.length - 1;
    }

    private Interval value(Interval z) {
        return activation.value().apply(z);
    }

    private Interval derivative(Interval z) {
        return activation.derivative().apply(z);
    }

    /** The interval forward pass for one input: pre-activations z_l and activations a_l. */
    private final class Pass {
        final Interval[] x;
        final Interval[][] z = new Interval[layers()][];
        final Interval[][] a = new Interval[layers()][];

        Pass(Interval[] theta, Batch inputs, int row) {
            x = new Interval[sizes[0]];
            for (int j = 0; j < sizes[0]; j++) {
                x[j] = Interval.of(inputs.get(row, j));
            }
            for (int l = 0; l < layers(); l++) {
                int in = sizes[l];
                int out = sizes[l + 1];
                Interval[] prev = inputOf(l);
                z[l] = new Interval[out];
                for (int i = 0; i < out; i++) {
                    Interval s = theta[biasOffsets[l] + i];
                    int row0 = weightOffsets[l] + i * in;
                    for (int j = 0; j < in; j++) {
                        s = s.add(theta[row0 + j].multiply(prev[j]));
                    }
                    z[l][i] = s;
                }
                if (l < layers() - 1) {
                    a[l] = new Interval[out];
                    for (int i = 0; i < out; i++) {
                        a[l][i] = value(z[l][i]);
                    }
                }
            }
        }

        /** The input of layer l: x for the first layer, a_{l−1} after. */
        Interval[] inputOf(int l) {
            return l == 0 ? x : a[l - 1];
        }
    }
}
