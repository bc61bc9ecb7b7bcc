/**
 * Language-model losses for the transmission check: {@link dev.subliminal.lm.loss.SequenceImitation}
 * (soft cross-entropy between next-token distributions, summed over real positions and averaged over
 * sequences, M block-diagonal over positions) and {@link dev.subliminal.lm.loss.AnswerLikelihoodTrait}
 * (L_T = −(1/K) Σ_k log P_θ(answer_k | prompt_k) by teacher forcing). Both read only a model's
 * outputs, so they work for any model on the language-model convention; a model that can serve shorter
 * rows with the same numbers ({@link dev.subliminal.lm.loss.ShorterRows}, as transformers do) runs the
 * trait on rows as long as its longest pair.
 */
package dev.subliminal.lm.loss;
