package dev.subliminal.theory.loss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.subliminal.theory.model.Batch;
import dev.subliminal.theory.model.Model;
import dev.subliminal.theory.param.ParameterLayout;
import dev.subliminal.theory.random.Seeds;
import java.util.function.ToDoubleFunction;
import org.apache.commons.rng.UniformRandomProvider;
import org.junit.jupiter.api.Test;

class TraitLossTest {

    /**
     * A tiny model with one parameter per output, f_θ(x)_i = θ_i·x_i (d = n = p), so J_x = diag(x) and
     * every gradient can be written by hand.
     */
    record ScaleModel(int n) implements Model {
        @Override
        public ParameterLayout layout() {
            return ParameterLayout.builder().add("scale", n).build();
        }

        @Override
        public int inputSize() {
            return n;
        }

        @Override
        public int outputSize() {
            return n;
        }

        @Override
        public Batch forward(double[] theta, Batch x) {
            requireShapes(theta, x);
            double[] z = new double[x.data().length];
            for (int r = 0; r < x.rows(); r++) {
                for (int i = 0; i < n; i++) {
                    z[r * n + i] = theta[i] * x.get(r, i);
                }
            }
            return new Batch(x.rows(), n, z);
        }

        @Override
        public double[] vjp(double[] theta, Batch x, Batch u) {
            requireShapes(theta, x);
            double[] g = new double[n];
            for (int r = 0; r < x.rows(); r++) {
                for (int i = 0; i < n; i++) {
                    g[i] += x.get(r, i) * u.get(r, i);
                }
            }
            return g;
        }

        @Override
        public Batch jvp(double[] theta, Batch x, double[] v) {
            return forward(v, x);
        }

        @Override
        public String describe() {
            return "scale " + n;
        }
    }

    private static final double H = 1e-6;

    private static double[] centralDifferences(ToDoubleFunction<double[]> f, double[] theta) {
        double[] g = new double[theta.length];
        for (int k = 0; k < theta.length; k++) {
            double[] plus = theta.clone();
            double[] minus = theta.clone();
            plus[k] += H;
            minus[k] -= H;
            g[k] = (f.applyAsDouble(plus) - f.applyAsDouble(minus)) / (2 * H);
        }
        return g;
    }

    private static double[] uniform(UniformRandomProvider rng, int n, double half) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = half * (2 * rng.nextDouble() - 1);
        }
        return v;
    }

    /** The contract's VJP into an array, by default a copy of the new array's entries: all of them. */
    @Test
    void vjpIntoAnArrayIsTheNewArraysEntries() {
        ScaleModel model = new ScaleModel(3);
        double[] theta = {0.5, -2, 3};
        Batch x = Batch.of(new double[][] {{1, 2, 3}, {-1, 0.5, 4}});
        Batch u = Batch.of(new double[][] {{0.25, 1, -1}, {2, -3, 0.5}});
        double[] out = {Double.NaN, Double.NaN, Double.NaN};
        // Σ_x x_i·u_x,i by hand
        assertThat(model.vjp(theta, x, u, out)).isSameAs(out).containsExactly(0.25 - 2, 2 - 1.5, -3 + 2);
        assertThatThrownBy(() -> model.vjp(theta, x, u, theta)).hasMessageContaining("θ's own array");
        assertThatThrownBy(() -> model.vjp(theta, x, u, new double[4])).hasMessageContaining("the VJP's output");
    }

    @Test
    void crossEntropyTraitValueAndGradientByHand() {
        UniformRandomProvider rng = Seeds.stream(31, "ce-trait");
        for (int trial = 0; trial < 30; trial++) {
            int n = 1 + rng.nextInt(5);
            int rows = 1 + rng.nextInt(6);
            ScaleModel model = new ScaleModel(n);
            Batch x = new Batch(rows, n, uniform(rng, rows * n, 2));
            int[] labels = new int[rows];
            for (int r = 0; r < rows; r++) {
                labels[r] = rng.nextInt(n);
            }
            double[] theta = uniform(rng, n, 2);
            CrossEntropyTrait trait = new CrossEntropyTrait(x, labels);

            // by hand: L = (1/N) Σ_x [ln Σ_j e^{θ_j x_j} − θ_c x_c], ∂L/∂θ_i = (1/N) Σ_x x_i (q_i − [i = c])
            double value = 0;
            double[] grad = new double[n];
            for (int r = 0; r < rows; r++) {
                double s = 0;
                for (int j = 0; j < n; j++) {
                    s += Math.exp(theta[j] * x.get(r, j));
                }
                value += Math.log(s) - theta[labels[r]] * x.get(r, labels[r]);
                for (int i = 0; i < n; i++) {
                    double q = Math.exp(theta[i] * x.get(r, i)) / s;
                    grad[i] += x.get(r, i) * (q - (i == labels[r] ? 1 : 0)) / rows;
                }
            }
            value /= rows;
            assertThat(trait.value(model, theta)).isCloseTo(value, within(1e-14 * Math.max(1, value)));
            double[] g = trait.gradient(model, theta);
            double[] fd = centralDifferences(t -> trait.value(model, t), theta);
            for (int i = 0; i < n; i++) {
                assertThat(g[i]).isCloseTo(grad[i], within(1e-14));
                assertThat(g[i]).as("∂L/∂θ_%d vs finite differences", i).isCloseTo(fd[i], within(1e-7));
            }
        }
    }

    @Test
    void crossEntropyTraitAtUniformOutputsIsLogN() {
        ScaleModel model = new ScaleModel(4);
        CrossEntropyTrait trait = new CrossEntropyTrait(Batch.of(new double[][] {{1, 2, 3, 4}, {-1, 0, 5, 2}}),
                new int[] {0, 3});
        assertThat(trait.value(model, new double[4])).isCloseTo(Math.log(4), within(1e-15));
        // q = 1/4 everywhere: ∂L/∂θ_i = (1/2) Σ_x x_i (1/4 − [i = c])
        assertThat(trait.gradient(model, new double[4])).containsExactly(
                new double[] {(1 * -0.75 + -1 * 0.25) / 2, (2 * 0.25 + 0) / 2, (3 * 0.25 + 5 * 0.25) / 2,
                        (4 * 0.25 + 2 * -0.75) / 2},
                within(1e-15));
        assertThat(trait.appliesToAnyArchitecture()).isTrue();
        assertThat(trait.describe()).isEqualTo("ce on 2 labelled inputs");
    }

    @Test
    void squaredErrorTraitValueAndGradientByHand() {
        UniformRandomProvider rng = Seeds.stream(32, "se-trait");
        for (int trial = 0; trial < 30; trial++) {
            int n = 1 + rng.nextInt(5);
            int rows = 1 + rng.nextInt(6);
            ScaleModel model = new ScaleModel(n);
            Batch x = new Batch(rows, n, uniform(rng, rows * n, 2));
            Batch t = new Batch(rows, n, uniform(rng, rows * n, 3));
            double[] theta = uniform(rng, n, 2);
            SquaredErrorTrait trait = new SquaredErrorTrait(x, t);

            // by hand: L = (1/N) Σ_x Σ_i (θ_i x_i − t_i)², ∂L/∂θ_i = (2/N) Σ_x (θ_i x_i − t_i) x_i
            double value = 0;
            double[] grad = new double[n];
            for (int r = 0; r < rows; r++) {
                for (int i = 0; i < n; i++) {
                    double e = theta[i] * x.get(r, i) - t.get(r, i);
                    value += e * e / rows;
                    grad[i] += 2 * e * x.get(r, i) / rows;
                }
            }
            assertThat(trait.value(model, theta)).isCloseTo(value, within(1e-13 * Math.max(1, value)));
            double[] g = trait.gradient(model, theta);
            double[] fd = centralDifferences(th -> trait.value(model, th), theta);
            for (int i = 0; i < n; i++) {
                assertThat(g[i]).isCloseTo(grad[i], within(1e-13));
                assertThat(g[i]).as("∂L/∂θ_%d vs finite differences", i).isCloseTo(fd[i], within(1e-7));
            }
        }
    }

    @Test
    void labelOutOfRangeIsAClearError() {
        ScaleModel model = new ScaleModel(3);
        CrossEntropyTrait trait = new CrossEntropyTrait(Batch.of(new double[][] {{1, 2, 3}, {4, 5, 6}}),
                new int[] {2, 3});
        assertThatThrownBy(() -> trait.value(model, new double[3])).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("label 3").hasMessageContaining("row 1").hasMessageContaining("3 outputs");
        assertThatThrownBy(() -> trait.gradient(model, new double[3])).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("label 3");
        assertThatThrownBy(() -> new CrossEntropyTrait(Batch.zeros(2, 3), new int[] {0, -1}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("label -1")
                .hasMessageContaining("row 1");
        assertThatThrownBy(() -> new CrossEntropyTrait(Batch.zeros(2, 3), new int[] {0}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2 inputs but 1 labels");
        assertThatThrownBy(() -> new CrossEntropyTrait(Batch.of(new double[][] {{0, Double.NaN}}), new int[] {0}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NaN");
    }

    @Test
    void squaredErrorTraitRejectsMismatchedTargets() {
        ScaleModel model = new ScaleModel(3);
        SquaredErrorTrait trait = new SquaredErrorTrait(Batch.zeros(2, 3), Batch.zeros(2, 2));
        assertThatThrownBy(() -> trait.value(model, new double[3])).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("2 columns").hasMessageContaining("3 outputs");
        assertThatThrownBy(() -> new SquaredErrorTrait(Batch.zeros(2, 3), Batch.zeros(3, 3)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2 inputs but 3 targets");
    }

    @Test
    void functionTraitChecksLengthsAndIsTiedToItsParameterSpace() {
        ScaleModel model = new ScaleModel(2);
        FunctionTrait ok = new FunctionTrait("half squared norm", th -> (th[0] * th[0] + th[1] * th[1]) / 2,
                th -> th.clone());
        assertThat(ok.value(model, new double[] {3, 4})).isEqualTo(12.5);
        assertThat(ok.gradient(model, new double[] {3, 4})).containsExactly(3, 4);
        assertThat(ok.appliesToAnyArchitecture()).isFalse();
        FunctionTrait bad = new FunctionTrait("bad", th -> 0, th -> new double[3]);
        assertThatThrownBy(() -> bad.gradient(model, new double[2])).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("∇L_T has length 3, expected 2");
        assertThatThrownBy(() -> ok.value(model, new double[5])).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("θ has length 5, expected 2");
    }
}
