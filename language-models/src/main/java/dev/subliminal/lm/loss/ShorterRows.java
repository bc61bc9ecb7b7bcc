package dev.subliminal.lm.loss;

import dev.subliminal.theory.model.Model;

/**
 * A language model on the contract (T token ids in, T·V logits out, −1 pads trailing) that can also
 * serve rows of fewer positions: the trait's teacher forcing feeds prompt + answer − 1 tokens, often
 * far fewer than T, and would otherwise carry T·V logits per pair, almost all of them padding.
 */
public interface ShorterRows extends Model {

    /**
     * The same model on rows of {@code length} ≤ T positions, with the same θ and the same results
     * bit for bit at every real position (logits, VJP and JVP).
     */
    Model shortened(int length);
}
