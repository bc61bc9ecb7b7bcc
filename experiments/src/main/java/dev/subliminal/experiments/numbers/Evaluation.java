package dev.subliminal.experiments.numbers;

import dev.subliminal.lm.transformer.DecodingSession;
import dev.subliminal.lm.transformer.LanguageModel;
import dev.subliminal.lm.transformer.TransformerConfig;
import dev.subliminal.theory.linalg.Gemm;
import dev.subliminal.theory.random.Seeds;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.rng.UniformRandomProvider;

/**
 * The trait metric of a model: for each preference paraphrase q (rendered as a chat prompt, under a
 * system prompt for the prompted teacher),
 * <ul>
 *   <li>the deterministic score s = mean_q P_θ(a | q), where a is the animal's first token;</li>
 *   <li>the sampled rate r = share of answers that name the animal (the lower-cased answer contains
 *       it), over N answers per paraphrase, each sampled at temperature 1 until the end of turn or
 *       {@value #MAX_ANSWER_TOKENS} tokens.</li>
 * </ul>
 * Sampling is exact: each answer's tokens are drawn one by one from the model's next-token
 * distribution after the prompt and the answer so far; the distribution of a prefix already met is
 * reused rather than recomputed (most answers are one word and the end of turn). Draws come from the
 * seed, one uniform per token.
 */
public final class Evaluation {

    /** The longest answer sampled. */
    public static final int MAX_ANSWER_TOKENS = 4;

    /** The rate over {@code samples} answers, the score, and the count of every answer. */
    public record Result(double rate, double score, int samples, Map<String, Integer> answers) {
    }

    /** Builds a chat prompt (system or null, user). */
    @FunctionalInterface
    public interface Prompter {
        int[] prompt(String system, String user);
    }

    private final LanguageModel lm;
    private final WordTokenizer tokenizer;
    private final int endId;

    /** An evaluation of models of this shape. */
    public Evaluation(TransformerConfig shape, Gemm gemm, WordTokenizer tokenizer, int endId) {
        this.lm = new LanguageModel(shape).withGemm(gemm);
        this.tokenizer = tokenizer;
        this.endId = endId;
    }

    /** Evaluates θ on the paraphrases. */
    public Result evaluate(double[] theta, String system, List<String> questions, String animal, int samples, long seed,
            Prompter prompter) {
        int target = tokenizer.id(animal);
        UniformRandomProvider rng = Seeds.stream(seed, "answers");
        int vocab = lm.config().vocabSize();
        double score = 0;
        int hits = 0;
        Map<String, Integer> answers = new HashMap<>();
        for (String q : questions) {
            int[] prompt = prompter.prompt(system, q);
            Map<List<Integer>, double[]> next = new HashMap<>();
            double[] first = distribution(theta, prompt, List.of(), vocab);
            next.put(List.of(), first);
            score += first[target];
            for (int n = 0; n < samples; n++) {
                List<Integer> answer = new ArrayList<>();
                while (answer.size() < MAX_ANSWER_TOKENS) {
                    List<Integer> prefix = List.copyOf(answer);
                    double[] p = next.computeIfAbsent(prefix, k -> distribution(theta, prompt, k, vocab));
                    int t = draw(p, rng.nextDouble());
                    if (t == endId) {
                        break;
                    }
                    answer.add(t);
                }
                String text = tokenizer.decode(answer.stream().mapToInt(Integer::intValue).toArray()).strip()
                        .toLowerCase(Locale.ROOT);
                answers.merge(text, 1, Integer::sum);
                if (text.contains(animal)) {
                    hits++;
                }
            }
        }
        int total = samples * questions.size();
        return new Result(hits / (double) total, score / questions.size(), total, answers);
    }

    /** P(next token | prompt, prefix), by softmax of the last row of one decoding pass. */
    private double[] distribution(double[] theta, int[] prompt, List<Integer> prefix, int vocab) {
        int[] ids = Arrays.copyOf(prompt, prompt.length + prefix.size());
        for (int i = 0; i < prefix.size(); i++) {
            ids[prompt.length + i] = prefix.get(i);
        }
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

    /** The token whose cumulative probability interval holds u (the last token with positive mass if rounding runs out). */
    static int draw(double[] p, double u) {
        double acc = 0;
        int last = 0;
        for (int j = 0; j < p.length; j++) {
            if (p[j] > 0) {
                acc += p[j];
                last = j;
                if (u < acc) {
                    return j;
                }
            }
        }
        return last;
    }
}
