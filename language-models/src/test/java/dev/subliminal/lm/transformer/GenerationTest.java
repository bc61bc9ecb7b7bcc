package dev.subliminal.lm.transformer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.subliminal.theory.loss.Softmax;
import dev.subliminal.theory.model.Batch;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class GenerationTest {

    private static final TransformerConfig[] CONFIGS = {
        new TransformerConfig(TransformerConfig.Layout.GPT2, 17, 12, 8, 2, 2, 2, 4, 16, 1e-5, 0, true, true),
        new TransformerConfig(TransformerConfig.Layout.LLAMA, 17, 12, 8, 2, 4, 2, 2, 12, 1e-6, 50, false, true),
    };

    /** Logits fed through the cache, a prompt at once and then token by token, equal a full forward pass. */
    @Test
    void cachedLogitsEqualFullForwardLogits() {
        for (TransformerConfig c : CONFIGS) {
            LanguageModel lm = new LanguageModel(c);
            double[] theta = lm.model(1).initialize(3, 0.5);
            int[] tokens = {3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8};
            double[] full = lm.model(12).forward(theta, Batch.of(new double[][] {
                Arrays.stream(tokens).asDoubleStream().toArray()})).row(0);
            DecodingSession session = lm.session(theta);
            double[] cached = new double[full.length];
            System.arraycopy(session.feed(Arrays.copyOf(tokens, 5)), 0, cached, 0, 5 * 17);
            for (int i = 5; i < 12; i++) {
                System.arraycopy(session.feed(tokens[i]), 0, cached, i * 17, 17);
            }
            assertThat(session.length()).isEqualTo(12);
            double err = 0;
            for (int k = 0; k < full.length; k++) {
                err = Math.max(err, Math.abs(full[k] - cached[k]));
            }
            System.out.printf("%s: max |cache − full| = %.1e%n", c.layout(), err);
            assertThat(err).as("cache vs full forward, %s", c.layout()).isLessThanOrEqualTo(1e-12);
            assertThatThrownBy(() -> session.feed(1)).hasMessageContaining("exceed the context length 12");
        }
    }

    /** With and without the cache, the same seed samples the same tokens (greedy and nucleus). */
    @Test
    void sameTokensWithAndWithoutCache() {
        for (TransformerConfig c : CONFIGS) {
            LanguageModel lm = new LanguageModel(c);
            double[] theta = lm.model(1).initialize(4, 0.5);
            int[] prompt = {2, 7, 1};
            for (Sampling s : new Sampling[] {Sampling.greedy(9), new Sampling(9, 1.0, 1.0, 42, null),
                new Sampling(9, 0.7, 0.8, 43, null)}) {
                int[] cached = lm.generate(theta, prompt, s);
                assertThat(cached).as("%s %s", c.layout(), s).hasSize(9)
                        .containsExactly(lm.generateWithoutCache(theta, prompt, s));
                assertThat(lm.generate(theta, prompt, s)).as("replay").containsExactly(cached);
            }
            // Greedy picks the argmax of the full-forward logits at each step.
            int[] greedy = lm.generate(theta, prompt, Sampling.greedy(3));
            double[] row = {2, 7, 1, greedy[0], greedy[1]};
            Batch z = lm.model(5).forward(theta, Batch.of(new double[][] {row}));
            for (int j = 0; j < 3; j++) {
                assertThat(argmax(z.row(0), (2 + j) * 17, 17)).isEqualTo(greedy[j]);
            }
        }
    }

    /** Generation ends after a stop token, which is returned. */
    @Test
    void stopTokensEndGeneration() {
        LanguageModel lm = new LanguageModel(CONFIGS[0]);
        double[] theta = lm.model(1).initialize(4, 0.5);
        int[] free = lm.generate(theta, new int[] {1}, new Sampling(8, 1, 1, 5, null));
        int stop = free[3];
        int first = 0;
        while (free[first] != stop) {
            first++;
        }
        int[] stopped = lm.generate(theta, new int[] {1}, new Sampling(8, 1, 1, 5, new int[] {stop}));
        assertThat(stopped).containsExactly(Arrays.copyOf(free, first + 1));
        assertThat(lm.generateWithoutCache(theta, new int[] {1}, new Sampling(8, 1, 1, 5, new int[] {stop})))
                .containsExactly(stopped);
    }

    /** Top-p small enough keeps only the most probable token: the same as greedy whatever the seed. */
    @Test
    void tinyTopPIsGreedy() {
        LanguageModel lm = new LanguageModel(CONFIGS[1]);
        double[] theta = lm.model(1).initialize(6, 0.5);
        int[] greedy = lm.generate(theta, new int[] {3, 3}, Sampling.greedy(6));
        for (long seed = 0; seed < 5; seed++) {
            assertThat(lm.generate(theta, new int[] {3, 3}, new Sampling(6, 1.3, 1e-9, seed, null)))
                    .containsExactly(greedy);
        }
    }

    /** log P(continuation | prompt) token by token equals the log-softmax of the cached logits. */
    @Test
    void logProbabilitiesMatchTheCache() {
        LanguageModel lm = new LanguageModel(CONFIGS[1]);
        double[] theta = lm.model(1).initialize(8, 0.5);
        double[] lp = lm.logProbabilities(theta, new int[] {4, 5}, new int[] {6, 7, 8});
        DecodingSession s = lm.session(theta);
        double[] z = s.feed(4, 5, 6, 7);
        double[] logq = new double[17];
        for (int j = 0; j < 3; j++) {
            Softmax.logSoftmax(z, (1 + j) * 17, null, 17, 1.0, logq);
            assertThat(lp[j]).isCloseTo(logq[6 + j], org.assertj.core.data.Offset.offset(1e-12));
            assertThat(lp[j]).isNegative();
        }
    }

    @Test
    void badRequestsAreNamed() {
        LanguageModel lm = new LanguageModel(CONFIGS[0]);
        double[] theta = lm.initialize(1);
        assertThatThrownBy(() -> lm.generate(theta, new int[0], Sampling.greedy(2)))
                .hasMessageContaining("prompt of at least one token");
        assertThatThrownBy(() -> lm.generate(theta, new int[] {1, 2, 3}, Sampling.greedy(10)))
                .hasMessageContaining("exceed the context length 12");
        assertThatThrownBy(() -> lm.generate(theta, new int[] {17}, Sampling.greedy(2)))
                .hasMessageContaining("token 17 at position 0 is out of range for a vocabulary of 17");
        assertThatThrownBy(() -> lm.generate(theta, new int[] {1}, new Sampling(2, 1, 1, 0, new int[] {40})))
                .hasMessageContaining("stop token 40");
        assertThatThrownBy(() -> new Sampling(2, -1, 1, 0, null)).hasMessageContaining("temperature = -1.0");
        assertThatThrownBy(() -> new Sampling(2, 1, 0, 0, null)).hasMessageContaining("top-p = 0.0");
        assertThatThrownBy(() -> lm.session(new double[4])).hasMessageContaining("θ has length 4");
        assertThatThrownBy(() -> lm.logProbabilities(theta, new int[] {1}, new int[0]))
                .hasMessageContaining("answer needs at least one token");
    }

    private static int argmax(double[] z, int offset, int n) {
        int best = 0;
        for (int k = 1; k < n; k++) {
            if (z[offset + k] > z[offset + best]) {
                best = k;
            }
        }
        return best;
    }
}
