package dev.subliminal.lm.loss;

import dev.subliminal.theory.linalg.Gemm;
import dev.subliminal.theory.loss.ImitationLoss;
import dev.subliminal.theory.loss.SoftCrossEntropy;
import dev.subliminal.theory.model.Batch;
import java.util.Arrays;

/**
 * Imitation of a language model's next-token distributions: for rows of T·V logits (position-major)
 * over sequences of lengths L_r ≤ T, ℓ(z, y) = Σ_{i < L_r} ce(z_i, y_i), summed over the real
 * positions and averaged over the N sequences, where ce is {@link SoftCrossEntropy} at temperature
 * τ, optionally restricted to a vocabulary subset S. So L = (1/N) Σ_r Σ_{i<L_r} ce(z_{r,i}, y_{r,i})
 * and M(y) is block-diagonal over positions with blocks (diag p − p pᵀ)/τ² on S (p = σ(y_S/τ)), 0 at
 * padded positions. Each quantity is the per-position loss's own, on the batch of real positions
 * (M = Σ L_r rows of V logits), rescaled from its average over positions to the average over
 * sequences by M/N; the bilinear form keeps the covariance form, so u = v gives a sum of
 * non-negative terms.
 */
public final class SequenceImitation implements ImitationLoss {

    /** Entries of the gradient one task scales. */
    private static final int SCALED_PER_TASK = 1 << 16;

    private final int vocab;
    private final int[] lengths;
    private final SoftCrossEntropy perPosition;
    private final int positions;
    private final boolean full;
    private final Gemm threads;

    /**
     * @param vocab V
     * @param lengths L_r of each sequence (rows of the batches this loss is given)
     * @param perPosition the cross-entropy at each position (temperature and subset)
     */
    public SequenceImitation(int vocab, int[] lengths, SoftCrossEntropy perPosition) {
        this(vocab, lengths, perPosition, Gemm.defaults());
    }

    private SequenceImitation(int vocab, int[] lengths, SoftCrossEntropy perPosition, Gemm threads) {
        if (vocab < 1) {
            throw new IllegalArgumentException("vocabulary size V = " + vocab + " must be ≥ 1");
        }
        if (lengths.length == 0) {
            throw new IllegalArgumentException("sequence imitation needs at least one sequence");
        }
        int m = 0;
        for (int r = 0; r < lengths.length; r++) {
            if (lengths[r] < 0) {
                throw new IllegalArgumentException("sequence " + r + " has negative length " + lengths[r]);
            }
            m += lengths[r];
        }
        if (m == 0) {
            throw new IllegalArgumentException("sequence imitation needs at least one real position; all "
                    + lengths.length + " sequences are empty");
        }
        int[] subset = perPosition.logits();
        if (subset != null && subset[subset.length - 1] >= vocab) {
            throw new IllegalArgumentException("vocabulary subset index " + subset[subset.length - 1]
                    + " is out of range for V = " + vocab);
        }
        this.vocab = vocab;
        this.lengths = lengths.clone();
        this.perPosition = perPosition;
        this.positions = m;
        int first = lengths[0];
        this.full = Arrays.stream(lengths).allMatch(l -> l == first);
        this.threads = threads;
    }

    /**
     * The same loss with its per-position softmaxes and the gradient's rescaling on {@code context}'s
     * threads (all processors by default); the bits do not depend on the count, and the context is not
     * part of the identity.
     */
    public SequenceImitation withGemm(Gemm context) {
        return new SequenceImitation(vocab, lengths, perPosition, context);
    }

    /** Over the sequences of {@code inputs} (T token ids per row, −1 pads trailing). */
    public static SequenceImitation of(Batch inputs, int vocab, SoftCrossEntropy perPosition) {
        return new SequenceImitation(vocab, lengthsOf(inputs), perPosition);
    }

    /** The number of leading non-padding entries (≠ −1) of each row. */
    public static int[] lengthsOf(Batch inputs) {
        int[] out = new int[inputs.rows()];
        for (int r = 0; r < inputs.rows(); r++) {
            int l = 0;
            while (l < inputs.cols() && inputs.get(r, l) != -1) {
                l++;
            }
            out[r] = l;
        }
        return out;
    }

    /** The per-position loss. */
    public SoftCrossEntropy perPosition() {
        return perPosition;
    }

    /** L_r of each sequence. */
    public int[] lengths() {
        return lengths.clone();
    }

    @Override
    public double value(Batch z, Batch y) {
        check(z, y);
        return perPosition.value(real(z), real(y)) * scale();
    }

    @Override
    public Batch gradient(Batch z, Batch y) {
        check(z, y);
        Batch g = perPosition.gradient(real(z), real(y), threads);
        double s = scale();
        int t = z.cols() / vocab;
        if (g.data().length == z.data().length) {
            // no padding: g is laid out as z, so scale it in place (the bits of the copy below)
            double[] out = g.data();
            threads.ranges(out.length, SCALED_PER_TASK, (i0, i1) -> {
                for (int i = i0; i < i1; i++) {
                    out[i] = s * out[i];
                }
            });
            return new Batch(z.rows(), z.cols(), out);
        }
        double[] out = new double[z.data().length];
        int[] from = new int[lengths.length];
        for (int r = 1; r < lengths.length; r++) {
            from[r] = from[r - 1] + lengths[r - 1] * vocab;
        }
        threads.ranges(lengths.length, 1, (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                for (int i = 0; i < lengths[r] * vocab; i++) {
                    out[r * t * vocab + i] = s * g.data()[from[r] + i];
                }
            }
        });
        return new Batch(z.rows(), z.cols(), out);
    }

    @Override
    public double bilinear(Batch y, Batch u, Batch v) {
        check(y, u);
        check(u, v);
        return perPosition.bilinear(real(y), real(u), real(v), threads) * scale();
    }

    /**
     * {@code {"kind": "sequence-ce", "vocab": V, "lengths": [L_r], "perPosition": {the soft
     * cross-entropy's record}}}.
     */
    @Override
    public java.util.Map<String, Object> record() {
        java.util.Map<String, Object> r = new java.util.LinkedHashMap<>();
        r.put("kind", "sequence-ce");
        r.put("vocab", vocab);
        r.put("lengths", lengths.clone());
        r.put("perPosition", perPosition.record());
        return r;
    }

    @Override
    public String describe() {
        return "sequence " + perPosition.describe() + " over " + lengths.length + " sequences";
    }

    /** M/N: from the average over positions to the average over sequences. */
    private double scale() {
        return (double) positions / lengths.length;
    }

    /** The real positions as rows of V logits (the same array when no row is padded). */
    private Batch real(Batch b) {
        int t = b.cols() / vocab;
        if (full && lengths[0] == t) {
            return new Batch(b.rows() * t, vocab, b.data());
        }
        double[] out = new double[positions * vocab];
        int k = 0;
        for (int r = 0; r < lengths.length; r++) {
            System.arraycopy(b.data(), r * t * vocab, out, k, lengths[r] * vocab);
            k += lengths[r] * vocab;
        }
        return new Batch(positions, vocab, out);
    }

    private void check(Batch a, Batch b) {
        requireSameShape(a, b);
        if (a.rows() != lengths.length) {
            throw new IllegalArgumentException("batch has " + a.rows() + " rows but the imitation loss covers "
                    + lengths.length + " sequences");
        }
        if (a.cols() % vocab != 0) {
            throw new IllegalArgumentException("rows of " + a.cols() + " logits are not T·V for V = " + vocab);
        }
        int t = a.cols() / vocab;
        for (int r = 0; r < lengths.length; r++) {
            if (lengths[r] > t) {
                throw new IllegalArgumentException("sequence " + r + " has length " + lengths[r]
                        + " but rows hold " + t + " positions");
            }
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SequenceImitation s && s.vocab == vocab && Arrays.equals(s.lengths, lengths)
                && s.perPosition.equals(perPosition);
    }

    @Override
    public int hashCode() {
        return (vocab * 31 + Arrays.hashCode(lengths)) * 31 + perPosition.hashCode();
    }

    @Override
    public String toString() {
        return describe();
    }
}
