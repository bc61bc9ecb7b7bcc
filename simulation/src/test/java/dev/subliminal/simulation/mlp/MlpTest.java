package dev.subliminal.simulation.mlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.subliminal.linear.AffineModel;
import dev.subliminal.theory.linalg.Gemm;
import dev.subliminal.theory.model.Batch;
import dev.subliminal.theory.param.Initialization;
import dev.subliminal.theory.param.ParameterLayout;
import dev.subliminal.theory.param.TensorSpec;
import dev.subliminal.theory.param.Vectors;
import dev.subliminal.theory.random.Seeds;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.commons.rng.UniformRandomProvider;
import org.junit.jupiter.api.Test;

class MlpTest {

    /** W1 = [[1, −2], [0.5, 3]], b1 = [0.5, −1], W2 = [[2, −1]], b2 = [0.25]. */
    private static double[] handTheta(Mlp mlp) {
        Map<String, double[]> named = new LinkedHashMap<>();
        named.put("0.weight", new double[] {1, -2, 0.5, 3});
        named.put("0.bias", new double[] {0.5, -1});
        named.put("2.weight", new double[] {2, -1});
        named.put("2.bias", new double[] {0.25});
        return mlp.layout().join(named);
    }

    private static final Batch X = Batch.of(new double[][] {{1, 1}, {2, -1}});

    @Test
    void layoutFollowsPyTorchNamesAndShapes() {
        Mlp mlp = new Mlp(new int[] {3, 4, 5, 2}, Activation.TANH);
        ParameterLayout layout = mlp.layout();
        assertThat(layout.names()).containsExactly("0.weight", "0.bias", "2.weight", "2.bias", "4.weight", "4.bias");
        assertThat(layout.tensors()).extracting(TensorSpec::shape).containsExactly(
                new int[] {4, 3}, new int[] {4}, new int[] {5, 4}, new int[] {5}, new int[] {2, 5}, new int[] {2});
        assertThat(layout.tensors()).extracting(TensorSpec::offset).containsExactly(0, 12, 16, 36, 41, 51);
        assertThat(mlp.parameterCount()).isEqualTo(layout.size()).isEqualTo(4 * 4 + 5 * 5 + 2 * 6);
        assertThat(mlp.layers()).isEqualTo(3);
        assertThat(mlp.inputSize()).isEqualTo(3);
        assertThat(mlp.outputSize()).isEqualTo(2);
        assertThat(mlp.describe()).isEqualTo("mlp 3-4-5-2 tanh");
        for (int[] sizes : new int[][] {{1, 1}, {7, 1}, {1, 9}, {2, 3, 3, 3, 1}}) {
            Mlp m = new Mlp(sizes, Activation.RELU);
            assertThat(m.parameterCount()).as(m.describe()).isEqualTo(m.layout().size());
        }
    }

    @Test
    void twoLayerForwardByHand() {
        Mlp relu = new Mlp(new int[] {2, 2, 1}, Activation.RELU);
        double[] theta = handTheta(relu);
        // x = (1, 1): z1 = (1 − 2 + 0.5, 0.5 + 3 − 1) = (−0.5, 2.5), a1 = (0, 2.5), f = 0 − 2.5 + 0.25
        // x = (2, −1): z1 = (2 + 2 + 0.5, 1 − 3 − 1) = (4.5, −3), a1 = (4.5, 0), f = 9 − 0 + 0.25
        assertThat(relu.forward(theta, X).data()).containsExactly(-2.25, 9.25);

        Mlp tanh = new Mlp(new int[] {2, 2, 1}, Activation.TANH);
        assertThat(tanh.forward(theta, X).data()).containsExactly(
                new double[] {2 * Math.tanh(-0.5) - Math.tanh(2.5) + 0.25, 2 * Math.tanh(4.5) - Math.tanh(-3) + 0.25},
                within(1e-14));
    }

    /** The gradient of the relu example by hand, at x = (1, 1) where only hidden unit 1 is active. */
    @Test
    void twoLayerGradientByHand() {
        Mlp relu = new Mlp(new int[] {2, 2, 1}, Activation.RELU);
        double[] theta = handTheta(relu);
        Batch x = Batch.of(new double[][] {{1, 1}});
        // ∂f/∂W2 = a1 = (0, 2.5), ∂f/∂b2 = 1, ∂f/∂b1 = W2 ⊙ relu′(z1) = (0, −1), ∂f/∂W1 = ∂f/∂b1 ⊗ x
        double[] expected = {0, 0, -1, -1, 0, -1, 0, 2.5, 1};
        assertThat(relu.vjp(theta, x, Batch.of(new double[][] {{1}}))).containsExactly(expected);
        // a cotangent of 3 scales it
        assertThat(relu.vjp(theta, x, Batch.of(new double[][] {{3}}))).containsExactly(Vectors.scale(3, expected));
        double[] v = {1, 2, 3, 4, 5, 6, 7, 8, 9};
        assertThat(relu.jvp(theta, x, v).data()).containsExactly(Vectors.dot(expected, v));
    }

    @Test
    void withoutHiddenLayersItIsTheAffineModel() {
        Mlp mlp = new Mlp(new int[] {3, 2}, Activation.GELU);
        AffineModel affine = new AffineModel(3, 2);
        assertThat(mlp.layout()).isEqualTo(affine.layout());
        double[] theta = {0.5, -1, 2, 3, 0.25, -0.75, 1, -2};
        Batch x = Batch.of(new double[][] {{1, 2, 3}, {-1, 0.5, 4}});
        assertThat(mlp.forward(theta, x)).isEqualTo(affine.forward(theta, x));
        // row 0: (0.5 − 2 + 6 + 1, 3 + 0.5 − 2.25 − 2)
        assertThat(mlp.forward(theta, x).row(0)).containsExactly(5.5, -0.75);
    }

    /**
     * The batched passes run on Gemm, whose every sum has one fixed order: the results are the same
     * bits for 1, 2 or 3 threads, and a row's output and JVP do not depend on the rest of the batch.
     * The net is large enough (600 rows, widths 64) for the products and activations to be split.
     */
    @Test
    void batchedPassesGiveTheSameBitsForAnyThreadCountAndBatch() {
        Mlp mlp = new Mlp(new int[] {40, 64, 64, 5}, Activation.TANH);
        UniformRandomProvider rng = Seeds.of(20261127L);
        double[] theta = Initialization.NORMAL_FAN_IN.initialize(mlp.layout(), rng);
        double[] v = Initialization.NORMAL_FAN_IN.initialize(mlp.layout(), rng);
        Batch x = new Batch(600, 40, rng.doubles(600 * 40, -2, 2).toArray());
        Batch u = new Batch(600, 5, rng.doubles(600 * 5, -1, 1).toArray());
        Batch f = mlp.withGemm(Gemm.serial()).forward(theta, x);
        Batch j = mlp.withGemm(Gemm.serial()).jvp(theta, x, v);
        double[] g = mlp.withGemm(Gemm.serial()).vjp(theta, x, u);
        for (int t : new int[] {2, 3}) {
            Mlp threaded = mlp.withGemm(Gemm.threads(t));
            assertThat(threaded.forward(theta, x)).as("%d threads", t).isEqualTo(f);
            assertThat(threaded.jvp(theta, x, v)).as("%d threads", t).isEqualTo(j);
            assertThat(threaded.vjp(theta, x, u)).as("%d threads", t).isEqualTo(g);
        }
        for (int r : new int[] {0, 301, 599}) {
            Batch one = Batch.of(new double[][] {x.row(r)});
            assertThat(mlp.forward(theta, one).row(0)).isEqualTo(f.row(r));
            assertThat(mlp.jvp(theta, one, v).row(0)).isEqualTo(j.row(r));
        }
    }

    @Test
    void wrongShapesAreRejectedWithClearMessages() {
        Mlp mlp = new Mlp(new int[] {2, 2, 1}, Activation.RELU);
        double[] theta = handTheta(mlp);
        assertThatThrownBy(() -> mlp.forward(theta, Batch.zeros(1, 3))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("inputs have 3 columns but the model mlp 2-2-1 relu takes 2");
        assertThatThrownBy(() -> mlp.forward(new double[5], X)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("θ has length 5, expected 9");
        assertThatThrownBy(() -> mlp.vjp(theta, X, Batch.zeros(2, 2))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cotangents are 2×2, expected 2×1");
        assertThatThrownBy(() -> mlp.jvp(theta, X, new double[3])).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("direction has length 3, expected 9");
        assertThatThrownBy(() -> new Mlp(new int[] {3}, Activation.RELU)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("[3]");
        assertThatThrownBy(() -> new Mlp(new int[] {3, 0, 2}, Activation.RELU))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[3, 0, 2]");
        assertThatThrownBy(() -> new Mlp(new int[] {3, 2}, null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("activation");
    }
}
