package dev.subliminal.lm.loss;

import java.util.Arrays;

/**
 * A prompt and the answer whose likelihood a trait measures, as token ids.
 *
 * @param prompt at least one token
 * @param answer at least one token
 */
public record PromptAnswer(int[] prompt, int[] answer) {

    public PromptAnswer {
        if (prompt == null || prompt.length == 0) {
            throw new IllegalArgumentException("a prompt needs at least one token");
        }
        if (answer == null || answer.length == 0) {
            throw new IllegalArgumentException("an answer needs at least one token");
        }
        prompt = prompt.clone();
        answer = answer.clone();
        for (int[] ids : new int[][] {prompt, answer}) {
            for (int i = 0; i < ids.length; i++) {
                if (ids[i] < 0) {
                    throw new IllegalArgumentException("token id " + ids[i] + " at position " + i + " of "
                            + (ids == prompt ? "the prompt" : "the answer") + " is negative");
                }
            }
        }
    }

    @Override
    public int[] prompt() {
        return prompt.clone();
    }

    @Override
    public int[] answer() {
        return answer.clone();
    }

    /** Positions fed to the model under teacher forcing: the prompt and all answer tokens but the last. */
    public int fedLength() {
        return prompt.length + answer.length - 1;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PromptAnswer p && Arrays.equals(p.prompt, prompt) && Arrays.equals(p.answer, answer);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(prompt) * 31 + Arrays.hashCode(answer);
    }

    @Override
    public String toString() {
        return Arrays.toString(prompt) + " → " + Arrays.toString(answer);
    }
}
