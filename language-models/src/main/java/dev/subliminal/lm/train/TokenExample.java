package dev.subliminal.lm.train;

import java.util.Arrays;

/**
 * A training sequence t_0..t_{L−1} and the index f of its first target: the model reads
 * t_0..t_{L−2} and is scored on predicting t_f..t_{L−1} (so a prompt t_0..t_{f−1} is context only).
 *
 * @param tokens the ids, at least 2
 * @param firstTarget f, 1 ≤ f < L
 */
public record TokenExample(int[] tokens, int firstTarget) {

    public TokenExample {
        if (tokens == null || tokens.length < 2) {
            throw new IllegalArgumentException("a training example needs at least 2 tokens, got "
                    + (tokens == null ? 0 : tokens.length));
        }
        if (firstTarget < 1 || firstTarget >= tokens.length) {
            throw new IllegalArgumentException("the first target " + firstTarget + " must be in [1, " + (tokens.length - 1)
                    + "] for " + tokens.length + " tokens");
        }
        tokens = tokens.clone();
        for (int i = 0; i < tokens.length; i++) {
            if (tokens[i] < 0) {
                throw new IllegalArgumentException("token id " + tokens[i] + " at position " + i + " is negative");
            }
        }
    }

    /** Every token after the first is a target (language-model pre-training). */
    public static TokenExample of(int... tokens) {
        return new TokenExample(tokens, 1);
    }

    /** A prompt (context only) followed by a completion whose tokens are the targets (fine-tuning). */
    public static TokenExample completion(int[] prompt, int[] completion) {
        if (prompt.length == 0 || completion.length == 0) {
            throw new IllegalArgumentException("a completion example needs a prompt and a completion of at least one token");
        }
        int[] all = Arrays.copyOf(prompt, prompt.length + completion.length);
        System.arraycopy(completion, 0, all, prompt.length, completion.length);
        return new TokenExample(all, prompt.length);
    }

    @Override
    public int[] tokens() {
        return tokens.clone();
    }

    /** L. */
    public int length() {
        return tokens.length;
    }

    /** The number of scored positions, L − f. */
    public int targets() {
        return tokens.length - firstTarget;
    }

    /** The ids without a copy (for the trainer). */
    int[] ids() {
        return tokens;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TokenExample e && e.firstTarget == firstTarget && Arrays.equals(e.tokens, tokens);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(tokens) * 31 + firstTarget;
    }

    @Override
    public String toString() {
        return Arrays.toString(Arrays.copyOf(tokens, firstTarget)) + " → "
                + Arrays.toString(Arrays.copyOfRange(tokens, firstTarget, tokens.length));
    }
}
