package dev.subliminal.lm.transformer;

import dev.subliminal.theory.loss.Softmax;
import dev.subliminal.theory.random.Seeds;
import java.util.Arrays;
import org.apache.commons.rng.UniformRandomProvider;

/**
 * How to pick next tokens: temperature τ (0 = greedy, the lowest index among ties), nucleus top-p
 * (keep the most probable tokens, ties broken by lower index, until their mass reaches p, then
 * renormalize) and stop tokens (generation ends after emitting one). Draws come from the seed's
 * "generation" stream, one uniform per sampled token, so a seed replays the same tokens.
 *
 * @param maxNewTokens most tokens to generate (≥ 0)
 * @param temperature τ ≥ 0
 * @param topP p in (0, 1]
 * @param seed the seed of the draws
 * @param stopIds tokens that end generation (possibly none)
 */
public record Sampling(int maxNewTokens, double temperature, double topP, long seed, int[] stopIds) {

    public Sampling {
        if (maxNewTokens < 0) {
            throw new IllegalArgumentException("maxNewTokens = " + maxNewTokens + " must be ≥ 0");
        }
        if (!(temperature >= 0) || !Double.isFinite(temperature)) {
            throw new IllegalArgumentException("temperature = " + temperature + " must be finite and ≥ 0");
        }
        if (!(topP > 0 && topP <= 1)) {
            throw new IllegalArgumentException("top-p = " + topP + " must be in (0, 1]");
        }
        stopIds = stopIds == null ? new int[0] : stopIds.clone();
    }

    /** Greedy decoding of at most n tokens, no stop tokens. */
    public static Sampling greedy(int maxNewTokens) {
        return new Sampling(maxNewTokens, 0, 1, 0, new int[0]);
    }

    @Override
    public int[] stopIds() {
        return stopIds.clone();
    }

    /** The generator of this sampling's draws. */
    UniformRandomProvider random() {
        return Seeds.stream(seed, "generation");
    }

    /** Whether the token ends generation. */
    boolean stops(int token) {
        for (int s : stopIds) {
            if (s == token) {
                return true;
            }
        }
        return false;
    }

    /** The next token from logits z[offset .. offset + V). */
    int next(double[] z, int offset, int vocab, UniformRandomProvider rng) {
        if (temperature == 0) {
            int best = 0;
            for (int k = 1; k < vocab; k++) {
                if (z[offset + k] > z[offset + best]) {
                    best = k;
                }
            }
            return best;
        }
        double[] p = new double[vocab];
        Softmax.softmax(z, offset, null, vocab, temperature, p);
        Integer[] order = new Integer[vocab];
        for (int k = 0; k < vocab; k++) {
            order[k] = k;
        }
        Arrays.sort(order, (a, b) -> p[a] != p[b] ? Double.compare(p[b], p[a]) : Integer.compare(a, b));
        int kept = 0;
        double mass = 0;
        while (kept < vocab && (kept == 0 || mass < topP)) {
            mass += p[order[kept]];
            kept++;
        }
        double u = rng.nextDouble() * mass;
        double acc = 0;
        for (int i = 0; i < kept; i++) {
            acc += p[order[i]];
            if (u < acc) {
                return order[i];
            }
        }
        return order[kept - 1];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Sampling s && s.maxNewTokens == maxNewTokens && s.temperature == temperature
                && s.topP == topP && s.seed == seed && Arrays.equals(s.stopIds, stopIds);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(new double[] {maxNewTokens, temperature, topP, seed}) * 31 + Arrays.hashCode(stopIds);
    }

    @Override
    public String toString() {
        return "Sampling[max " + maxNewTokens + ", τ " + temperature + ", top-p " + topP + ", seed " + seed
                + ", stop " + Arrays.toString(stopIds) + "]";
    }
}
