package dev.subliminal.lm.transformer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.subliminal.lm.transformer.TransformerConfig.Layout;
import dev.subliminal.theory.linalg.Gemm;
import dev.subliminal.theory.model.Batch;
import dev.subliminal.theory.param.TensorSpec;
import dev.subliminal.theory.param.Vectors;
import dev.subliminal.theory.random.Seeds;
import java.util.Arrays;
import java.util.List;
import org.apache.commons.rng.UniformRandomProvider;
import org.junit.jupiter.api.Test;

class TransformerTest {

    static final TransformerConfig GPT = new TransformerConfig(Layout.GPT2, 13, 8, 8, 2, 2, 2, 4, 16, 1e-5, 0, true,
            true);
    static final TransformerConfig LLAMA = new TransformerConfig(Layout.LLAMA, 13, 8, 8, 2, 4, 2, 2, 12, 1e-6, 100,
            false, true);

    /** GPT-2 small: 124,439,808 parameters, as Hugging Face counts them (tied head). */
    @Test
    void gpt2SmallHasHuggingFacesNamesShapesAndCount() {
        TransformerConfig small = new TransformerConfig(Layout.GPT2, 50257, 1024, 768, 12, 12, 12, 64, 3072, 1e-5, 0,
                true, true);
        Transformer model = new Transformer(small, 128);
        assertThat(model.parameterCount()).isEqualTo(124_439_808);
        List<TensorSpec> t = model.layout().tensors();
        assertThat(t).hasSize(2 + 12 * 12 + 2);
        assertThat(t.subList(0, 14)).extracting(TensorSpec::name).containsExactly("wte.weight", "wpe.weight",
                "h.0.ln_1.weight", "h.0.ln_1.bias", "h.0.attn.c_attn.weight", "h.0.attn.c_attn.bias",
                "h.0.attn.c_proj.weight", "h.0.attn.c_proj.bias", "h.0.ln_2.weight", "h.0.ln_2.bias",
                "h.0.mlp.c_fc.weight", "h.0.mlp.c_fc.bias", "h.0.mlp.c_proj.weight", "h.0.mlp.c_proj.bias");
        assertThat(model.layout().tensor("h.11.attn.c_attn.weight").shape()).containsExactly(768, 2304);
        assertThat(model.layout().tensor("h.11.mlp.c_proj.weight").shape()).containsExactly(3072, 768);
        assertThat(model.layout().tensor("wpe.weight").shape()).containsExactly(1024, 768);
        assertThat(t.get(t.size() - 1).name()).isEqualTo("ln_f.bias");
        assertThat(model.describe()).isEqualTo("gpt2 L12 d768 h12 V50257 T128");
        assertThat(model.outputSize()).isEqualTo(128 * 50257);
    }

    /** A Llama/Qwen layout: tensors per layer in module-registration order, lm_head last when untied. */
    @Test
    void llamaLayoutFollowsTheStateDict() {
        Transformer model = new Transformer(LLAMA, 5);
        assertThat(model.layout().names()).startsWith("model.embed_tokens.weight",
                "model.layers.0.self_attn.q_proj.weight", "model.layers.0.self_attn.q_proj.bias",
                "model.layers.0.self_attn.k_proj.weight", "model.layers.0.self_attn.k_proj.bias",
                "model.layers.0.self_attn.v_proj.weight", "model.layers.0.self_attn.v_proj.bias",
                "model.layers.0.self_attn.o_proj.weight", "model.layers.0.mlp.gate_proj.weight",
                "model.layers.0.mlp.up_proj.weight", "model.layers.0.mlp.down_proj.weight",
                "model.layers.0.input_layernorm.weight", "model.layers.0.post_attention_layernorm.weight");
        assertThat(model.layout().names()).endsWith("model.norm.weight", "lm_head.weight");
        assertThat(model.layout().tensor("model.layers.1.self_attn.q_proj.weight").shape()).containsExactly(8, 8);
        assertThat(model.layout().tensor("model.layers.1.self_attn.k_proj.weight").shape()).containsExactly(4, 8);
        assertThat(model.layout().tensor("model.layers.1.self_attn.o_proj.weight").shape()).containsExactly(8, 8);
        assertThat(model.layout().tensor("model.layers.1.mlp.down_proj.weight").shape()).containsExactly(8, 12);
        assertThat(model.describe()).isEqualTo("llama L2 d8 h4 kv2 V13 T5 untied");
        assertThat(model).isEqualTo(new Transformer(LLAMA, 5)).hasSameHashCodeAs(new Transformer(LLAMA, 5))
                .isNotEqualTo(new Transformer(LLAMA, 6));
    }

    /** Weights N(0, σ²), GPT-2's c_proj N(0, σ²/(2·layers)), biases 0, norms 1; a seed replays θ. */
    @Test
    void initializationFollowsHuggingFace() {
        TransformerConfig wide = new TransformerConfig(Layout.GPT2, 50, 16, 64, 2, 4, 4, 16, 256, 1e-5, 0, true, true);
        Transformer model = new Transformer(wide, 4);
        double[] theta = model.initialize(7);
        assertThat(model.initialize(7)).containsExactly(theta);
        assertThat(model.initialize(8)).isNotEqualTo(theta);
        float[] rounded = model.initializeFloats(7, 0.02);
        for (int i = 0; i < theta.length; i++) {
            assertThat(rounded[i]).isEqualTo((float) theta[i]);
        }
        var named = model.layout().split(theta);
        assertThat(named.get("h.1.ln_2.weight")).containsOnly(1.0);
        assertThat(named.get("h.1.attn.c_attn.bias")).containsOnly(0.0);
        // Sample standard deviations with n ≥ 4096 draws: within 5% of σ is > 4 standard errors (√(1/2n) ≈ 1.1%).
        assertThat(sd(named.get("h.0.mlp.c_fc.weight"))).isCloseTo(0.02, org.assertj.core.data.Percentage.withPercentage(5));
        assertThat(sd(named.get("h.0.mlp.c_proj.weight"))).isCloseTo(0.02 / Math.sqrt(4),
                org.assertj.core.data.Percentage.withPercentage(5));
        assertThat(sd(named.get("wte.weight"))).isCloseTo(0.02, org.assertj.core.data.Percentage.withPercentage(5));
    }

    private static double sd(double[] x) {
        double s = 0;
        for (double v : x) {
            s += v * v;
        }
        return Math.sqrt(s / x.length);
    }

    /**
     * Padded positions output exactly 0, and the real ones do not depend on the padding or on the
     * other rows of the batch: a padded row equals the same sequence run alone at its own length.
     */
    @Test
    void paddingIsInvisible() {
        for (TransformerConfig c : new TransformerConfig[] {GPT, LLAMA}) {
            Transformer model = new Transformer(c, 6);
            double[] theta = model.initialize(1, 0.5);
            Batch x = Batch.of(new double[][] {{1, 2, 3, 4, 5, 6}, {7, 8, 9, -1, -1, -1}, {-1, -1, -1, -1, -1, -1}});
            Batch z = model.forward(theta, x);
            assertThat(model.lengths(x)).containsExactly(6, 3, 0);
            for (int k = 3 * 13; k < 6 * 13; k++) {
                assertThat(z.get(1, k)).isZero();
            }
            assertThat(z.row(2)).containsOnly(0.0);
            Transformer three = new Transformer(c, 3);
            Batch alone = three.forward(theta, Batch.of(new double[][] {{7, 8, 9}}));
            assertThat(Arrays.copyOf(z.row(1), 3 * 13)).containsExactly(alone.row(0));
            Batch first = model.forward(theta, Batch.of(new double[][] {x.row(0)}));
            assertThat(first.row(0)).containsExactly(z.row(0));
            // Padded positions take no part in the VJP or JVP: cotangents there are ignored, tangents 0.
            UniformRandomProvider rng = Seeds.of(3);
            double[] u = BlockDerivatives.gaussian(rng, z.data().length, 1);
            double[] uMasked = u.clone();
            for (int k = 3 * 13; k < 6 * 13; k++) {
                uMasked[6 * 13 + k] = 0;
            }
            for (int k = 0; k < 6 * 13; k++) {
                uMasked[2 * 6 * 13 + k] = 0;
            }
            assertThat(model.vjp(theta, x, new Batch(3, 78, u)))
                    .containsExactly(model.vjp(theta, x, new Batch(3, 78, uMasked)));
            Batch jv = model.jvp(theta, x, BlockDerivatives.gaussian(rng, theta.length, 1));
            assertThat(jv.row(2)).containsOnly(0.0);
        }
    }

    /** Whole-model JVP and VJP against central finite differences, and ⟨u, Jv⟩ = ⟨Jᵀu, v⟩. */
    @Test
    void wholeModelDerivativesMatchFiniteDifferences() {
        for (TransformerConfig c : new TransformerConfig[] {GPT, LLAMA}) {
            Transformer model = new Transformer(c, 5);
            UniformRandomProvider rng = Seeds.of(11);
            double[] theta = model.initialize(2, 0.4);
            Batch x = Batch.of(new double[][] {{1, 2, 3, 4, 5}, {12, 0, -1, -1, -1}});
            // A direction of about θ's own size keeps the O(h²) term of the central difference small.
            double[] v = BlockDerivatives.gaussian(rng, theta.length, 0.2);
            double[] u = BlockDerivatives.gaussian(rng, 2 * model.outputSize(), 1);
            Batch jv = model.jvp(theta, x, v);
            double h = 1e-5;
            Batch plus = model.forward(Vectors.axpy(theta, h, v), x);
            Batch minus = model.forward(Vectors.axpy(theta, -h, v), x);
            double scale = 0;
            double err = 0;
            for (int k = 0; k < jv.data().length; k++) {
                scale = Math.max(scale, Math.abs(jv.data()[k]));
                err = Math.max(err, Math.abs((plus.data()[k] - minus.data()[k]) / (2 * h) - jv.data()[k]));
            }
            assertThat(err).as("JVP vs FD for %s", model.describe()).isLessThanOrEqualTo(1e-7 * scale);
            double[] jtu = model.vjp(theta, x, new Batch(2, model.outputSize(), u));
            double left = Vectors.dot(u, jv.data());
            double right = Vectors.dot(jtu, v);
            assertThat(Math.abs(left - right)).as("<u,Jv> vs <Jᵀu,v> for %s", model.describe())
                    .isLessThanOrEqualTo(1e-12 * Vectors.norm(u) * Vectors.norm(jv.data()));
        }
    }

    /**
     * The products split work over threads, attention splits (sequence, head group) pairs: the same
     * bits for 1, 2 or 3 threads. Large enough for the matrix kernels to go parallel.
     */
    @Test
    void sameBitsForAnyThreadCount() {
        TransformerConfig c = new TransformerConfig(Layout.LLAMA, 97, 32, 64, 2, 4, 2, 16, 128, 1e-6, 10_000, true,
                false);
        Transformer model = new Transformer(c, 32);
        UniformRandomProvider rng = Seeds.of(5);
        double[] theta = model.initialize(4, 0.1);
        double[][] rows = new double[6][32];
        for (double[] r : rows) {
            for (int i = 0; i < 32; i++) {
                r[i] = rng.nextInt(97);
            }
        }
        rows[5][20] = -1;
        for (int i = 21; i < 32; i++) {
            rows[5][i] = -1;
        }
        Batch x = Batch.of(rows);
        double[] v = BlockDerivatives.gaussian(rng, theta.length, 1);
        Batch u = new Batch(6, model.outputSize(), BlockDerivatives.gaussian(rng, 6 * model.outputSize(), 1));
        Transformer one = model.withGemm(Gemm.serial());
        Batch f = one.forward(theta, x);
        Batch j = one.jvp(theta, x, v);
        double[] g = one.vjp(theta, x, u);
        for (int t : new int[] {2, 3}) {
            Transformer many = model.withGemm(Gemm.threads(t));
            assertThat(many.forward(theta, x)).as("%d threads", t).isEqualTo(f);
            assertThat(many.jvp(theta, x, v)).as("%d threads", t).isEqualTo(j);
            assertThat(many.vjp(theta, x, u)).as("%d threads", t).isEqualTo(g);
        }
        Transformer floats = model.withPrecision(Precision.FLOAT32);
        Batch f32 = floats.withGemm(Gemm.serial()).forward(theta, x);
        double[] g32 = floats.withGemm(Gemm.serial()).vjp(theta, x, u);
        Batch j32 = floats.withGemm(Gemm.serial()).jvp(theta, x, v);
        for (int t : new int[] {2, 3}) {
            Transformer many = floats.withGemm(Gemm.threads(t));
            assertThat(many.forward(theta, x)).as("float32, %d threads", t).isEqualTo(f32);
            assertThat(many.jvp(theta, x, v)).as("float32, %d threads", t).isEqualTo(j32);
            assertThat(many.vjp(theta, x, u)).as("float32, %d threads", t).isEqualTo(g32);
        }
    }

    /**
     * A VJP into the caller's array (the check's buffer for θ_T becomes Δ_S) overwrites every entry with
     * the bits of a VJP into a new array, in either precision; an output that is θ itself or of another
     * length is refused.
     */
    @Test
    void vjpIntoAnArrayOverwritesItWithTheSameBits() {
        for (TransformerConfig c : new TransformerConfig[] {GPT, LLAMA}) {
            for (Precision p : Precision.values()) {
                Transformer model = new Transformer(c, 5).withPrecision(p);
                double[] theta = model.initialize(31, 0.5);
                Batch x = Batch.of(new double[][] {{1, 2, 3, 4, 5}, {4, 5, 6, -1, -1}, {9, 10, 11, 12, 0}});
                UniformRandomProvider rng = Seeds.of(32);
                Batch u = new Batch(3, model.outputSize(), BlockDerivatives.gaussian(rng, 3 * model.outputSize(), 1));
                double[] out = new double[theta.length];
                Arrays.fill(out, Double.NaN);
                assertThat(model.vjp(theta, x, u, out)).as("%s %s", c.layout(), p).isSameAs(out)
                        .containsExactly(model.vjp(theta, x, u));
                assertThatThrownBy(() -> model.vjp(theta, x, u, theta)).hasMessageContaining("θ's own array");
                assertThatThrownBy(() -> model.vjp(theta, x, u, new double[theta.length - 1]))
                        .hasMessageContaining("the VJP's output");
            }
        }
    }

    /**
     * Rows go through in chunks (sized by an activation budget): chunks of 1 or 2 rows give the same
     * forward and JVP bits as one chunk, and the same VJP up to the rounding of adding the chunks' sums.
     */
    @Test
    void chunkingChangesNothing() {
        for (TransformerConfig c : new TransformerConfig[] {GPT, LLAMA}) {
            Transformer whole = new Transformer(c, 5);
            double[] theta = whole.initialize(9, 0.5);
            Batch x = Batch.of(new double[][] {{1, 2, 3, -1, -1}, {4, 5, 6, 7, 8}, {-1, -1, -1, -1, -1},
                {9, 10, 11, 12, -1}, {0, 0, 1, 1, 2}});
            UniformRandomProvider rng = Seeds.of(21);
            double[] v = BlockDerivatives.gaussian(rng, theta.length, 1);
            Batch u = new Batch(5, whole.outputSize(), BlockDerivatives.gaussian(rng, 5 * whole.outputSize(), 1));
            double[] g = whole.vjp(theta, x, u);
            for (int rows : new int[] {1, 2}) {
                Transformer chunked = whole.withRowsPerChunk(rows);
                assertThat(chunked.forward(theta, x)).isEqualTo(whole.forward(theta, x));
                assertThat(chunked.jvp(theta, x, v)).isEqualTo(whole.jvp(theta, x, v));
                double[] gc = chunked.vjp(theta, x, u);
                assertThat(Vectors.norm(Vectors.subtract(gc, g))).as("%d rows per chunk", rows)
                        .isLessThanOrEqualTo(1e-13 * Vectors.norm(g));
            }
        }
    }

    /**
     * The VJP runs as many of its chunks through the network at once as its byte budget holds, each
     * weight's gradient (the tied head's too) summed chunk after chunk in one product: that number
     * changes the speed, never a bit, in either precision, with padding and an all-padding row.
     */
    @Test
    void backwardPassesOverSeveralChunksChangeNoBit() {
        for (TransformerConfig c : new TransformerConfig[] {GPT, LLAMA}) {
            for (Precision p : Precision.values()) {
                Transformer one = new Transformer(c, 5).withPrecision(p).withRowsPerChunk(1);
                double[] theta = one.initialize(19, 0.5);
                Batch x = Batch.of(new double[][] {{1, 2, 3, 4, 5}, {4, 5, 6, -1, -1}, {-1, -1, -1, -1, -1},
                    {9, 10, 11, 12, 0}, {0, 0, 1, 1, 2}, {7, 7, -1, -1, -1}});
                UniformRandomProvider rng = Seeds.of(24);
                Batch u = new Batch(6, one.outputSize(), BlockDerivatives.gaussian(rng, 6 * one.outputSize(), 1));
                double[] g = one.vjp(theta, x, u);
                for (int rows : new int[] {2, 4, 6}) {
                    assertThat(one.withBackwardRows(rows).vjp(theta, x, u)).as("%s %s, %d rows at once", c.layout(), p,
                            rows).containsExactly(g);
                }
            }
        }
    }

    /**
     * Consecutive full rows share one product for their logits, their tangents and the hidden states'
     * part of the head's VJP: the same bits as rows one sequence at a time, which a model one position
     * longer takes (none of its rows is full; same chunks), in either precision.
     */
    @Test
    void logitRunsChangeNothing() {
        for (TransformerConfig c : new TransformerConfig[] {GPT, LLAMA}) {
            for (Precision p : Precision.values()) {
                Transformer whole = new Transformer(c, 4).withPrecision(p).withRowsPerChunk(100);
                Transformer longer = new Transformer(c, 5).withPrecision(p).withRowsPerChunk(100);
                double[] theta = whole.initialize(13, 0.5);
                double[][] ids = {{1, 2, 3, 4}, {5, 6, 7, 8}, {9, 10, 11, 12}, {0, 1, -1, -1}, {3, 3, 3, 3},
                    {2, 4, 6, 8}};
                double[][] padded = new double[ids.length][];
                for (int r = 0; r < ids.length; r++) {
                    padded[r] = Arrays.copyOf(ids[r], 5);
                    padded[r][4] = -1;
                }
                Batch x = Batch.of(ids);
                Batch xl = Batch.of(padded);
                UniformRandomProvider rng = Seeds.of(22);
                double[] v = BlockDerivatives.gaussian(rng, theta.length, 1);
                double[] u = BlockDerivatives.gaussian(rng, ids.length * whole.outputSize(), 1);
                double[] ul = new double[ids.length * longer.outputSize()];
                for (int r = 0; r < ids.length; r++) {
                    System.arraycopy(u, r * whole.outputSize(), ul, r * longer.outputSize(), whole.outputSize());
                }
                Batch z = whole.forward(theta, x);
                Batch zl = longer.forward(theta, xl);
                Batch j = whole.jvp(theta, x, v);
                Batch jl = longer.jvp(theta, xl, v);
                for (int r = 0; r < ids.length; r++) {
                    String what = c.layout() + " " + p + " row " + r;
                    assertThat(z.row(r)).as(what).containsExactly(Arrays.copyOf(zl.row(r), whole.outputSize()));
                    assertThat(j.row(r)).as(what).containsExactly(Arrays.copyOf(jl.row(r), whole.outputSize()));
                }
                assertThat(whole.vjp(theta, x, new Batch(ids.length, whole.outputSize(), u))).as("%s %s", c.layout(), p)
                        .containsExactly(longer.vjp(theta, xl, new Batch(ids.length, longer.outputSize(), ul)));
            }
        }
    }

    /**
     * A model shortened to the rows' real length gives the bits of the full-length one: logits at every
     * real position, the VJP and the JVP (the teacher-forced trait runs on it), in either precision. The
     * full-length model runs its VJP one chunk of 2 rows at a time; the shortened one keeps those chunks
     * for its sums but runs all rows through the network at once (its budget holds them): the bits of the
     * chunks one at a time, an all-padding chunk in the middle included.
     */
    @Test
    void shortenedModelGivesTheSameBits() {
        for (TransformerConfig c : new TransformerConfig[] {GPT, LLAMA}) {
            for (Precision p : Precision.values()) {
                Transformer full = new Transformer(c, 7).withPrecision(p).withRowsPerChunk(2);
                Transformer shorter = full.shortened(3);
                assertThat(full.shortened(7)).isSameAs(full);
                double[] theta = full.initialize(17, 0.5);
                double[][] ids = {{1, 2, 3}, {4, 5, -1}, {6, 7, 8}, {9, 10, 11}, {-1, -1, -1}, {-1, -1, -1},
                    {12, -1, -1}};
                double[][] padded = new double[ids.length][7];
                for (int r = 0; r < ids.length; r++) {
                    Arrays.fill(padded[r], -1);
                    System.arraycopy(ids[r], 0, padded[r], 0, 3);
                }
                Batch xs = Batch.of(ids);
                Batch xf = Batch.of(padded);
                UniformRandomProvider rng = Seeds.of(23);
                double[] v = BlockDerivatives.gaussian(rng, theta.length, 1);
                double[] us = BlockDerivatives.gaussian(rng, ids.length * shorter.outputSize(), 1);
                double[] uf = new double[ids.length * full.outputSize()];
                for (int r = 0; r < ids.length; r++) {
                    System.arraycopy(us, r * shorter.outputSize(), uf, r * full.outputSize(), shorter.outputSize());
                }
                Batch zs = shorter.forward(theta, xs);
                Batch zf = full.forward(theta, xf);
                Batch js = shorter.jvp(theta, xs, v);
                Batch jf = full.jvp(theta, xf, v);
                for (int r = 0; r < ids.length; r++) {
                    assertThat(Arrays.copyOf(zf.row(r), shorter.outputSize())).containsExactly(zs.row(r));
                    assertThat(Arrays.copyOf(jf.row(r), shorter.outputSize())).containsExactly(js.row(r));
                }
                assertThat(shorter.vjp(theta, xs, new Batch(ids.length, shorter.outputSize(), us)))
                        .containsExactly(full.vjp(theta, xf, new Batch(ids.length, full.outputSize(), uf)));
            }
        }
        assertThatThrownBy(() -> new Transformer(GPT, 5).shortened(6)).hasMessageContaining("1 ≤ length ≤ T = 5");
    }

    @Test
    void invalidInputsAreNamed() {
        Transformer model = new Transformer(GPT, 4);
        double[] theta = model.initialize(1);
        assertThatThrownBy(() -> model.forward(theta, Batch.of(new double[][] {{1, 2, 3, 4}, {1, 2.5, 3, 4}})))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("token 2.5 at row 1, position 1 is not a token id: ids are integers in [0, 13) or −1 for padding");
        assertThatThrownBy(() -> model.forward(theta, Batch.of(new double[][] {{1, 13, 3, 4}})))
                .hasMessageContaining("token 13 at row 0, position 1");
        assertThatThrownBy(() -> model.forward(theta, Batch.of(new double[][] {{1, -2, 3, 4}})))
                .hasMessageContaining("token -2 at row 0, position 1");
        assertThatThrownBy(() -> model.jvp(theta, Batch.of(new double[][] {{1, -1, 3, -1}}), theta))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("token 3 at row 0, position 2 follows padding (−1 at position 1); padding may only trail a sequence");
        assertThatThrownBy(() -> model.vjp(theta, Batch.of(new double[][] {{1, Double.NaN, 3, 4}}),
                Batch.zeros(1, model.outputSize()))).hasMessageContaining("token NaN at row 0, position 1");
        assertThatThrownBy(() -> model.forward(theta, Batch.of(new double[][] {{1, 2, 3}})))
                .hasMessage("inputs have 3 columns but the model gpt2 L2 d8 h2 V13 T4 takes 4");
        assertThatThrownBy(() -> model.forward(new double[3], Batch.of(new double[][] {{1, 2, 3, 4}})))
                .hasMessageContaining("θ has length 3");
        assertThatThrownBy(() -> model.vjp(theta, Batch.of(new double[][] {{1, 2, 3, 4}}), Batch.zeros(1, 5)))
                .hasMessageContaining("cotangents are 1×5, expected 1×52");
        assertThatThrownBy(() -> new Transformer(GPT, 9)).hasMessageContaining("T = 9 must be in [1, 8]");
        assertThatThrownBy(() -> new Transformer(GPT, 0)).hasMessageContaining("T = 0");
    }
}
