package dev.subliminal.simulation.conv;

import dev.subliminal.simulation.mlp.Activation;
import dev.subliminal.simulation.mlp.NetworkModel;
import dev.subliminal.spec.Names;
import dev.subliminal.theory.linalg.Gemm;
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
public record Cnn(ConvGeometry geometry, Activation activation, Gemm gemm) implements NetworkModel {

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
