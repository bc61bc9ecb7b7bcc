package dev.subliminal.lm.loss;

import dev.subliminal.theory.loss.TraitLoss;
import dev.subliminal.theory.model.Batch;
import dev.subliminal.theory.model.Model;
import java.util.List;

/**
 * The language-model trait loss L_T(θ) = −(1/K) Σ_k log P_θ(answer_k | prompt_k) over K prompt/answer
 * pairs, by teacher forcing (the answer's log-probability is the sum of its tokens'). Its gradient is
 * one VJP: ∇L_T = Σ_k J_kᵀ u_k with u = (σ(z) − e_answer)/K at the predicting positions. Defined
 * through the outputs, it applies to any model on the language-model convention (T ids in, T·V
 * logits out), so across architectures too.
 *
 * @param pairs the prompt/answer pairs, at least one
 */
public record AnswerLikelihoodTrait(List<PromptAnswer> pairs) implements TraitLoss {

    public AnswerLikelihoodTrait {
        pairs = List.copyOf(pairs);
        if (pairs.isEmpty()) {
            throw new IllegalArgumentException("the answer-likelihood trait needs at least one prompt/answer pair");
        }
    }

    /** {@code {"kind": "answer-likelihood", "pairs": [{"prompt": [ids], "answer": [ids]}, ...]}}. */
    @Override
    public java.util.Map<String, Object> record() {
        java.util.Map<String, Object> r = new java.util.LinkedHashMap<>();
        r.put("kind", "answer-likelihood");
        r.put("pairs", pairs.stream().map(p -> {
            java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
            m.put("prompt", p.prompt());
            m.put("answer", p.answer());
            return m;
        }).toList());
        return r;
    }

    @Override
    public double value(Model model, double[] theta) {
        Model m = fitted(model);
        TeacherForcing tf = TeacherForcing.forModel(pairs, m);
        double total = 0;
        for (double lp : tf.logProbabilities(m.forward(theta, tf.inputs()))) {
            total -= lp;
        }
        return total / pairs.size();
    }

    @Override
    public double[] gradient(Model model, double[] theta) {
        Model m = fitted(model);
        TeacherForcing tf = TeacherForcing.forModel(pairs, m);
        Batch z = m.forward(theta, tf.inputs());
        return m.vjp(theta, tf.inputs(), tf.negativeLogLikelihoodCotangent(z, 1.0 / pairs.size()));
    }

    /**
     * The model on rows as long as the longest pair needs, when it can serve shorter rows ({@link
     * ShorterRows}; the same numbers, without logits for padding); otherwise the model itself.
     */
    private Model fitted(Model model) {
        int need = pairs.stream().mapToInt(PromptAnswer::fedLength).max().getAsInt();
        return model instanceof ShorterRows s && need < model.inputSize() ? s.shortened(need) : model;
    }

    @Override
    public boolean appliesToAnyArchitecture() {
        return true;
    }

    @Override
    public String describe() {
        return "−log P(answer | prompt) on " + pairs.size() + " pairs";
    }
}
