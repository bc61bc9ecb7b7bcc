package dev.subliminal.simulation.conv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.subliminal.simulation.mlp.Activation;
import dev.subliminal.simulation.mlp.MlpFamily;
import dev.subliminal.spec.Architecture;
import dev.subliminal.spec.Layers;
import dev.subliminal.spec.SettingType.Sizes;
import dev.subliminal.spec.Values;
import dev.subliminal.theory.linalg.Gemm;
import dev.subliminal.theory.model.Batch;
import dev.subliminal.theory.param.Vectors;
import dev.subliminal.theory.random.Seeds;
import org.apache.commons.rng.UniformRandomProvider;
import org.junit.jupiter.api.Test;

/**
 * The convolutional network against independent computations: its forward pass against a direct
 * convolution written here loop by loop (PyTorch's conventions: weights [C_out, C_in, k, k], zero
 * padding, channel-first flatten), its Jacobian-vector and vector-Jacobian products against central
 * finite differences, the float twin against double, and bit-identical results for any thread count.
 */
class CnnTest {

    /** 2 input channels of 5 × 6, convolutions of 3 then 2 channels, k = 3, s = 2, dense 4 → 3, tanh. */
    private static final ConvGeometry SMALL = new ConvGeometry(2, 5, 6, new int[] {3, 2}, 3, 2, new int[] {4, 3});

    private static double[] uniform(UniformRandomProvider rng, int n, double half) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = (rng.nextDouble() * 2 - 1) * half;
        }
        return v;
    }

    @Test
    void itsShapesAndParameterCountAreTheConvolutionsAndDenseLayers() {
        // 5×6 → 3×3 → 2×2 at stride 2; F = 2·2·2 = 8
        assertThat(SMALL.heightIn(1)).isEqualTo(3);
        assertThat(SMALL.widthIn(1)).isEqualTo(3);
        assertThat(SMALL.heightIn(2)).isEqualTo(2);
        assertThat(SMALL.flat()).isEqualTo(8);
        int p = 3 * (2 * 9 + 1) + 2 * (3 * 9 + 1) + 4 * (8 + 1) + 3 * (4 + 1);
        assertThat(SMALL.parameterCount()).isEqualTo(p).isEqualTo(SMALL.layout().size());
        assertThat(SMALL.parameters()).isEqualTo(p);
        assertThat(SMALL.layout().names()).containsExactly("0.weight", "0.bias", "2.weight", "2.bias", "5.weight",
                "5.bias", "7.weight", "7.bias");
        assertThat(ConvGeometry.shape(784, 1)).containsExactly(28, 28);
        assertThat(ConvGeometry.shape(3 * 1024, 3)).containsExactly(32, 32);
        assertThat(ConvGeometry.shape(7, 1)).containsExactly(1, 7);
    }

    @Test
    void theForwardPassIsADirectConvolution() {
        Cnn cnn = new Cnn(SMALL, Activation.TANH);
        UniformRandomProvider rng = Seeds.of(5);
        double[] theta = uniform(rng, cnn.parameterCount(), 0.5);
        double[] x = uniform(rng, 4 * SMALL.inputs(), 1);
        Batch out = cnn.forward(theta, new Batch(4, SMALL.inputs(), x));
        for (int r = 0; r < 4; r++) {
            double[] expected = direct(SMALL, theta, java.util.Arrays.copyOfRange(x, r * SMALL.inputs(),
                    (r + 1) * SMALL.inputs()));
            for (int i = 0; i < 3; i++) {
                assertThat(out.get(r, i)).isCloseTo(expected[i], within(1e-12));
            }
        }
    }

    /** One input through the network, loop by loop on [c][y][x] arrays (tanh). */
    private static double[] direct(ConvGeometry g, double[] theta, double[] x) {
        int c = g.inputChannels();
        int h = g.height();
        int w = g.width();
        double[][][] a = new double[c][h][w];
        for (int ch = 0; ch < c; ch++) {
            for (int y = 0; y < h; y++) {
                for (int xx = 0; xx < w; xx++) {
                    a[ch][y][xx] = x[(ch * h + y) * w + xx];
                }
            }
        }
        int off = 0;
        int k = g.kernel();
        int p = g.padding();
        for (int l = 0; l < g.convolutions(); l++) {
            int co = g.channelsOut(l);
            int ho = (h + 2 * p - k) / g.stride() + 1;
            int wo = (w + 2 * p - k) / g.stride() + 1;
            double[][][] z = new double[co][ho][wo];
            int bias = off + co * c * k * k;
            for (int o = 0; o < co; o++) {
                for (int y = 0; y < ho; y++) {
                    for (int xx = 0; xx < wo; xx++) {
                        double s = theta[bias + o];
                        for (int i = 0; i < c; i++) {
                            for (int ky = 0; ky < k; ky++) {
                                for (int kx = 0; kx < k; kx++) {
                                    int iy = y * g.stride() - p + ky;
                                    int ix = xx * g.stride() - p + kx;
                                    if (iy >= 0 && iy < h && ix >= 0 && ix < w) {
                                        s += theta[off + ((o * c + i) * k + ky) * k + kx] * a[i][iy][ix];
                                    }
                                }
                            }
                        }
                        z[o][y][xx] = Math.tanh(s);
                    }
                }
            }
            off = bias + co;
            a = z;
            c = co;
            h = ho;
            w = wo;
        }
        double[] v = new double[c * h * w];
        for (int ch = 0; ch < c; ch++) {
            for (int y = 0; y < h; y++) {
                for (int xx = 0; xx < w; xx++) {
                    v[(ch * h + y) * w + xx] = a[ch][y][xx];
                }
            }
        }
        int[] dense = g.dense();
        for (int j = 0; j < dense.length; j++) {
            double[] z = new double[dense[j]];
            for (int o = 0; o < z.length; o++) {
                double s = theta[off + z.length * v.length + o];
                for (int i = 0; i < v.length; i++) {
                    s += theta[off + o * v.length + i] * v[i];
                }
                z[o] = j < dense.length - 1 ? Math.tanh(s) : s;
            }
            off += z.length * (v.length + 1);
            v = z;
        }
        return v;
    }

    @Test
    void itsDerivativesMatchCentralFiniteDifferences() {
        for (Activation act : new Activation[] {Activation.TANH, Activation.SOFTPLUS}) {
            Cnn cnn = new Cnn(SMALL, act);
            UniformRandomProvider rng = Seeds.of(7);
            double[] theta = uniform(rng, cnn.parameterCount(), 0.5);
            double[] v = uniform(rng, theta.length, 0.5);
            Batch x = new Batch(3, SMALL.inputs(), uniform(rng, 3 * SMALL.inputs(), 1));
            Batch u = new Batch(3, 3, uniform(rng, 9, 1));
            double h = 1e-5;
            Batch plus = cnn.forward(Vectors.axpy(theta, h, v), x);
            Batch minus = cnn.forward(Vectors.axpy(theta, -h, v), x);
            Batch jv = cnn.jvp(theta, x, v);
            for (int i = 0; i < jv.data().length; i++) {
                assertThat(jv.data()[i]).as(act + " JVP entry " + i)
                        .isCloseTo((plus.data()[i] - minus.data()[i]) / (2 * h), within(1e-8));
            }
            // the gradient of ⟨u, f(θ)⟩, coordinate by coordinate
            double[] grad = cnn.vjp(theta, x, u);
            for (int k = 0; k < theta.length; k++) {
                double[] e = new double[theta.length];
                e[k] = 1;
                double fd = (Vectors.dot(u.data(), cnn.forward(Vectors.axpy(theta, h, e), x).data())
                        - Vectors.dot(u.data(), cnn.forward(Vectors.axpy(theta, -h, e), x).data())) / (2 * h);
                assertThat(grad[k]).as(act + " gradient entry " + k).isCloseTo(fd, within(1e-8));
            }
            assertThat(Vectors.dot(grad, v)).isCloseTo(Vectors.dot(u.data(), jv.data()), within(1e-12));
        }
    }

    @Test
    void reluKinksAreCounted() {
        Cnn cnn = new Cnn(SMALL, Activation.RELU);
        double[] zero = new double[cnn.parameterCount()];
        Batch x = new Batch(2, SMALL.inputs(), uniform(Seeds.of(1), 2 * SMALL.inputs(), 1));
        // θ = 0: every hidden pre-activation is exactly 0 (3·9 + 2·4 conv values and 4 dense, per input)
        assertThat(cnn.kinks(zero, x)).isEqualTo(2 * (27 + 8 + 4));
        assertThat(new Cnn(SMALL, Activation.TANH).kinks(zero, x)).isZero();
    }

    @Test
    void resultsAreBitIdenticalForAnyThreadCount() {
        ConvGeometry mnist = new ConvGeometry(1, 28, 28, new int[] {4, 8}, 3, 2, new int[] {32, 13});
        Cnn one = new Cnn(mnist, Activation.RELU, Gemm.threads(1));
        Cnn three = one.withGemm(Gemm.threads(3));
        UniformRandomProvider rng = Seeds.of(9);
        double[] theta = uniform(rng, one.parameterCount(), 0.3);
        double[] v = uniform(rng, theta.length, 1);
        int rows = 40;
        Batch x = new Batch(rows, 784, uniform(rng, rows * 784, 1));
        Batch u = new Batch(rows, 13, uniform(rng, rows * 13, 1));
        assertThat(three.forward(theta, x).data()).isEqualTo(one.forward(theta, x).data());
        assertThat(three.vjp(theta, x, u)).isEqualTo(one.vjp(theta, x, u));
        assertThat(three.jvp(theta, x, v).data()).isEqualTo(one.jvp(theta, x, v).data());
    }

    @Test
    void theFloatTwinFollowsTheDoubleNetwork() {
        Cnn cnn = new Cnn(SMALL, Activation.TANH);
        UniformRandomProvider rng = Seeds.of(13);
        double[] theta = uniform(rng, cnn.parameterCount(), 0.5);
        double[] v = uniform(rng, theta.length, 0.5);
        int rows = 3;
        double[] x = uniform(rng, rows * SMALL.inputs(), 1);
        double[] u = uniform(rng, rows * 3, 1);
        FloatConvNetwork f = new FloatConvNetwork(SMALL, Activation.TANH, Gemm.threads(2));
        FloatConvNetwork.Workspace ws = f.workspace(rows);
        float[] thetaF = toFloat(theta);
        float[] xF = toFloat(x);
        f.forward(thetaF, xF, rows, ws, true);
        Batch expected = cnn.forward(theta, new Batch(rows, SMALL.inputs(), x));
        for (int i = 0; i < rows * 3; i++) {
            assertThat((double) ws.outputs()[i]).isCloseTo(expected.data()[i], within(1e-5));
        }
        float[] jv = new float[rows * 3];
        f.tangent(thetaF, toFloat(v), xF, rows, ws, jv);
        double[] jvExpected = cnn.jvp(theta, new Batch(rows, SMALL.inputs(), x), v).data();
        for (int i = 0; i < jv.length; i++) {
            assertThat((double) jv[i]).isCloseTo(jvExpected[i], within(1e-5));
        }
        System.arraycopy(toFloat(u), 0, ws.outputGradient(), 0, u.length);
        float[] grad = new float[theta.length];
        f.backward(thetaF, xF, rows, ws, grad);
        double[] gradExpected = cnn.vjp(theta, new Batch(rows, SMALL.inputs(), x), new Batch(rows, 3, u));
        for (int i = 0; i < grad.length; i++) {
            assertThat((double) grad[i]).isCloseTo(gradExpected[i], within(1e-5));
        }
    }

    private static float[] toFloat(double[] a) {
        float[] f = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            f[i] = (float) a[i];
        }
        return f;
    }

    @Test
    void theFamilyReadsValidatesAndRoundTripsItsRecordForm() {
        ConvFamily family = new ConvFamily();
        Values v = Values.empty().with(Layers.WIDTHS, new Sizes(new int[] {60, 4, 3}))
                .with(ConvFamily.INPUT_CHANNELS, 2).with(ConvFamily.CONV_CHANNELS, new Sizes(new int[] {3, 2}))
                .with(ConvFamily.KERNEL, 3).with(ConvFamily.STRIDE, 2).with(MlpFamily.ACTIVATION, Activation.TANH);
        Architecture a = family.read(v);
        assertThat(((ConvFamily.Convolutional) a).geometry()).isEqualTo(SMALL);
        assertThat(a.parameterCount()).isEqualTo(SMALL.parameterCount());
        assertThat(a.build().parameterCount()).isEqualTo(SMALL.parameterCount());
        assertThat(a.memoryBytes(10)).isGreaterThan(8L * 16 * SMALL.parameterCount());
        ObjectNode json = a.toJson();
        assertThat(json.get("family").asText()).isEqualTo("cnn");
        assertThat(family.fromJson(json)).isEqualTo(a);
        assertThat(a.values().get(ConvFamily.CONV_CHANNELS)).isEqualTo(new Sizes(new int[] {3, 2}));
        assertThat(a.withInputsOutputs(7, 2).inputs()).isEqualTo(7);
        assertThat(a.describe()).isEqualTo("cnn 2x5x6 conv 3,2 k3 s2 dense 8-4-3 tanh");
        assertThatThrownBy(() -> family.read(v.with(ConvFamily.KERNEL, 2))).hasMessageContaining("kernel 2")
                .hasMessageContaining("odd");
        assertThatThrownBy(() -> family.read(v.with(ConvFamily.INPUT_CHANNELS, 7)))
                .hasMessageContaining("inputChannels 7 does not divide the 60 inputs");
    }
}
