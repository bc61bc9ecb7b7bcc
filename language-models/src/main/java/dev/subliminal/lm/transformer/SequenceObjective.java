package dev.subliminal.lm.transformer;

import dev.subliminal.theory.linalg.Gemm;
import dev.subliminal.theory.math.Fdlibm;
import dev.subliminal.theory.param.ParameterLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * The training objective of a transformer on token sequences, in float32, with its gradient from one
 * forward and one backward pass (no second forward pass, logits never held for more than one
 * sequence at a time).
 *
 * <p>An example is a sequence t_0..t_{L−1} with a first target index f (1 ≤ f < L): the model reads
 * t_0..t_{L−2} and is scored at positions i = f−1..L−2, where it predicts t_{i+1}. Over a batch with
 * P scored positions in all, the loss is the mean over them of
 * <ul>
 *   <li>hard labels (next-token cross-entropy): ℓ_i = log Σ_j e^{z_ij} − z_{i,t_{i+1}}, with gradient
 *       σ(z_i) − e_{t_{i+1}};</li>
 *   <li>soft targets (a teacher's full next-token distributions, {@link #imitating}): the teacher θ_T of
 *       the same shape gives y_i on the same inputs, and ℓ_i = −Σ_{j∈S} q_j log p_j with q = σ(y_{i,S}/τ),
 *       p = σ(z_{i,S}/τ) over a vocabulary subset S (all tokens by default), with gradient (p − q)/τ on S
 *       and 0 elsewhere (the check's soft cross-entropy, position by position).</li>
 * </ul>
 * So the gradient is (1/P) Σ_i J_iᵀ ∂ℓ_i/∂z_i, computed as the model's VJP would, but in one pass.
 * Logits, hidden states and gradients are float; each position's softmax and loss are evaluated in
 * double (StrictMath) and the loss is summed in double in position order. Results do not depend on
 * the thread count.
 */
public final class SequenceObjective {

    private final ParameterPlan plan;
    private final FloatNetwork net;
    private final float[] teacher;
    private final double temperature;
    private final int[] subset;
    private final int[] teacherPrefix;

    private SequenceObjective(ParameterPlan plan, FloatNetwork net, float[] teacher, double temperature, int[] subset) {
        this(plan, net, teacher, temperature, subset, new int[0]);
    }

    private SequenceObjective(ParameterPlan plan, FloatNetwork net, float[] teacher, double temperature, int[] subset,
            int[] teacherPrefix) {
        this.plan = plan;
        this.net = net;
        this.teacher = teacher;
        this.temperature = temperature;
        this.subset = subset;
        this.teacherPrefix = teacherPrefix;
    }

    /**
     * The same soft objective with the teacher reading {@code prefix} before every sequence (e.g. a
     * system prompt the student never sees): the teacher's y_i is its next-token logits at the same
     * token of prefix + sequence. Hard-label objectives have no teacher and refuse a prefix.
     */
    public SequenceObjective withTeacherPrefix(int[] prefix) {
        if (teacher == null) {
            throw new IllegalArgumentException("a teacher prefix needs a soft objective (a teacher)");
        }
        for (int t : prefix) {
            if (t < 0 || t >= plan.config.vocabSize()) {
                throw new IllegalArgumentException("teacher prefix token " + t + " is out of range for a vocabulary of "
                        + plan.config.vocabSize());
            }
        }
        return new SequenceObjective(plan, net, teacher, temperature, subset, prefix.clone());
    }

    /** Next-token cross-entropy on the examples' own tokens (hard labels). */
    public static SequenceObjective nextToken(TransformerConfig config, Gemm gemm) {
        ParameterPlan plan = new ParameterPlan(config);
        return new SequenceObjective(plan, new FloatNetwork(plan, gemm), null, 1, null);
    }

    /**
     * Soft cross-entropy against the next-token distributions of a teacher θ_T of the same
     * configuration, at temperature τ, over the vocabulary subset S (strictly increasing ids; null for
     * all tokens).
     */
    public static SequenceObjective imitating(TransformerConfig config, Gemm gemm, float[] teacherTheta,
            double temperature, int[] subset) {
        ParameterPlan plan = new ParameterPlan(config);
        if (teacherTheta == null || teacherTheta.length != plan.layout.size()) {
            throw new IllegalArgumentException("the teacher's θ has " + (teacherTheta == null ? 0 : teacherTheta.length)
                    + " entries, the model " + plan.layout.size());
        }
        if (!(temperature > 0) || !Double.isFinite(temperature)) {
            throw new IllegalArgumentException("temperature τ = " + temperature + " must be finite and > 0");
        }
        int[] s = null;
        if (subset != null) {
            s = subset.clone();
            if (s.length == 0) {
                throw new IllegalArgumentException("the vocabulary subset is empty");
            }
            for (int k = 0; k < s.length; k++) {
                if (s[k] < 0 || s[k] >= config.vocabSize() || k > 0 && s[k] <= s[k - 1]) {
                    throw new IllegalArgumentException("vocabulary subset ids must be strictly increasing in [0, "
                            + config.vocabSize() + "), got " + Arrays.toString(subset));
                }
            }
        }
        return new SequenceObjective(plan, new FloatNetwork(plan, gemm), teacherTheta, temperature, s);
    }

    /** The same objective with its products on another context. */
    public SequenceObjective withGemm(Gemm gemm) {
        return new SequenceObjective(plan, new FloatNetwork(plan, gemm), teacher, temperature, subset, teacherPrefix);
    }

    /** The shape. */
    public TransformerConfig config() {
        return plan.config;
    }

    /** p, the number of parameters. */
    public int parameterCount() {
        return plan.layout.size();
    }

    /** The named tensors of θ. */
    public ParameterLayout layout() {
        return plan.layout;
    }

    /**
     * E.g. {@code next-token cross-entropy} or {@code soft cross-entropy against a teacher, τ = 1, over 10
     * tokens}.
     */
    public String describe() {
        if (teacher == null) {
            return "next-token cross-entropy";
        }
        return "soft cross-entropy against a teacher, τ = " + temperature + ", over "
                + (subset == null ? "all" : Integer.toString(subset.length)) + " tokens"
                + (teacherPrefix.length == 0 ? "" : ", the teacher reading a prefix of " + teacherPrefix.length + " tokens");
    }

    /**
     * SHA-256 of what defines the objective: the configuration, the kind, and for soft targets τ, the
     * subset and the teacher's θ (its float bits, little-endian), so that a run resumes only on the
     * objective it was trained on.
     */
    public String fingerprint() {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update((plan.config + "|" + describe() + "|" + Arrays.toString(subset)
                    + (teacherPrefix.length == 0 ? "" : "|" + Arrays.toString(teacherPrefix))).getBytes(StandardCharsets.UTF_8));
            if (teacher != null) {
                ByteBuffer b = ByteBuffer.allocate(4 * 4096).order(ByteOrder.LITTLE_ENDIAN);
                for (int i = 0; i < teacher.length; i += 4096) {
                    b.clear();
                    int n = Math.min(4096, teacher.length - i);
                    for (int k = 0; k < n; k++) {
                        b.putFloat(teacher[i + k]);
                    }
                    md.update(b.array(), 0, 4 * n);
                }
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether the targets are a teacher's distributions. */
    public boolean soft() {
        return teacher != null;
    }

    /** The mean loss over the scored positions of the examples, by the forward pass alone. */
    public double value(float[] theta, List<int[]> tokens, int[] firstTargets) {
        return run(theta, tokens, firstTargets, null);
    }

    /**
     * The mean loss, with its gradient written into {@code gradient} (overwritten, p entries).
     *
     * @param theta θ (float32, p entries)
     * @param tokens the examples' sequences t_0..t_{L−1} (2 ≤ L ≤ context length + 1)
     * @param firstTargets f of each example, 1 ≤ f < L
     * @param gradient where ∇L(θ) goes
     */
    public double valueAndGradient(float[] theta, List<int[]> tokens, int[] firstTargets, float[] gradient) {
        if (gradient == null || gradient.length != plan.layout.size()) {
            throw new IllegalArgumentException("the gradient buffer needs " + plan.layout.size() + " entries");
        }
        Arrays.fill(gradient, 0);
        return run(theta, tokens, firstTargets, gradient);
    }

    /** Mean loss; with a gradient buffer also the gradient. */
    private double run(float[] theta, List<int[]> tokens, int[] from, float[] grad) {
        int p = plan.layout.size();
        if (theta.length != p || teacher != null && teacher.length != p) {
            throw new IllegalArgumentException("θ has " + theta.length + " entries, the model " + p);
        }
        if (tokens.size() != from.length || tokens.isEmpty()) {
            throw new IllegalArgumentException(tokens.size() + " examples with " + from.length
                    + " first targets; give at least one example and one first target each");
        }
        int vocab = plan.config.vocabSize();
        long scored = 0;
        int longest = 0;
        int[][] fed = new int[tokens.size()][];
        for (int e = 0; e < tokens.size(); e++) {
            int[] t = tokens.get(e);
            if (t.length < 2 || t.length - 1 + teacherPrefix.length > plan.config.contextLength()) {
                throw new IllegalArgumentException("example " + e + " has " + t.length + " tokens; a training example has 2 to "
                        + (plan.config.contextLength() + 1 - teacherPrefix.length) + " (the context length + 1"
                        + (teacherPrefix.length == 0 ? "" : " − the teacher's prefix") + ")");
            }
            if (from[e] < 1 || from[e] >= t.length) {
                throw new IllegalArgumentException("example " + e + ": first target " + from[e] + " must be in [1, "
                        + (t.length - 1) + "]");
            }
            for (int i = 0; i < t.length; i++) {
                if (t[i] < 0 || t[i] >= vocab) {
                    throw new IllegalArgumentException("example " + e + ", position " + i + ": token " + t[i]
                            + " is out of range for a vocabulary of " + vocab);
                }
            }
            fed[e] = Arrays.copyOf(t, t.length - 1);
            scored += t.length - from[e];
            longest = Math.max(longest, t.length - 1);
        }
        double scale = 1.0 / scored;
        long perRow = Math.max(1, Transformer.ACTIVATION_BUDGET / plan.activationsPerToken(longest) / longest);
        int rows = (int) Math.min(Integer.MAX_VALUE, perRow);
        int d = plan.config.hiddenSize();
        float[] z = new float[longest * vocab];
        float[] y = teacher != null ? new float[longest * vocab] : null;
        double total = 0;
        for (int e0 = 0; e0 < fed.length; e0 += rows) {
            int e1 = Math.min(fed.length, e0 + rows);
            Chunk c = Chunk.of(Arrays.copyOfRange(fed, e0, e1));
            Chunk tc = teacherPrefix.length == 0 ? c : Chunk.of(prefixed(Arrays.copyOfRange(fed, e0, e1)));
            float[] teacherHidden = teacher != null ? net.forward(teacher, tc, false).hidden : null;
            FloatNetwork.Activations a = net.forward(theta, c, grad != null);
            float[] dh = grad != null ? new float[c.tokens() * d] : null;
            for (int s = 0; s < c.seg().count(); s++) {
                int e = e0 + s;
                int first = from[e] - 1;
                int n = fed[e].length - first;
                int row = c.seg().start()[s] + first;
                net.logits(theta, a.hidden, row, n, z, 0);
                if (teacher != null) {
                    net.logits(teacher, teacherHidden, tc.seg().start()[s] + teacherPrefix.length + first, n, y, 0);
                }
                int[] t = tokens.get(e);
                total += positions(z, y, t, first, n, scale, grad != null);
                if (grad != null) {
                    net.logitsBackward(theta, a.hidden, row, n, Products.ONE_RUN, z, 0, grad, dh);
                }
            }
            if (grad != null) {
                net.backward(theta, a, dh, grad);
            }
        }
        return total * scale;
    }

    private int[][] prefixed(int[][] sequences) {
        int[][] out = new int[sequences.length][];
        for (int s = 0; s < sequences.length; s++) {
            out[s] = new int[teacherPrefix.length + sequences[s].length];
            System.arraycopy(teacherPrefix, 0, out[s], 0, teacherPrefix.length);
            System.arraycopy(sequences[s], 0, out[s], teacherPrefix.length, sequences[s].length);
        }
        return out;
    }

    /**
     * Σ of the n positions' losses (rows of z, and of the teacher's y when soft); with {@code gradient},
     * each row of z is replaced by scale·∂ℓ_i/∂z_i.
     */
    private double positions(float[] z, float[] y, int[] tokens, int first, int n, double scale, boolean gradient) {
        int vocab = plan.config.vocabSize();
        double[] losses = new double[n];
        net.gemm.ranges(n, Math.max(1, (1 << 15) / vocab), (from, to) -> {
            int m = subset == null ? vocab : subset.length;
            double[] a = new double[m];
            double[] b = teacher != null ? new double[m] : null;
            double[] c = teacher != null ? new double[m] : null;
            for (int i = from; i < to; i++) {
                int o = i * vocab;
                losses[i] = teacher == null ? hard(z, o, tokens[first + i + 1], a, scale, gradient)
                        : soft(z, y, o, vocab, subset, temperature, a, b, c, scale, gradient);
            }
        });
        double sum = 0;
        for (double l : losses) {
            sum += l;
        }
        return sum;
    }

    /**
     * log Σ e^z − z_target over the row z[o, o + e.length) (z_j − max z widened to double, then the
     * exponentials on whole vectors with {@link StrictMath#exp}'s bits, {@link Fdlibm#exp(double[], double[],
     * int, int)}, and summed in order); the row becomes scale·(σ(z) − e_target). e is scratch of the
     * row's length.
     */
    static double hard(float[] z, int o, int target, double[] e, double scale, boolean gradient) {
        int vocab = e.length;
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < vocab; j++) {
            max = Math.max(max, z[o + j]);
        }
        for (int j = 0; j < vocab; j++) {
            e[j] = z[o + j] - max;
        }
        Fdlibm.exp(e, e, 0, vocab);
        double sum = 0;
        for (int j = 0; j < vocab; j++) {
            sum += e[j];
        }
        double loss = max + StrictMath.log(sum) - z[o + target];
        if (gradient) {
            for (int j = 0; j < vocab; j++) {
                z[o + j] = (float) (e[j] / sum * scale);
            }
            z[o + target] = (float) ((e[target] / sum - 1) * scale);
        }
        return loss;
    }

    /**
     * −Σ_S q log p with q = σ(y_S/τ), p = σ(z_S/τ) over the row at o of a vocabulary of {@code vocab}
     * (S = {@code subset}, or all of it when null), the exponentials on whole vectors with {@link
     * StrictMath#exp}'s bits; the row becomes scale·(p − q)/τ on S, 0 elsewhere. p, q and e are scratch of
     * |S| elements.
     */
    static double soft(float[] z, float[] y, int o, int vocab, int[] subset, double temperature, double[] p,
            double[] q, double[] e, double scale, boolean gradient) {
        int m = p.length;
        double zMax = Double.NEGATIVE_INFINITY;
        double yMax = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < m; k++) {
            int j = subset == null ? k : subset[k];
            p[k] = z[o + j] / temperature;
            q[k] = y[o + j] / temperature;
            zMax = Math.max(zMax, p[k]);
            yMax = Math.max(yMax, q[k]);
        }
        for (int k = 0; k < m; k++) {
            e[k] = p[k] - zMax;
            q[k] -= yMax;
        }
        Fdlibm.exp(e, e, 0, m);
        Fdlibm.exp(q, q, 0, m);
        double zSum = 0;
        double ySum = 0;
        for (int k = 0; k < m; k++) {
            zSum += e[k];
            ySum += q[k];
        }
        double logZ = zMax + StrictMath.log(zSum);
        double loss = 0;
        for (int k = 0; k < m; k++) {
            q[k] /= ySum;
            p[k] -= logZ;
            loss -= q[k] * p[k];
        }
        Fdlibm.exp(p, p, 0, m);
        if (gradient) {
            if (subset != null) {
                Arrays.fill(z, o, o + vocab, 0);
            }
            for (int k = 0; k < m; k++) {
                int j = subset == null ? k : subset[k];
                z[o + j] = (float) ((p[k] - q[k]) / temperature * scale);
            }
        }
        return loss;
    }
}
