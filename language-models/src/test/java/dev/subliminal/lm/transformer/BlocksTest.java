package dev.subliminal.lm.transformer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.subliminal.lm.transformer.DoubleLinear.Storage;
import dev.subliminal.theory.linalg.Gemm;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every block's tangent against central finite differences and its backward pass against the
 * tangent (adjointness), on sequences of lengths 3, 0, 5 and 1 (an empty one included), plus a few
 * values by hand.
 */
class BlocksTest {

    private static final Segments SEG = Segments.of(3, 0, 5, 1);
    private static final Gemm G = Gemm.defaults();

    @Test
    void linearInBothStoragesWithFusedParts() {
        // [out, in] parts with and without bias: 3 + 2 columns from 4 inputs.
        DoubleLinear linear = new DoubleLinear(G, 4, Storage.LINEAR, List.of(new Part(3, 0, 12), new Part(2, 15, -1)));
        BlockDerivatives.check(linear, 23, null, SEG, 1);
        DoubleLinear conv = DoubleLinear.single(G, 4, 6, Storage.CONV1D, 2, 26);
        BlockDerivatives.check(conv, 40, null, SEG, 2);
    }

    @Test
    void linearByHand() {
        // W = [[1, 2], [3, 4], [5, 6]] stored [out, in] = [3, 2], b = (0.5, 0, −1); x = (1, −1)
        double[] theta = {1, 2, 3, 4, 5, 6, 0.5, 0, -1};
        double[] y = new double[3];
        DoubleLinear.single(G, 2, 3, Storage.LINEAR, 0, 6).forward(theta, Segments.of(1), new double[] {1, -1}, y);
        assertThat(y).containsExactly(-0.5, -1, -2);
        // The same numbers read as Conv1D [in, out] = [2, 3]: W = [[1, 2, 3], [4, 5, 6]], y = xW + b
        DoubleLinear.single(G, 2, 3, Storage.CONV1D, 0, 6).forward(theta, Segments.of(1), new double[] {1, -1}, y);
        assertThat(y).containsExactly(-2.5, -3, -4);
    }

    @Test
    void layerNormAndRmsNorm() {
        BlockDerivatives.check(DoubleNorm.layerNorm(G, 5, 1e-5, 0, 5), 10, null, SEG, 3);
        BlockDerivatives.check(DoubleNorm.rmsNorm(G, 5, 1e-6, 3), 8, null, SEG, 4);
        // eps large enough to matter
        BlockDerivatives.check(DoubleNorm.layerNorm(G, 4, 0.5, 0, 4), 8, null, SEG, 5);
    }

    @Test
    void normsByHand() {
        double[] theta = {2, 2, 1, 1};
        double[] y = new double[2];
        // x = (1, 3): μ = 2, σ² = 1, x̂ = (−1, 1)/√(1 + eps)
        DoubleNorm.layerNorm(G, 2, 1e-5, 0, 2).forward(theta, Segments.of(1), new double[] {1, 3}, y);
        double r = 1 / Math.sqrt(1 + 1e-5);
        assertThat(y).containsExactly(new double[] {1 - 2 * r, 1 + 2 * r}, within(1e-15));
        // RMS: mean(x²) = 5, x̂ = x/√(5 + eps)
        DoubleNorm.rmsNorm(G, 2, 1e-6, 0).forward(theta, Segments.of(1), new double[] {1, 3}, y);
        double q = 1 / Math.sqrt(5 + 1e-6);
        assertThat(y).containsExactly(new double[] {2 * q, 6 * q}, within(1e-15));
    }

    @Test
    void activations() {
        BlockDerivatives.check(new DoubleGelu(G, 6), 0, new double[0], SEG, 6);
        BlockDerivatives.check(new DoubleSwiGlu(G, 4), 0, new double[0], SEG, 7);
        // gelu(1) with the tanh approximation; silu(1) = 1/(1 + e^−1)
        assertThat(Pointwise.gelu(1)).isCloseTo(0.5 * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * 1.044715)),
                within(1e-16));
        assertThat(Pointwise.silu(1)).isCloseTo(1 / (1 + Math.exp(-1)), within(1e-16));
        assertThat(Pointwise.silu(-800)).isEqualTo(-0.0);
        assertThat(Pointwise.siluDerivative(-800)).isZero();
    }

    @Test
    void rotaryEmbeddingIsARotationAtEachPosition() {
        DoubleRope rope = new DoubleRope(G, 2, 1, RotaryTable.of(4, 10_000, 16));
        BlockDerivatives.check(rope, 0, new double[0], SEG, 8);
        BlockDerivatives.check(rope, 0, new double[0], new Segments(new int[] {0, 2}, new int[] {2, 3},
                new int[] {5, 0}, 5), 9);
        // Position 1, head dim 4: angles (1, 1/100); q = (1, 0, 0, 0) turns to (cos 1, 0, sin 1, 0).
        double[] x = new double[2 * 16];
        x[16] = 1;
        double[] y = new double[x.length];
        rope.forward(new double[0], Segments.of(2), x, y);
        assertThat(y[16]).isCloseTo(Math.cos(1), within(1e-16));
        assertThat(y[18]).isCloseTo(Math.sin(1), within(1e-16));
        assertThat(y[17]).isZero();
        assertThat(y[19]).isZero();
    }

    @Test
    void attentionWithGroupedHeads() {
        BlockDerivatives.check(new DoubleAttention(G, 4, 2, 3), 0, new double[0], SEG, 10);
        BlockDerivatives.check(new DoubleAttention(G, 3, 1, 2), 0, new double[0], SEG, 11);
        BlockDerivatives.check(new DoubleAttention(G, 2, 2, 4), 0, new double[0], SEG, 12);
    }

    @Test
    void attentionByHand() {
        // One head of width 1: q = k = (1, 2), v = (10, 20). Row 0 sees only itself: o_0 = 10.
        // Row 1: scores (2·1, 2·2) = (2, 4), p = softmax = (1, e²)/(1 + e²), o_1 = 10 p_0 + 20 p_1.
        DoubleAttention a = new DoubleAttention(G, 1, 1, 1);
        double[] x = {1, 1, 10, 2, 2, 20};
        double[] y = new double[2];
        a.forward(new double[0], Segments.of(2), x, y);
        double p1 = Math.exp(2) / (1 + Math.exp(2));
        assertThat(y[0]).isEqualTo(10);
        assertThat(y[1]).isCloseTo(10 * (1 - p1) + 20 * p1, within(1e-13));
        // Sequences do not see each other: the same rows as two sequences of one token.
        a.forward(new double[0], Segments.of(1, 1), x, y);
        assertThat(y).containsExactly(10, 20);
    }

    @Test
    void decoderLayersOfBothLayouts() {
        TransformerConfig gpt = new TransformerConfig(TransformerConfig.Layout.GPT2, 11, 8, 6, 1, 2, 2, 3, 10, 1e-5,
                0, true, true);
        DoubleNetwork g = new DoubleNetwork(new ParameterPlan(gpt), G);
        BlockDerivatives.check(g.layers.get(0).block, g.plan.layout.size(), randomized(g.plan), SEG, 13);
        TransformerConfig llama = new TransformerConfig(TransformerConfig.Layout.LLAMA, 11, 8, 6, 1, 4, 2, 2, 7,
                1e-6, 100, false, true);
        DoubleNetwork l = new DoubleNetwork(new ParameterPlan(llama), G);
        BlockDerivatives.check(l.layers.get(0).block, l.plan.layout.size(), randomized(l.plan), SEG, 14);
    }

    private static double[] randomized(ParameterPlan net) {
        return dev.subliminal.theory.param.Vectors.axpy(net.initialize(3, 0.5), 1,
                BlockDerivatives.gaussian(dev.subliminal.theory.random.Seeds.of(99), net.layout.size(), 0.1));
    }
}
