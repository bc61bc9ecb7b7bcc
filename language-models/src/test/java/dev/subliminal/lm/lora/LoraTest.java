package dev.subliminal.lm.lora;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.subliminal.lm.checkpoint.Checkpoint;
import dev.subliminal.lm.train.TokenExample;
import dev.subliminal.lm.train.TrainingSettings;
import dev.subliminal.lm.train.TransformerTrainer;
import dev.subliminal.lm.transformer.SequenceObjective;
import dev.subliminal.lm.transformer.Transformer;
import dev.subliminal.lm.transformer.TransformerConfig;
import dev.subliminal.lm.transformer.TransformerConfig.Layout;
import dev.subliminal.simulation.optim.OptimizerKind;
import dev.subliminal.theory.linalg.Gemm;
import dev.subliminal.theory.model.Batch;
import dev.subliminal.theory.param.ParameterLayout;
import dev.subliminal.theory.param.TensorSpec;
import dev.subliminal.theory.random.Seeds;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.commons.rng.UniformRandomProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * LoRA adapters: merged weights are base + (α/r)·B·A (GPT-2: its transpose) computed matrix by matrix
 * from the named tensors; the adapters' gradient (the pullback of the model's VJP) against central
 * finite differences of the merged model in float64; the float twin against the double code; and
 * training: only φ moves, the base stays bit for bit, one SGD step is φ − η·∂L/∂φ, and a saved run
 * resumes bit for bit.
 */
class LoraTest {

    private static final TransformerConfig GPT = new TransformerConfig(Layout.GPT2, 13, 8, 12, 2, 2, 2, 6, 20, 1e-5,
            0, true, true);
    private static final TransformerConfig LLAMA = new TransformerConfig(Layout.LLAMA, 13, 8, 16, 2, 4, 2, 4, 20, 1e-6,
            10_000, false, false);
    private static final long SEED = 20261203L;

    @TempDir
    Path dir;

    private static LoraAdapters adapters(TransformerConfig c, int rank, double alpha, String... targets) {
        return new LoraAdapters(new LoraConfig(rank, alpha, List.of(targets)), c, new Transformer(c, 8).layout());
    }

    /** φ with every entry N(0, 0.3²), B included (initialize() leaves B at 0). */
    private static double[] randomPhi(LoraAdapters a, UniformRandomProvider rng) {
        double[] phi = new double[a.layout().size()];
        var g = org.apache.commons.rng.sampling.distribution.ZigguratSampler.NormalizedGaussian.of(rng);
        for (int i = 0; i < phi.length; i++) {
            phi[i] = 0.3 * g.sample();
        }
        return phi;
    }

    private static double[][] matrix(Map<String, double[]> named, ParameterLayout layout, String name) {
        int[] s = layout.tensor(name).shape();
        double[] flat = named.get(name);
        double[][] m = new double[s[0]][s[1]];
        for (int i = 0; i < s[0]; i++) {
            System.arraycopy(flat, i * s[1], m[i], 0, s[1]);
        }
        return m;
    }

    private static double[][] times(double[][] x, double[][] y) {
        double[][] z = new double[x.length][y[0].length];
        for (int i = 0; i < x.length; i++) {
            for (int j = 0; j < y[0].length; j++) {
                for (int k = 0; k < y.length; k++) {
                    z[i][j] += x[i][k] * y[k][j];
                }
            }
        }
        return z;
    }

    @Test
    void mergedWeightsAreBasePlusScaledBA() {
        UniformRandomProvider rng = Seeds.of(SEED);
        for (TransformerConfig c : new TransformerConfig[] {GPT, LLAMA}) {
            LoraAdapters a = c == GPT ? adapters(c, 3, 6, "c_attn", "mlp.c_proj")
                    : adapters(c, 2, 5, "q_proj", "v_proj", "down_proj");
            ParameterLayout base = a.baseLayout();
            double[] theta = new Transformer(c, 8).initialize(4, 0.5);
            double[] phi = randomPhi(a, rng);
            double[] merged = a.merge(theta, phi);
            Map<String, double[]> th = base.split(theta);
            Map<String, double[]> ph = a.layout().split(phi);
            Map<String, double[]> out = base.split(merged);
            double s = a.config().scale();
            int targets = 0;
            for (TensorSpec t : base.tensors()) {
                String module = t.name().replaceFirst("\\.weight$", "");
                if (!ph.containsKey(module + ".lora_A.weight")) {
                    assertThat(out.get(t.name())).as(t.name()).containsExactly(th.get(t.name()));
                    continue;
                }
                targets++;
                double[][] ba = times(matrix(ph, a.layout(), module + ".lora_B.weight"),
                        matrix(ph, a.layout(), module + ".lora_A.weight"));
                double[][] w = matrix(th, base, t.name());
                double[][] got = matrix(out, base, t.name());
                for (int i = 0; i < w.length; i++) {
                    for (int j = 0; j < w[0].length; j++) {
                        double delta = a.fanInFanOut() ? ba[j][i] : ba[i][j];
                        assertThat(got[i][j]).as("%s[%d][%d]", t.name(), i, j).isCloseTo(w[i][j] + s * delta,
                                org.assertj.core.data.Offset.offset(1e-14 * (1 + Math.abs(w[i][j]))));
                    }
                }
            }
            assertThat(targets).isEqualTo(a.targetCount()).isEqualTo(a.fanInFanOut() ? 4 : 6);
            // Fresh adapters (B = 0) leave the model as it was.
            assertThat(a.merge(theta, a.initialize(1))).containsExactly(theta);
        }
    }

    /** L(φ) = ⟨u, f(θ0 + s·ΔW(φ))(x)⟩; ∂L/∂φ = pullback(vjp) against central differences, h = 1e-5. */
    @Test
    void adapterGradientMatchesFiniteDifferences() {
        UniformRandomProvider rng = Seeds.of(SEED + 1);
        for (TransformerConfig c : new TransformerConfig[] {GPT, LLAMA}) {
            LoraAdapters a = c == GPT ? adapters(c, 2, 4, "c_attn", "c_proj", "c_fc")
                    : adapters(c, 2, 3, "k_proj", "o_proj", "gate_proj", "up_proj");
            Transformer model = new Transformer(c, 8);
            double[] theta = model.initialize(7, 0.4);
            double[] phi = randomPhi(a, rng);
            double[][] rows = new double[3][8];
            for (double[] r : rows) {
                for (int i = 0; i < r.length; i++) {
                    r[i] = rng.nextInt(c.vocabSize());
                }
            }
            Batch x = Batch.of(rows);
            double[] u = new double[3 * model.outputSize()];
            for (int i = 0; i < u.length; i++) {
                u[i] = rng.nextDouble() - 0.5;
            }
            Batch cot = new Batch(3, model.outputSize(), u);
            double[] grad = a.pullback(model.vjp(a.merge(theta, phi), x, cot), phi);
            double worst = 0;
            for (int probe = 0; probe < 24; probe++) {
                int k = rng.nextInt(phi.length);
                double h = 1e-5;
                double[] plus = phi.clone();
                double[] minus = phi.clone();
                plus[k] += h;
                minus[k] -= h;
                double fd = (dot(u, model.forward(a.merge(theta, plus), x)) - dot(u, model.forward(a.merge(theta, minus),
                        x))) / (2 * h);
                double err = Math.abs(fd - grad[k]) / Math.max(1e-3, Math.abs(fd));
                worst = Math.max(worst, err);
                assertThat(err).as("%s φ[%d]: pullback %s, differences %s", c.layout(), k, grad[k], fd)
                        .isLessThan(1e-6);
            }
            System.out.printf("LoRA gradient vs central differences (%s, seed %d): worst relative error %.2e%n",
                    c.layout(), SEED + 1, worst);
        }
    }

    private static double dot(double[] u, Batch f) {
        double s = 0;
        for (int i = 0; i < u.length; i++) {
            s += u[i] * f.data()[i];
        }
        return s;
    }

    /** The generated float code agrees with the double code to float rounding. */
    @Test
    void floatTwinAgreesWithDouble() {
        UniformRandomProvider rng = Seeds.of(SEED + 2);
        for (TransformerConfig c : new TransformerConfig[] {GPT, LLAMA}) {
            LoraAdapters a = c == GPT ? adapters(c, 3, 2, "c_attn", "c_fc") : adapters(c, 3, 2, "q_proj", "up_proj");
            double[] theta = new Transformer(c, 8).initialize(2, 0.5);
            double[] phi = randomPhi(a, rng);
            double[] g = new Transformer(c, 8).initialize(9, 1);
            float[] tf = floats(theta);
            float[] pf = floats(phi);
            float[] mf = new float[tf.length];
            a.merge(tf, pf, mf);
            float[] gp = new float[pf.length];
            a.pullback(floats(g), pf, gp);
            double[] md = a.merge(widen(tf), widen(pf));
            double[] gd = a.pullback(widen(floats(g)), widen(pf));
            for (int i = 0; i < md.length; i++) {
                assertThat((double) mf[i]).isCloseTo(md[i], org.assertj.core.data.Offset.offset(1e-5 * (1 + Math.abs(md[i]))));
            }
            for (int i = 0; i < gd.length; i++) {
                assertThat((double) gp[i]).isCloseTo(gd[i], org.assertj.core.data.Offset.offset(1e-5 * (1 + Math.abs(gd[i]))));
            }
        }
    }

    @Test
    void trainingMovesOnlyTheAdaptersAndResumesBitForBit() {
        for (TransformerConfig c : new TransformerConfig[] {GPT, LLAMA}) {
            LoraAdapters a = c == GPT ? adapters(c, 2, 4, "c_attn") : adapters(c, 2, 4, "q_proj", "v_proj");
            SequenceObjective objective = SequenceObjective.nextToken(c, Gemm.defaults());
            float[] base = floats(new Transformer(c, 8).initialize(3, 0.3));
            float[] phi0 = floats(a.initialize(5));
            UniformRandomProvider rng = Seeds.of(SEED + 3);
            List<TokenExample> data = new ArrayList<>();
            for (int e = 0; e < 6; e++) {
                int[] ids = new int[9];
                for (int i = 0; i < ids.length; i++) {
                    ids[i] = (e + 2 * i) % c.vocabSize();
                }
                data.add(new TokenExample(ids, 1));
            }
            // One SGD step is φ − η·∂L/∂φ with ∂L/∂φ the pullback of the objective's gradient.
            TrainingSettings sgd = new TrainingSettings(OptimizerKind.SGD, 0.5, 0, 0, 0, 0, 0.9, 0.999, 1e-8, 0, 6, 1);
            TransformerTrainer one = TransformerTrainer.startLora(objective, base, a, phi0, data, sgd);
            one.train(1);
            float[] merged = new float[base.length];
            a.merge(base, phi0, merged);
            float[] full = new float[base.length];
            List<int[]> ids = data.stream().map(TokenExample::tokens).toList();
            objective.valueAndGradient(merged, ids, new int[] {1, 1, 1, 1, 1, 1}, full);
            float[] gphi = new float[phi0.length];
            a.pullback(full, phi0, gphi);
            float[] want = phi0.clone();
            for (int i = 0; i < want.length; i++) {
                want[i] -= 0.5f * gphi[i];
            }
            // The batch holds every example; SGD's order within it only changes the summation order of the loss.
            float[] got = one.adapters();
            for (int i = 0; i < want.length; i++) {
                assertThat(got[i]).isCloseTo(want[i], org.assertj.core.data.Offset.offset(1e-6f * (1 + Math.abs(want[i]))));
            }
            assertThat(java.util.Arrays.equals(got, phi0)).isFalse();

            TrainingSettings adamw = TrainingSettings.adamW(0.05, 2, 4).withSchedule(1, 6, 0.1);
            TransformerTrainer whole = TransformerTrainer.startLora(objective, base, a, phi0, data, adamw);
            double before = whole.loss();
            whole.train(6);
            assertThat(whole.loss()).as("%s loss falls", c.layout()).isLessThan(before);
            float[] theta = whole.theta();
            float[] expected = new float[base.length];
            a.merge(base, whole.adapters(), expected);
            assertThat(theta).containsExactly(expected);
            ParameterLayout layout = objective.layout();
            Map<String, double[]> moved = layout.split(widen(theta));
            Map<String, double[]> frozen = layout.split(widen(base));
            for (String name : layout.names()) {
                boolean target = a.layout().names().contains(name.replaceFirst("\\.weight$", "") + ".lora_A.weight");
                assertThat(java.util.Arrays.equals(moved.get(name), frozen.get(name))).as(name).isEqualTo(!target);
            }

            Path runs = dir.resolve(c.layout().name());
            TransformerTrainer part = TransformerTrainer.startLora(objective, base, a, phi0, data, adamw);
            part.train(4);
            Path saved = part.save(runs);
            assertThat(saved.resolve("adapter_model.safetensors")).exists();
            assertThat(saved.resolve("adapter_config.json")).exists();
            try (Checkpoint cp = Checkpoint.read(saved)) {
                assertThat(cp.loadFloats(layout)).as("the base is saved unchanged").containsExactly(base);
            }
            TransformerTrainer resumed = TransformerTrainer.resume(runs, objective, data);
            assertThat(resumed.lora().config()).isEqualTo(a.config());
            resumed.train(2);
            assertThat(resumed.adapters()).containsExactly(whole.adapters());
            assertThat(resumed.theta()).containsExactly(whole.theta());
        }
    }

    @Test
    void badSettingsNameTheProblem() {
        assertThatThrownBy(() -> adapters(GPT, 2, 1, "q_proj")).hasMessageContaining(
                "LoRA target 'q_proj' matches no projection of the model; its projections are [attn.c_attn, attn.c_proj, "
                + "mlp.c_fc, mlp.c_proj]");
        assertThatThrownBy(() -> new LoraConfig(0, 1, List.of("c_attn"))).hasMessageContaining("rank r = 0");
        assertThatThrownBy(() -> new LoraConfig(2, -1, List.of("c_attn"))).hasMessageContaining("alpha α = -1.0");
        assertThatThrownBy(() -> new LoraConfig(2, 1, List.of())).hasMessageContaining("at least one target");
    }

    private static float[] floats(double[] v) {
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (float) v[i];
        }
        return out;
    }

    private static double[] widen(float[] v) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i];
        }
        return out;
    }
}
