package dev.subliminal.lm.loss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.subliminal.lm.transformer.LanguageModel;
import dev.subliminal.lm.transformer.Transformer;
import dev.subliminal.lm.transformer.TransformerConfig;
import dev.subliminal.theory.loss.SoftCrossEntropy;
import dev.subliminal.theory.model.Batch;
import dev.subliminal.theory.param.Vectors;
import dev.subliminal.theory.random.Seeds;
import java.util.List;
import org.apache.commons.rng.UniformRandomProvider;
import org.junit.jupiter.api.Test;

class LanguageLossesTest {

    private static final int V = 5;
    private static final int T = 3;

    private static Batch random(UniformRandomProvider rng, int rows) {
        return new Batch(rows, T * V, rng.doubles(rows * T * V, -2, 2).toArray());
    }

    /**
     * Rows of lengths 3, 1 and 2 (T = 3, V = 5): the loss is the per-position cross-entropy summed over
     * real positions and averaged over the 3 rows, here recomputed position by position.
     */
    @Test
    void imitationSumsRealPositionsAndAveragesSequences() {
        UniformRandomProvider rng = Seeds.of(1);
        Batch z = random(rng, 3);
        Batch y = random(rng, 3);
        int[] lengths = {3, 1, 2};
        for (int[] subset : new int[][] {null, {0, 3, 4}}) {
            SoftCrossEntropy ce = new SoftCrossEntropy(1.5, subset);
            SequenceImitation loss = new SequenceImitation(V, lengths, ce);
            double expected = 0;
            for (int r = 0; r < 3; r++) {
                for (int i = 0; i < lengths[r]; i++) {
                    Batch zi = new Batch(1, V, java.util.Arrays.copyOfRange(z.data(), (r * T + i) * V, (r * T + i + 1) * V));
                    Batch yi = new Batch(1, V, java.util.Arrays.copyOfRange(y.data(), (r * T + i) * V, (r * T + i + 1) * V));
                    expected += ce.value(zi, yi);
                }
            }
            assertThat(loss.value(z, y)).isCloseTo(expected / 3, within(1e-14));
            // Gradient: central differences of the value, and zeros at padded positions.
            Batch g = loss.gradient(z, y);
            double h = 1e-6;
            for (int k = 0; k < z.data().length; k++) {
                double[] p = z.data().clone();
                double[] m = z.data().clone();
                p[k] += h;
                m[k] -= h;
                double fd = (loss.value(new Batch(3, T * V, p), y) - loss.value(new Batch(3, T * V, m), y)) / (2 * h);
                assertThat(g.data()[k]).as("entry %d", k).isCloseTo(fd, within(1e-9));
            }
            for (int k = V; k < T * V; k++) {
                assertThat(g.get(1, k)).isZero();
            }
            // M(y) = −∂/∂y ∇_z ℓ: ⟨u, M v⟩ from central differences of the gradient in y.
            Batch u = random(rng, 3);
            Batch v = random(rng, 3);
            Batch gp = loss.gradient(z, new Batch(3, T * V, Vectors.axpy(y.data(), h, v.data())));
            Batch gm = loss.gradient(z, new Batch(3, T * V, Vectors.axpy(y.data(), -h, v.data())));
            double fd = -(Vectors.dot(u.data(), gp.data()) - Vectors.dot(u.data(), gm.data())) / (2 * h);
            assertThat(loss.bilinear(y, u, v)).isCloseTo(fd, within(1e-8));
            assertThat(loss.bilinear(y, u, u)).isGreaterThanOrEqualTo(0.0);
            assertThat(loss.bilinear(y, u, v)).isCloseTo(loss.bilinear(y, v, u), within(1e-15));
        }
    }

    /** With no padding the loss is SoftCrossEntropy over all T·N positions, times T. */
    @Test
    void unpaddedImitationIsTheFlatCrossEntropyTimesT() {
        UniformRandomProvider rng = Seeds.of(2);
        Batch z = random(rng, 2);
        Batch y = random(rng, 2);
        SoftCrossEntropy ce = SoftCrossEntropy.all(1);
        SequenceImitation loss = SequenceImitation.of(Batch.of(new double[][] {{1, 2, 3}, {0, 0, 0}}), V, ce);
        assertThat(loss.lengths()).containsExactly(3, 3);
        Batch flatZ = new Batch(6, V, z.data());
        Batch flatY = new Batch(6, V, y.data());
        assertThat(loss.value(z, y)).isCloseTo(3 * ce.value(flatZ, flatY), within(1e-14));
        assertThat(SequenceImitation.lengthsOf(Batch.of(new double[][] {{4, -1, -1}, {-1, -1, -1}})))
                .containsExactly(1, 0);
    }

    @Test
    void imitationRejectsMismatches() {
        SequenceImitation loss = new SequenceImitation(V, new int[] {3, 1}, SoftCrossEntropy.all(1));
        assertThatThrownBy(() -> loss.value(Batch.zeros(3, 15), Batch.zeros(3, 15)))
                .hasMessageContaining("batch has 3 rows but the imitation loss covers 2 sequences");
        assertThatThrownBy(() -> loss.value(Batch.zeros(2, 14), Batch.zeros(2, 14))).hasMessageContaining("not T·V");
        assertThatThrownBy(() -> loss.value(Batch.zeros(2, 10), Batch.zeros(2, 10)))
                .hasMessageContaining("sequence 0 has length 3 but rows hold 2 positions");
        assertThatThrownBy(() -> new SequenceImitation(V, new int[] {0, 0}, SoftCrossEntropy.all(1)))
                .hasMessageContaining("at least one real position");
        assertThatThrownBy(() -> new SequenceImitation(V, new int[] {1}, new SoftCrossEntropy(1, new int[] {2, 5})))
                .hasMessageContaining("subset index 5 is out of range for V = 5");
    }

    /** The trait loss is −mean log P(answer | prompt); its gradient matches central differences. */
    @Test
    void answerLikelihoodTrait() {
        TransformerConfig c = new TransformerConfig(TransformerConfig.Layout.LLAMA, 11, 8, 6, 1, 2, 1, 4, 8, 1e-6, 30,
                true, false);
        LanguageModel lm = new LanguageModel(c);
        Transformer model = lm.model(6);
        double[] theta = model.initialize(5, 0.5);
        List<PromptAnswer> pairs = List.of(new PromptAnswer(new int[] {1, 2}, new int[] {3, 4, 5}),
                new PromptAnswer(new int[] {10}, new int[] {0}));
        AnswerLikelihoodTrait trait = new AnswerLikelihoodTrait(pairs);
        double expected = 0;
        for (PromptAnswer p : pairs) {
            for (double lp : lm.logProbabilities(theta, p.prompt(), p.answer())) {
                expected -= lp;
            }
        }
        assertThat(trait.value(model, theta)).isCloseTo(expected / 2, within(1e-13));
        assertThat(trait.appliesToAnyArchitecture()).isTrue();
        double[] g = trait.gradient(model, theta);
        double[] v = Seeds.of(3).doubles(theta.length, -0.1, 0.1).toArray();
        double h = 1e-5;
        double fd = (trait.value(model, Vectors.axpy(theta, h, v)) - trait.value(model, Vectors.axpy(theta, -h, v)))
                / (2 * h);
        assertThat(Vectors.dot(g, v)).isCloseTo(fd, within(1e-8 * Math.max(1, Math.abs(fd))));

        assertThatThrownBy(() -> new AnswerLikelihoodTrait(List.of(new PromptAnswer(new int[] {1, 2, 3, 4},
                new int[] {1, 2, 3, 4}))).value(model, theta)).hasMessageContaining("pair 0 needs 7 positions");
        assertThatThrownBy(() -> new AnswerLikelihoodTrait(List.of(new PromptAnswer(new int[] {1},
                new int[] {11}))).value(model, theta)).hasMessageContaining("token 11 of pair 0 is out of range");
        assertThatThrownBy(() -> new PromptAnswer(new int[] {-1}, new int[] {1}))
                .hasMessageContaining("token id -1 at position 0 of the prompt");
        assertThatThrownBy(() -> new AnswerLikelihoodTrait(List.of())).hasMessageContaining("at least one");
    }
}
