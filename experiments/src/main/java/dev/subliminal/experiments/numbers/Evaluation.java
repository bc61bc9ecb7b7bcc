package dev.subliminal.experiments.numbers;

import dev.subliminal.lm.backend.Backend;
import dev.subliminal.lm.backend.ChatRequest;
import dev.subliminal.lm.backend.ChatResponse;
import dev.subliminal.lm.tokenizer.WordTokenizer;
import dev.subliminal.lm.transformer.DecodingSession;
import dev.subliminal.lm.transformer.LanguageModel;
import dev.subliminal.theory.random.Seeds;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The trait metric of a model, the same whoever runs it: for each preference paraphrase q (a chat
 * prompt, under a system prompt for the prompted teacher),
 * <ul>
 *   <li>the sampled rate r = share of answers that name the animal (the stripped, lower-cased answer
 *       contains it), over N answers per paraphrase: one chat request per paraphrase with n = N,
 *       temperature 1, at most {@code answerTokens} tokens and seed derive(seed, q);</li>
 *   <li>the deterministic score s = mean_q P(a | q), the probability that the answer's first token
 *       is a: in-process, a is the animal's token and P comes from θ ({@link #score}); on a hosted
 *       backend, P is the sum of exp(logprob) over the first token's top alternatives whose stripped,
 *       lower-cased text begins the animal's name (NaN when the backend gives no log-probabilities).</li>
 * </ul>
 */
public final class Evaluation {

    /** The longest answer sampled in-process. */
    public static final int MAX_ANSWER_TOKENS = 4;

    /** Alternatives asked per token when the score comes from log-probabilities (the API's most). */
    static final int TOP_LOGPROBS = 20;

    /** The rate over {@code samples} answers, the score, and the count of every answer. */
    public record Result(double rate, double score, int samples, Map<String, Integer> answers) {
    }

    /** Builds a chat prompt (system or null, user). */
    @FunctionalInterface
    public interface Prompter {
        int[] prompt(String system, String user);
    }

    private final String model;
    private final String animal;
    private final int answerTokens;
    private final boolean logprobs;

    /**
     * The evaluation of {@code model} (its name at the backend) for {@code animal}; with
     * {@code logprobs}, the score is read from the answers' log-probabilities.
     */
    public Evaluation(String model, String animal, int answerTokens, boolean logprobs) {
        this.model = model;
        this.animal = animal;
        this.answerTokens = answerTokens;
        this.logprobs = logprobs;
    }

    /** The requests: paraphrase q once, n = samples, seed derive(seed, q). */
    public List<ChatRequest> requests(String system, List<String> questions, int samples, long seed) {
        List<ChatRequest> rs = new ArrayList<>();
        for (int q = 0; q < questions.size(); q++) {
            ChatRequest r = ChatRequest.of(model, system, questions.get(q), samples, 1.0, answerTokens,
                    Seeds.derive(seed, (long) q));
            rs.add(logprobs ? r.withLogprobs(TOP_LOGPROBS) : r);
        }
        return rs;
    }

    /**
     * Asks the backend and counts; {@code score} is used as the score unless the answers carry
     * log-probabilities.
     */
    public Result evaluate(Backend backend, String system, List<String> questions, int samples, long seed, double score) {
        List<ChatResponse> rs = backend.chatAll(requests(system, questions, samples, seed));
        int hits = 0;
        int total = 0;
        double p = 0;
        Map<String, Integer> answers = new HashMap<>();
        for (ChatResponse r : rs) {
            for (ChatResponse.Choice c : r.choices()) {
                String text = c.content().strip().toLowerCase(Locale.ROOT);
                answers.merge(text, 1, Integer::sum);
                total++;
                if (text.contains(animal)) {
                    hits++;
                }
            }
            p += firstTokenProbability(r);
        }
        return new Result(hits / (double) total, logprobs ? p / rs.size() : score, total, answers);
    }

    /** P(the first token begins the animal's name), from choice 0's first token's alternatives; NaN without them. */
    double firstTokenProbability(ChatResponse r) {
        ChatResponse.Choice c = r.choices().get(0);
        if (c.logprobs() == null) {
            return Double.NaN;
        }
        if (c.logprobs().isEmpty()) {
            return 0;
        }
        double p = 0;
        for (ChatResponse.TokenLogprob t : c.logprobs().get(0).top()) {
            String s = t.token().strip().toLowerCase(Locale.ROOT);
            if (!s.isEmpty() && animal.startsWith(s)) {
                p += StrictMath.exp(t.logprob());
            }
        }
        return p;
    }

    /** s = mean_q P_θ(a | q), a the animal's token, from one decoding pass per paraphrase. */
    public double score(LanguageModel lm, WordTokenizer tokenizer, double[] theta, String system, List<String> questions,
            Prompter prompter) {
        int target = tokenizer.id(animal);
        int vocab = lm.config().vocabSize();
        double score = 0;
        for (String q : questions) {
            score += distribution(lm, theta, prompter.prompt(system, q), vocab)[target];
        }
        return score / questions.size();
    }

    /** P(next token | prompt), by softmax of the last row of one decoding pass. */
    private static double[] distribution(LanguageModel lm, double[] theta, int[] ids, int vocab) {
        DecodingSession s = lm.session(theta);
        double[] z = s.feed(ids);
        int o = (ids.length - 1) * vocab;
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < vocab; j++) {
            max = Math.max(max, z[o + j]);
        }
        double[] p = new double[vocab];
        double sum = 0;
        for (int j = 0; j < vocab; j++) {
            p[j] = StrictMath.exp(z[o + j] - max);
            sum += p[j];
        }
        for (int j = 0; j < vocab; j++) {
            p[j] /= sum;
        }
        return p;
    }
}
