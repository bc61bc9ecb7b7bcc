package dev.subliminal.lm.loss;

import dev.subliminal.theory.loss.Softmax;
import dev.subliminal.theory.model.Batch;
import dev.subliminal.theory.model.Model;
import java.util.List;

/**
 * Teacher forcing of prompt/answer pairs through a language model on the model contract (T token
 * ids in, T·V logits out, position-major, −1 pads trailing): row k is prompt_k followed by all but
 * the last answer token, and answer token j is predicted by the logits at position |prompt_k| − 1 + j.
 * Gives log P_θ(answer_k | prompt_k) = Σ_j log σ(z_{k, |prompt_k|−1+j})_{a_j} and its cotangent.
 */
public final class TeacherForcing {

    private final int length;
    private final int vocab;
    private final Batch inputs;
    private final int[] row;
    private final int[] position;
    private final int[] target;

    /** The inputs for a model taking {@code length} ids per row with vocabulary {@code vocab}. */
    public TeacherForcing(List<PromptAnswer> pairs, int length, int vocab) {
        if (pairs.isEmpty()) {
            throw new IllegalArgumentException("teacher forcing needs at least one prompt/answer pair");
        }
        this.length = length;
        this.vocab = vocab;
        int count = 0;
        for (int k = 0; k < pairs.size(); k++) {
            PromptAnswer p = pairs.get(k);
            if (p.fedLength() > length) {
                throw new IllegalArgumentException("pair " + k + " needs " + p.fedLength()
                        + " positions (prompt + answer − 1) but the model takes " + length);
            }
            count += p.answer().length;
        }
        double[] x = new double[pairs.size() * length];
        java.util.Arrays.fill(x, -1);
        row = new int[count];
        position = new int[count];
        target = new int[count];
        int t = 0;
        for (int k = 0; k < pairs.size(); k++) {
            int[] prompt = pairs.get(k).prompt();
            int[] answer = pairs.get(k).answer();
            for (int i = 0; i < pairs.get(k).fedLength(); i++) {
                int id = i < prompt.length ? prompt[i] : answer[i - prompt.length];
                x[k * length + i] = requireToken(id, k);
            }
            for (int j = 0; j < answer.length; j++) {
                row[t] = k;
                position[t] = prompt.length - 1 + j;
                target[t] = requireToken(answer[j], k);
                t++;
            }
        }
        inputs = new Batch(pairs.size(), length, x);
    }

    /** For a model on the language-model convention: T = its input size, V = outputs / T. */
    public static TeacherForcing forModel(List<PromptAnswer> pairs, Model model) {
        int t = model.inputSize();
        if (model.outputSize() % t != 0) {
            throw new IllegalArgumentException("model " + model.describe() + " has " + model.outputSize()
                    + " outputs for " + t + " inputs; a language model gives T·V logits for T tokens");
        }
        return new TeacherForcing(pairs, t, model.outputSize() / t);
    }

    private int requireToken(int id, int pair) {
        if (id >= vocab) {
            throw new IllegalArgumentException("token " + id + " of pair " + pair + " is out of range for a vocabulary of "
                    + vocab);
        }
        return id;
    }

    /** The input rows, one per pair. */
    public Batch inputs() {
        return inputs;
    }

    /** The number of predicted tokens, Σ_k |answer_k|. */
    public int predictions() {
        return target.length;
    }

    /** log P(answer token) for every predicted token, pairs in order, from the model's logits. */
    public double[] logProbabilities(Batch logits) {
        requireLogits(logits);
        double[] logq = new double[vocab];
        double[] out = new double[target.length];
        for (int t = 0; t < target.length; t++) {
            Softmax.logSoftmax(logits.data(), offset(t), null, vocab, 1.0, logq);
            out[t] = logq[target[t]];
        }
        return out;
    }

    /**
     * The cotangent of −(scale)·Σ log P(answer tokens) with respect to the logits: at each predicting
     * position scale·(σ(z) − e_target), 0 elsewhere.
     */
    public Batch negativeLogLikelihoodCotangent(Batch logits, double scale) {
        requireLogits(logits);
        double[] g = new double[logits.data().length];
        double[] q = new double[vocab];
        for (int t = 0; t < target.length; t++) {
            int o = offset(t);
            Softmax.softmax(logits.data(), o, null, vocab, 1.0, q);
            for (int k = 0; k < vocab; k++) {
                g[o + k] += scale * (q[k] - (k == target[t] ? 1 : 0));
            }
        }
        return new Batch(logits.rows(), logits.cols(), g);
    }

    private int offset(int t) {
        return row[t] * length * vocab + position[t] * vocab;
    }

    private void requireLogits(Batch logits) {
        if (logits.rows() != inputs.rows() || logits.cols() != length * vocab) {
            throw new IllegalArgumentException("logits are " + logits.rows() + "×" + logits.cols() + ", expected "
                    + inputs.rows() + "×" + (length * vocab));
        }
    }
}
