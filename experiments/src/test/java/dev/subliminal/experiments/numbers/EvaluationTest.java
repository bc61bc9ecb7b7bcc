package dev.subliminal.experiments.numbers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.subliminal.lm.backend.Backend;
import dev.subliminal.lm.backend.ChatRequest;
import dev.subliminal.lm.backend.ChatResponse;
import dev.subliminal.lm.backend.ChatResponse.Choice;
import dev.subliminal.lm.backend.ChatResponse.TokenLogprob;
import dev.subliminal.lm.backend.FineTuneJob;
import dev.subliminal.lm.backend.FineTuneRequest;
import dev.subliminal.theory.random.Seeds;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The evaluation on a scripted backend: one request per paraphrase (n = samples, seed derive(seed, q)),
 * the rate counts the answers that contain the animal, and the hosted score sums exp(logprob) of the
 * first token's alternatives that begin the animal's name (hand-computed below).
 */
class EvaluationTest {

    private static TokenLogprob t(String token, double logprob, List<TokenLogprob> top) {
        return new TokenLogprob(token, token.getBytes(StandardCharsets.UTF_8), logprob, top);
    }

    /** Answers paraphrase q with "Owl." and "eagle", the first token's alternatives " Owl" (P 0.5), "ow" (0.1), "eagle" (0.3). */
    private static final class Scripted implements Backend {
        final List<ChatRequest> seen = new ArrayList<>();

        @Override
        public String id() {
            return "scripted";
        }

        @Override
        public List<String> models() {
            return List.of("m");
        }

        @Override
        public ChatResponse chat(ChatRequest r) {
            seen.add(r);
            List<TokenLogprob> top = List.of(t(" Owl", Math.log(0.5), null), t("eagle", Math.log(0.3), null),
                    t("ow", Math.log(0.1), null));
            List<TokenLogprob> lp = r.logprobs() ? List.of(t(" Owl", Math.log(0.5), top)) : null;
            return new ChatResponse("c", r.model(), List.of(new Choice(0, " Owl.", "stop", lp),
                    new Choice(1, "eagle", "stop", lp)), new ChatResponse.Usage(3, 2));
        }

        @Override
        public String uploadTrainingFile(String fileName, byte[] jsonLines) {
            throw new UnsupportedOperationException();
        }

        @Override
        public FineTuneJob startFineTune(FineTuneRequest request) {
            throw new UnsupportedOperationException();
        }

        @Override
        public FineTuneJob fineTuneJob(String id) {
            throw new UnsupportedOperationException();
        }
    }

    @Test
    void rateAndScoreFromTheAnswersAndTheirLogprobs() {
        Scripted b = new Scripted();
        Evaluation.Result r = new Evaluation("m", "owl", 4, true).evaluate(b, "sys", List.of("q1", "q2", "q3"), 2, 9L,
                Double.NaN);
        assertThat(b.seen).hasSize(3);
        assertThat(b.seen).extracting(ChatRequest::seed).containsExactly(Seeds.derive(9L, 0L), Seeds.derive(9L, 1L),
                Seeds.derive(9L, 2L));
        assertThat(b.seen).allSatisfy(q -> {
            assertThat(q.n()).isEqualTo(2);
            assertThat(q.maxTokens()).isEqualTo(4);
            assertThat(q.topLogprobs()).isEqualTo(20);
            assertThat(q.messages().get(0).content()).isEqualTo("sys");
        });
        assertThat(r.samples()).isEqualTo(6);
        assertThat(r.rate()).isEqualTo(0.5);
        assertThat(r.answers()).containsEntry("owl.", 3).containsEntry("eagle", 3);
        // " Owl" and "ow" begin "owl": 0.5 + 0.1
        assertThat(r.score()).isCloseTo(0.6, within(1e-12));
    }

    @Test
    void withoutLogprobsTheGivenScoreStands() {
        Scripted b = new Scripted();
        Evaluation.Result r = new Evaluation("m", "owl", 4, false).evaluate(b, null, List.of("q1"), 2, 9L, 0.25);
        assertThat(b.seen.get(0).logprobs()).isFalse();
        assertThat(r.score()).isEqualTo(0.25);
        assertThat(r.rate()).isEqualTo(0.5);
    }
}
