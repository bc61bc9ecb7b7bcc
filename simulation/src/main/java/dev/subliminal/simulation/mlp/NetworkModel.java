package dev.subliminal.simulation.mlp;

import dev.subliminal.theory.model.Batch;
import dev.subliminal.theory.model.Linearization;
import dev.subliminal.theory.model.Model;
import dev.subliminal.theory.param.ParameterLayout;
import java.util.Arrays;

/**
 * A model whose passes are a {@link DoubleNetwork}'s: f_θ(x) by its forward pass, the VJP
 * Σ_rows J_xᵀ u_x by its reverse pass and the JVP J_θ f · v by its tangent pass, each over a workspace
 * of the batch's rows; the kinks are counted on its hidden pre-activations.
 */
public interface NetworkModel extends Model {

    /** The batched passes of this model, in double precision. */
    DoubleNetwork<?> network();

    /** φ, the hidden layers' activation. */
    Activation activation();

    @Override
    default Batch forward(double[] theta, Batch x) {
        requireShapes(theta, x);
        return outputs(network(), theta, x);
    }

    @Override
    default double[] vjp(double[] theta, Batch x, Batch u) {
        requireShapes(theta, x);
        requireCotangents(u, x.rows(), outputSize());
        return gradient(network(), theta, x, u);
    }

    /**
     * One forward pass (keeping φ′) at θ over x, whose workspace every later VJP and JVP of the
     * linearization reuses: each runs only its backward or tangent pass, which overwrite the buffers
     * they read, so the numbers are those of {@link #vjp} and {@link #jvp}, bit for bit.
     */
    @Override
    default Linearization linearize(double[] theta, Batch x) {
        requireShapes(theta, x);
        return linearization(network(), theta, x);
    }

    @Override
    default Batch jvp(double[] theta, Batch x, double[] v) {
        requireShapes(theta, x);
        ParameterLayout.requireLength(v, parameterCount(), "direction");
        return tangent(network(), theta, x, v);
    }

    /**
     * The number of hidden pre-activations, over all inputs, that sit exactly on ReLU's kink (z = 0).
     * There f is not differentiable: the JVP and VJP use PyTorch's convention φ′(0) = 0, and the
     * first-order expansion in ε can be off by an O(1) factor. Zero biases make this common in narrow
     * ReLU nets (a dead unit feeds an exact 0 forward). Always 0 for smooth activations.
     */
    @Override
    default int kinks(double[] theta, Batch x) {
        requireShapes(theta, x);
        return activation() == Activation.RELU ? zeros(network(), theta, x) : 0;
    }

    private static <W extends DoubleNetwork.Workspace> Batch outputs(DoubleNetwork<W> net, double[] theta, Batch x) {
        W ws = net.workspace(x.rows());
        net.forward(theta, x.data(), x.rows(), ws, false);
        int size = x.rows() * net.outputs();
        double[] out = ws.outputs();
        return new Batch(x.rows(), net.outputs(), out.length == size ? out : Arrays.copyOf(out, size));
    }

    private static void requireCotangents(Batch u, int rows, int n) {
        if (u.rows() != rows || u.cols() != n) {
            throw new IllegalArgumentException("cotangents are " + u.rows() + "×" + u.cols() + ", expected "
                    + rows + "×" + n);
        }
    }

    private static <W extends DoubleNetwork.Workspace> double[] gradient(DoubleNetwork<W> net, double[] theta, Batch x,
            Batch u) {
        W ws = net.workspace(x.rows());
        net.forward(theta, x.data(), x.rows(), ws, true);
        return backward(net, theta, x, ws, u);
    }

    /** The VJP from a workspace that holds the forward pass (with φ′) at θ over x. */
    private static <W extends DoubleNetwork.Workspace> double[] backward(DoubleNetwork<W> net, double[] theta, Batch x,
            W ws, Batch u) {
        System.arraycopy(u.data(), 0, ws.outputGradient(), 0, u.data().length);
        double[] grad = new double[net.parameterCount()];
        net.backward(theta, x.data(), x.rows(), ws, grad);
        return grad;
    }

    private static <W extends DoubleNetwork.Workspace> Batch tangent(DoubleNetwork<W> net, double[] theta, Batch x,
            double[] v) {
        W ws = net.workspace(x.rows());
        net.forward(theta, x.data(), x.rows(), ws, true);
        return tangent(net, theta, x, ws, v);
    }

    /** The JVP from a workspace that holds the forward pass (with φ′) at θ over x. */
    private static <W extends DoubleNetwork.Workspace> Batch tangent(DoubleNetwork<W> net, double[] theta, Batch x,
            W ws, double[] v) {
        double[] out = new double[x.rows() * net.outputs()];
        net.tangent(theta, v, x.data(), x.rows(), ws, out);
        return new Batch(x.rows(), net.outputs(), out);
    }

    private static <W extends DoubleNetwork.Workspace> Linearization linearization(DoubleNetwork<W> net,
            double[] theta, Batch x) {
        W ws = net.workspace(x.rows());
        net.forward(theta, x.data(), x.rows(), ws, true);
        int n = net.outputs();
        Batch outputs = new Batch(x.rows(), n, Arrays.copyOf(ws.outputs(), x.rows() * n));
        return new Linearization() {
            @Override
            public Batch outputs() {
                return outputs;
            }

            @Override
            public double[] vjp(Batch u) {
                requireCotangents(u, x.rows(), n);
                return backward(net, theta, x, ws, u);
            }

            @Override
            public Batch jvp(double[] v) {
                ParameterLayout.requireLength(v, net.parameterCount(), "direction");
                return tangent(net, theta, x, ws, v);
            }
        };
    }

    private static <W extends DoubleNetwork.Workspace> int zeros(DoubleNetwork<W> net, double[] theta, Batch x) {
        W ws = net.workspace(x.rows());
        net.forward(theta, x.data(), x.rows(), ws, false);
        int count = 0;
        for (int i = 0; i < net.hiddenLayers(); i++) {
            double[] z = ws.preActivations(i);
            for (int k = 0; k < x.rows() * net.units(i); k++) {
                count += z[k] == 0 ? 1 : 0;
            }
        }
        return count;
    }
}
