package dev.subliminal.simulation.conv;

import dev.subliminal.simulation.mlp.Activation;
import dev.subliminal.spec.Names;
import dev.subliminal.theory.linalg.Gemm;
import dev.subliminal.theory.model.Batch;
import dev.subliminal.theory.model.Model;
import dev.subliminal.theory.param.ParameterLayout;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * A small convolutional network ({@link ConvGeometry}): k × k convolutions with stride s and zero
 * padding, each followed by φ, a channel-first flatten, then dense layers with φ after each but the
 * last: f_θ(x) = W_out φ(... φ(W_1 flatten(φ(conv_L(... φ(conv_1(x)))))) ...) + b_out. The forward,
 * vector-Jacobian and Jacobian-vector products run on {@link DoubleConvNetwork} (its float twin is
 * what the MNIST experiment trains).
 *
 * <p>Batched passes run on {@code gemm}, the matrix kernels' context (thread count): it changes the
 * speed, never a result, and is not part of the model's identity.
 *
 * @param geometry the shapes
 * @param activation φ
 * @param gemm the context of the matrix products (default {@link Gemm#defaults()})
 */
public record Cnn(ConvGeometry geometry, Activation activation, Gemm gemm) implements Model {

    public Cnn {
        if (geometry == null || activation == null) {
            throw new IllegalArgumentException("a geometry and an activation must be given");
        }
        geometry.parameterCount();
        if (gemm == null) {
            gemm = Gemm.defaults();
        }
    }

    /** The network whose products use all processors. */
    public Cnn(ConvGeometry geometry, Activation activation) {
        this(geometry, activation, Gemm.defaults());
    }

    /** The same network with its products on another context; results do not change. */
    public Cnn withGemm(Gemm context) {
        return new Cnn(geometry, activation, context);
    }

    @Override
    public ParameterLayout layout() {
        return geometry.layout();
    }

    @Override
    public int inputSize() {
        return geometry.inputs();
    }

    @Override
    public int outputSize() {
        return geometry.outputs();
    }

    @Override
    public int parameterCount() {
        return geometry.parameterCount();
    }

    /** The batched passes of this network, in double precision. */
    public DoubleConvNetwork network() {
        return new DoubleConvNetwork(geometry, activation, gemm);
    }

    @Override
    public Batch forward(double[] theta, Batch x) {
        requireShapes(theta, x);
        DoubleConvNetwork net = network();
        DoubleConvNetwork.Workspace ws = net.workspace(x.rows());
        net.forward(theta, x.data(), x.rows(), ws, false);
        return new Batch(x.rows(), outputSize(), Arrays.copyOf(ws.outputs(), x.rows() * outputSize()));
    }

    @Override
    public double[] vjp(double[] theta, Batch x, Batch u) {
        requireShapes(theta, x);
        if (u.rows() != x.rows() || u.cols() != outputSize()) {
            throw new IllegalArgumentException("cotangents are " + u.rows() + "×" + u.cols() + ", expected "
                    + x.rows() + "×" + outputSize());
        }
        DoubleConvNetwork net = network();
        DoubleConvNetwork.Workspace ws = net.workspace(x.rows());
        net.forward(theta, x.data(), x.rows(), ws, true);
        System.arraycopy(u.data(), 0, ws.outputGradient(), 0, u.data().length);
        double[] grad = new double[net.parameterCount()];
        net.backward(theta, x.data(), x.rows(), ws, grad);
        return grad;
    }

    @Override
    public Batch jvp(double[] theta, Batch x, double[] v) {
        requireShapes(theta, x);
        layout().requireVector(v, "direction");
        DoubleConvNetwork net = network();
        DoubleConvNetwork.Workspace ws = net.workspace(x.rows());
        net.forward(theta, x.data(), x.rows(), ws, true);
        double[] out = new double[x.rows() * outputSize()];
        net.tangent(theta, v, x.data(), x.rows(), ws, out);
        return new Batch(x.rows(), outputSize(), out);
    }

    /**
     * Hidden pre-activations (convolutional and dense), over all inputs, exactly at ReLU's kink z = 0,
     * where f is not differentiable (PyTorch's convention φ′(0) = 0 is used); 0 for smooth activations.
     */
    @Override
    public int kinks(double[] theta, Batch x) {
        requireShapes(theta, x);
        if (activation != Activation.RELU) {
            return 0;
        }
        DoubleConvNetwork net = network();
        DoubleConvNetwork.Workspace ws = net.workspace(x.rows());
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

    @Override
    public String describe() {
        ConvGeometry g = geometry;
        return "cnn " + g.inputChannels() + "x" + g.height() + "x" + g.width() + " conv "
                + Arrays.stream(g.channels()).mapToObj(Integer::toString).collect(Collectors.joining(","))
                + " k" + g.kernel() + " s" + g.stride() + " dense "
                + Arrays.stream(g.denseSizes()).mapToObj(Integer::toString).collect(Collectors.joining("-")) + " "
                + Names.of(activation);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Cnn c && c.geometry.equals(geometry) && c.activation == activation;
    }

    @Override
    public int hashCode() {
        return geometry.hashCode() * 31 + activation.hashCode();
    }

    @Override
    public String toString() {
        return describe();
    }
}
