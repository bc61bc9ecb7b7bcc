package dev.subliminal.simulation.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.subliminal.simulation.sweep.Regime;
import java.io.IOException;
import java.io.InputStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * SGD, Adam and AdamW, with gradient clipping and a warm-up + cosine schedule, in double and in the
 * generated float twin, against PyTorch 1.13's trajectories on the same gradients
 * ({@code src/test/python/optimizer_reference.py} wrote {@code optim/torch-trajectories.json}), and
 * against hand-computed steps.
 */
class OptimizerTest {

    private static final JsonNode TORCH = read();

    private static JsonNode read() {
        try (InputStream in = OptimizerTest.class.getResourceAsStream("/optim/torch-trajectories.json")) {
            return new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The optimizer a reference case names. */
    private static OptimizerSpec spec(String name) {
        OptimizerKind kind = name.startsWith("sgd") ? OptimizerKind.SGD
                : name.startsWith("adamw") ? OptimizerKind.ADAMW : OptimizerKind.ADAM;
        double wd = name.contains("wd=0.01") ? 0.01 : name.contains("wd=0.05") ? 0.05 : 0;
        OptimizerSpec s = OptimizerSpec.of(kind, 0.1, wd);
        if (name.contains("clip=0.5")) {
            s = s.withClipNorm(0.5);
        }
        if (name.contains("warmup=2")) {
            s = s.withRate(LearningRate.warmupCosine(0.1, 2, 4, 0.1));
        }
        return s;
    }

    static Stream<JsonNode> cases() {
        return Stream.iterate(0, i -> i + 1).limit(TORCH.get("cases").size()).map(i -> TORCH.get("cases").get(i));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void trajectoriesMatchPyTorch(JsonNode c) {
        OptimizerSpec spec = spec(c.get("name").asText());
        JsonNode gradients = TORCH.get("gradients");
        int p = TORCH.get("theta0").size();
        if (c.get("dtype").asText().equals("float64")) {
            double[] theta = new double[p];
            for (int i = 0; i < p; i++) {
                theta[i] = TORCH.get("theta0").get(i).asDouble();
            }
            DoubleOptimizer o = DoubleOptimizer.of(spec, p);
            for (int t = 0; t < gradients.size(); t++) {
                double[] g = new double[p];
                for (int i = 0; i < p; i++) {
                    g[i] = gradients.get(t).get(i).asDouble();
                }
                o.step(theta, g, null);
                for (int i = 0; i < p; i++) {
                    // float64 reference: agreement to a few ulps of θ ~ 1
                    assertThat(theta[i]).as("%s θ_%d[%d]", c.get("name"), t + 1, i)
                            .isCloseTo(c.get("theta").get(t).get(i).asDouble(), within(1e-14));
                }
            }
        } else {
            float[] theta = new float[p];
            for (int i = 0; i < p; i++) {
                theta[i] = (float) TORCH.get("theta0").get(i).asDouble();
            }
            FloatOptimizer o = FloatOptimizer.of(spec, p);
            for (int t = 0; t < gradients.size(); t++) {
                float[] g = new float[p];
                for (int i = 0; i < p; i++) {
                    g[i] = (float) gradients.get(t).get(i).asDouble();
                }
                o.step(theta, g, null);
                for (int i = 0; i < p; i++) {
                    // float32 reference: PyTorch fuses some multiply-adds, so a few float ulps apart
                    assertThat((double) theta[i]).as("%s θ_%d[%d]", c.get("name"), t + 1, i)
                            .isCloseTo(c.get("theta").get(t).get(i).asDouble(), within(1e-6));
                }
            }
        }
    }

    @Test
    void adamsFirstUpdateIsTheGradientOverItsMagnitude() {
        // by hand: m̂_1 = g, v̂_1 = g², so u_1 = −g/(|g| + δ) whatever β1, β2
        double[] g = {3e-7, -2.5, 0.0, 1e3};
        double[] u = new double[4];
        OptimizerSpec spec = new OptimizerSpec(OptimizerKind.ADAM, LearningRate.constant(0.01), 0, 0.5, 0.75, 1e-8, 0);
        DoubleOptimizer.of(spec, 4).step(new double[4], g, u);
        for (int i = 0; i < g.length; i++) {
            assertThat(u[i]).isCloseTo(-g[i] / (Math.abs(g[i]) + 1e-8), within(1e-15));
        }
    }

    @Test
    void sgdsUpdateIsTheNegativeGradientOfLossPlusDecayByFiniteDifferences() {
        // L(θ) = Σ sin(θ_i)·i + (λ/2)‖θ‖²; central differences with h = 1e-6
        double lambda = 0.3;
        double[] theta = {0.2, -0.7, 1.1};
        double[] g = new double[3];
        for (int i = 0; i < 3; i++) {
            g[i] = Math.cos(theta[i]) * (i + 1);
        }
        double[] u = new double[3];
        DoubleOptimizer.of(OptimizerSpec.of(OptimizerKind.SGD, 1, lambda), 3).step(theta.clone(), g, u);
        for (int i = 0; i < 3; i++) {
            double h = 1e-6;
            double[] plus = theta.clone();
            double[] minus = theta.clone();
            plus[i] += h;
            minus[i] -= h;
            double fd = (loss(plus, lambda) - loss(minus, lambda)) / (2 * h);
            assertThat(u[i]).isCloseTo(-fd, within(1e-8));
        }
    }

    private static double loss(double[] theta, double lambda) {
        double s = 0;
        for (int i = 0; i < theta.length; i++) {
            s += Math.sin(theta[i]) * (i + 1) + 0.5 * lambda * theta[i] * theta[i];
        }
        return s;
    }

    @Test
    void theWarmUpCosineScheduleHasItsShape() {
        LearningRate r = LearningRate.warmupCosine(1, 10, 110, 0.1);
        assertThat(r.at(1)).isEqualTo(0.1);
        assertThat(r.at(10)).isEqualTo(1);
        assertThat(r.at(60)).isCloseTo(0.55, within(1e-15)); // halfway: the mean of 1 and 0.1
        assertThat(r.at(110)).isEqualTo(0.1);
        assertThat(r.at(500)).isEqualTo(0.1);
        for (int t = 11; t < 110; t++) {
            assertThat(r.at(t + 1)).isLessThan(r.at(t));
        }
    }

    @Test
    void optimizersKeepTheirStateAndRejectBadSettings() {
        DoubleOptimizer a = DoubleOptimizer.of(OptimizerSpec.of(OptimizerKind.ADAM, 0.1, 0), 4);
        a.step(new double[4], new double[] {1, 2, 3, 4}, null);
        a.step(new double[4], new double[] {1, 2, 3, 4}, null);
        assertThat(a.steps()).isEqualTo(2);
        assertThatThrownBy(() -> a.step(new double[2], new double[2], null)).hasMessageContaining("started on 4");
        assertThatThrownBy(() -> OptimizerSpec.of(OptimizerKind.ADAM, -1, 0)).hasMessageContaining("learning rate = -1.0");
        assertThatThrownBy(() -> OptimizerSpec.of(OptimizerKind.SGD, 0.1, Double.NaN))
                .hasMessageContaining("weight decay = NaN");
        assertThatThrownBy(() -> new OptimizerSpec(OptimizerKind.ADAM, LearningRate.constant(0.1), 0, 1, 0.9, 1e-8, 0))
                .hasMessageContaining("β1 = 1.0");
        assertThatThrownBy(() -> LearningRate.warmupCosine(0.1, 5, 3, 0)).hasMessageContaining("warm-up of 5 steps");
        assertThat(Regime.OPTIMIZER.parse("adamw").kind()).isEqualTo(OptimizerKind.ADAMW);
        assertThat(Regime.OPTIMIZER.parse("flow").kind()).as("the gradient flow is no step-wise optimizer").isNull();
        assertThatThrownBy(() -> Regime.OPTIMIZER.parse("rmsprop")).hasMessageContaining("--optimizer: unknown value 'rmsprop'");
    }

    /**
     * A run stopped after 3 steps and resumed from its saved state (step count, m and v copied out) in a
     * fresh optimizer takes the same 4 following steps, bit for bit, in both precisions; a state of the
     * wrong shape is refused.
     */
    @Test
    void aRestoredOptimizerContinuesBitForBit() {
        OptimizerSpec spec = OptimizerSpec.of(OptimizerKind.ADAMW, 0.05, 0.01).withClipNorm(1)
                .withRate(LearningRate.warmupCosine(0.05, 2, 7, 0.1));
        float[][] g = new float[7][];
        for (int t = 0; t < 7; t++) {
            g[t] = new float[] {t + 1, -2.5f * t, 0.125f, (float) Math.sin(t)};
        }
        float[] straight = {1, -1, 0.5f, 2};
        float[] resumed = straight.clone();
        FloatOptimizer whole = FloatOptimizer.of(spec, 4);
        FloatOptimizer first = FloatOptimizer.of(spec, 4);
        for (int t = 0; t < 7; t++) {
            whole.step(straight, g[t], null);
        }
        for (int t = 0; t < 3; t++) {
            first.step(resumed, g[t], null);
        }
        java.util.Map<String, float[]> saved = new java.util.LinkedHashMap<>();
        first.buffers().forEach((k, v) -> saved.put(k, v.clone()));
        assertThat(saved).containsOnlyKeys("exp_avg", "exp_avg_sq");
        FloatOptimizer second = FloatOptimizer.of(spec, 4);
        second.restore(first.steps(), saved);
        for (int t = 3; t < 7; t++) {
            second.step(resumed, g[t], null);
        }
        assertThat(second.steps()).isEqualTo(7);
        assertThat(resumed).containsExactly(straight);

        double[] d = {1, 2};
        DoubleOptimizer adam = DoubleOptimizer.of(spec, 2);
        adam.step(d, new double[] {1, 1}, null);
        DoubleOptimizer other = DoubleOptimizer.of(spec, 2);
        other.restore(1, adam.buffers());
        assertThat(other.buffers().get("exp_avg")).containsExactly(adam.buffers().get("exp_avg"));
        assertThatThrownBy(() -> other.restore(1, java.util.Map.of("exp_avg", new double[2])))
                .hasMessageContaining("holds [exp_avg, exp_avg_sq]");
        assertThatThrownBy(() -> other.restore(1, java.util.Map.of("exp_avg", new double[3], "exp_avg_sq",
                new double[2]))).hasMessageContaining("'exp_avg' has 3 entries, expected 2");
        DoubleOptimizer sgd = DoubleOptimizer.of(OptimizerSpec.of(OptimizerKind.SGD, 0.1, 0), 2);
        assertThat(sgd.buffers()).isEmpty();
        sgd.restore(5, java.util.Map.of());
        assertThat(sgd.steps()).isEqualTo(5);
    }

    @Test
    void floatAdamOnAHandComputedCase() {
        // lr 0.1, β = (0.9, 0.999), eps 1e-8, no decay. Step 1, g = 0.5: m = 0.05, v = 0.00025,
        // m̂ = 0.5, v̂ = 0.25, θ −= 0.1·0.5/(0.5 + 1e-8) = 0.1. Step 2, g = −0.5: m = 0.045 − 0.05 = −0.005,
        // v = 0.999·0.00025 + 0.00025 = 0.00049975, m̂ = −0.005/0.19 = −1/38, v̂ = 0.00049975/0.001999 = 0.25,
        // θ −= 0.1·(−1/38)/0.5 = −1/190. So θ = 1 − 0.1 + 1/190 = 0.905263158.
        FloatOptimizer adam = FloatOptimizer.of(OptimizerSpec.of(OptimizerKind.ADAM, 0.1, 0), 1);
        float[] theta = {1f};
        adam.step(theta, new float[] {0.5f}, null);
        assertThat(theta[0]).isCloseTo(0.9f, within(1e-6f));
        adam.step(theta, new float[] {-0.5f}, null);
        assertThat(theta[0]).isCloseTo(0.905263158f, within(1e-6f));
    }

    @Test
    void adamWithAConstantGradientMovesEachCoordinateByLrPerStepAndDecayAddsLambdaTheta() {
        FloatOptimizer adam = FloatOptimizer.of(OptimizerSpec.of(OptimizerKind.ADAM, 0.01, 0), 2);
        float[] theta = {0f, 0f};
        for (int t = 0; t < 3; t++) {
            adam.step(theta, new float[] {3f, -1e-3f}, null);
        }
        assertThat(theta[0]).isCloseTo(-0.03f, within(1e-6f));
        assertThat(theta[1]).isCloseTo(0.03f, within(1e-6f));
        // weight decay λ = 0.5 at θ = 2 with g = −1: effective gradient 0, so Adam does not move
        FloatOptimizer decayed = FloatOptimizer.of(OptimizerSpec.of(OptimizerKind.ADAM, 0.01, 0.5), 1);
        float[] w = {2f};
        decayed.step(w, new float[] {-1f}, null);
        assertThat(w[0]).isEqualTo(2f);
    }

    @Test
    void sgdStepsAgainstTheDecayedGradient() {
        // θ = 2, g = 1, lr 0.1, λ = 0.5: θ − 0.1·(1 + 1) = 1.8
        float[] theta = {2f};
        FloatOptimizer.of(OptimizerSpec.of(OptimizerKind.SGD, 0.1, 0.5), 1).step(theta, new float[] {1f}, null);
        assertThat(theta[0]).isCloseTo(1.8f, within(1e-6f));
    }

}
