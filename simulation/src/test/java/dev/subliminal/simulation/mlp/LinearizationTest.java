package dev.subliminal.simulation.mlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.subliminal.linear.AffineModel;
import dev.subliminal.simulation.conv.Cnn;
import dev.subliminal.simulation.conv.ConvGeometry;
import dev.subliminal.theory.model.Batch;
import dev.subliminal.theory.model.Linearization;
import dev.subliminal.theory.model.Model;
import dev.subliminal.theory.param.Initialization;
import dev.subliminal.theory.random.Seeds;
import java.util.List;
import org.apache.commons.rng.UniformRandomProvider;
import org.junit.jupiter.api.Test;

/**
 * {@link Model#linearize}: a network's linearization shares one forward pass between its outputs,
 * VJPs and JVPs, and each must equal the model's own {@code forward}, {@code vjp} and {@code jvp} at the
 * same θ and x bit for bit, in any order and however often they are asked (the workspace is reused).
 */
class LinearizationTest {

    /** n values uniform on [−1, 1). */
    private static double[] uniform(UniformRandomProvider rng, int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = 2 * rng.nextDouble() - 1;
        }
        return v;
    }

    private static Batch batch(UniformRandomProvider rng, int rows, int cols) {
        return new Batch(rows, cols, uniform(rng, rows * cols));
    }

    @Test
    void sharesTheForwardPassAndGivesTheModelsNumbersBitForBit() {
        List<Model> models = List.of(new Mlp(new int[] {4, 8, 3}, Activation.TANH),
                new Mlp(new int[] {3, 5, 4, 2}, Activation.RELU), new Mlp(new int[] {2, 6, 1}, Activation.GELU),
                new Cnn(new ConvGeometry(2, 5, 6, new int[] {3, 2}, 3, 2, new int[] {4, 3}), Activation.TANH),
                new AffineModel(3, 2));
        long seed = 20261204L;
        UniformRandomProvider rng = Seeds.stream(seed, "linearization");
        for (Model m : models) {
            int rows = 7;
            double[] theta = Initialization.NORMAL_FAN_IN.initialize(m.layout(), rng);
            Batch x = batch(rng, rows, m.inputSize());
            Batch u1 = batch(rng, rows, m.outputSize());
            Batch u2 = batch(rng, rows, m.outputSize());
            double[] v1 = uniform(rng, m.parameterCount());
            double[] v2 = uniform(rng, m.parameterCount());
            Linearization at = m.linearize(theta, x);
            String what = m.describe() + " seed " + seed;
            assertThat(at.outputs()).as(what).isEqualTo(m.forward(theta, x));
            // interleaved, repeated: each product overwrites the buffers it reads before reading them
            assertThat(at.vjp(u1)).as(what).isEqualTo(m.vjp(theta, x, u1));
            assertThat(at.jvp(v1).data()).as(what).isEqualTo(m.jvp(theta, x, v1).data());
            assertThat(at.vjp(u2)).as(what).isEqualTo(m.vjp(theta, x, u2));
            assertThat(at.jvp(v2).data()).as(what).isEqualTo(m.jvp(theta, x, v2).data());
            assertThat(at.vjp(u1)).as(what).isEqualTo(m.vjp(theta, x, u1));
            assertThat(at.outputs()).as(what).isEqualTo(m.forward(theta, x));
            assertThatThrownBy(() -> at.vjp(batch(rng, rows + 1, m.outputSize()))).as(what)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cotangents are 8×");
            assertThatThrownBy(() -> at.jvp(new double[m.parameterCount() + 1])).as(what)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("direction has length");
        }
    }
}
