package dev.subliminal.experiments.mnist;

import dev.subliminal.simulation.conv.Cnn;
import dev.subliminal.simulation.conv.ConvGeometry;
import dev.subliminal.simulation.conv.FloatConvNetwork;
import dev.subliminal.simulation.mlp.Activation;
import dev.subliminal.simulation.mlp.FloatMlpNetwork;
import dev.subliminal.simulation.mlp.FloatNetwork;
import dev.subliminal.simulation.mlp.Mlp;
import dev.subliminal.theory.linalg.Gemm;
import dev.subliminal.theory.model.Model;

/**
 * One network the MNIST experiment trains in float (the MLP 784-w-w-(10+m), or a CNN student) with
 * its workspace for one batch, and the same network in double precision for the predictors. Every
 * network ends in a head of w → 10 + m, its last dense layer, whose weight and bias sit at
 * {@link #headOffset()}: two networks with equal head shapes can swap heads.
 */
abstract class Network {

    private final Model model;
    private final int headOffset;
    private final int headIn;

    private Network(Model model, int headOffset, int headIn) {
        this.model = model;
        this.headOffset = headOffset;
        this.headIn = headIn;
    }

    /** The MLP with these sizes, ReLU. */
    static Network mlp(int[] sizes, Gemm gemm, int batch) {
        return of(new FloatMlpNetwork(sizes, Activation.RELU, gemm), batch, new Mlp(sizes, Activation.RELU, gemm),
                Predictors.layerOffset(sizes, sizes.length - 2), sizes[sizes.length - 2]);
    }

    /** The CNN of this geometry, ReLU. */
    static Network cnn(ConvGeometry geometry, Gemm gemm, int batch) {
        int[] dense = geometry.denseSizes();
        return of(new FloatConvNetwork(geometry, Activation.RELU, gemm), batch, new Cnn(geometry, Activation.RELU, gemm),
                geometry.denseOffset(dense.length - 2), dense[dense.length - 2]);
    }

    /** {@code net} with its workspace for {@code batch} rows, and {@code model} its double twin. */
    private static <W extends FloatNetwork.Workspace> Network of(FloatNetwork<W> net, int batch, Model model,
            int headOffset, int headIn) {
        W ws = net.workspace(batch);
        return new Network(model, headOffset, headIn) {
            @Override
            int parameterCount() {
                return net.parameterCount();
            }

            @Override
            int outputs() {
                return net.outputs();
            }

            @Override
            void forward(float[] theta, float[] x, int rows, boolean slopes) {
                net.forward(theta, x, rows, ws, slopes);
            }

            @Override
            void backward(float[] theta, float[] x, int rows, float[] gradient) {
                net.backward(theta, x, rows, ws, gradient);
            }

            @Override
            void tangent(float[] theta, float[] v, float[] x, int rows, float[] out) {
                net.tangent(theta, v, x, rows, ws, out);
            }

            @Override
            float[] output() {
                return ws.outputs();
            }

            @Override
            float[] outputGradient() {
                return ws.outputGradient();
            }
        };
    }

    /** The same network in double precision (the same layout). */
    final Model model() {
        return model;
    }

    /** Where the head (the last layer's weight [10 + m, w], then its bias) starts in θ. */
    final int headOffset() {
        return headOffset;
    }

    /** w, the head's input width. */
    final int headIn() {
        return headIn;
    }

    /** The number of the head's parameters, (10 + m)(w + 1). */
    final int headSize() {
        return outputs() * (headIn + 1);
    }

    abstract int parameterCount();

    abstract int outputs();

    /** The forward pass of the first rows of x into {@link #output()}, keeping slopes if asked. */
    abstract void forward(float[] theta, float[] x, int rows, boolean slopes);

    /** The gradient Σ_rows J_xᵀ u_x with u = {@link #outputGradient()}, after a forward pass with slopes. */
    abstract void backward(float[] theta, float[] x, int rows, float[] gradient);

    /** J_x v per row into {@code out}, after a forward pass with slopes. */
    abstract void tangent(float[] theta, float[] v, float[] x, int rows, float[] out);

    /** The last forward pass's outputs, rows × (10 + m). */
    abstract float[] output();

    /** Where ∂L/∂outputs goes before {@link #backward}. */
    abstract float[] outputGradient();
}
