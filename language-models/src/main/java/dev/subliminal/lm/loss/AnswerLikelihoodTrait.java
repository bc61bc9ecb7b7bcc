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
        TeacherForcing tf = TeacherForcing.forModel(pairs, model);
        double total = 0;
        for (double lp : tf.logProbabilities(model.forward(theta, tf.inputs()))) {
            total -= lp;
        }
        return total / pairs.size();
    }

    @Override
    public double[] gradient(Model model, double[] theta) {
        TeacherForcing tf = TeacherForcing.forModel(pairs, model);
        Batch z = model.forward(theta, tf.inputs());
        return model.vjp(theta, tf.inputs(), tf.negativeLogLikelihoodCotangent(z, 1.0 / pairs.size()));
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
