package dev.subliminal.experiments.certify;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.numbers.fraction.BigFraction;

/**
 * Re-checks a certificate without the code that produced it. It reads the model and the named
 * tensors straight from the JSON (PyTorch's layout: {@code 2l.weight} [out, in], {@code 2l.bias}),
 * and recomputes every enclosure in exact rational interval arithmetic ({@link RationalInterval}),
 * rounding outward to doubles only around tanh and exp:
 * <ul>
 *   <li>{@code trait-part-positive}: over the box θ0 + [0, ε*]·Δ_T it encloses f and J·Δ_T by a
 *       forward and tangent pass, forms c = 2w ⊙ D (squared error) or P ⊙ (D_S − Σ P_j D_j)/T²
 *       with P_k = 1/(1 + Σ_{j≠k} exp((F_j − F_k)/T)) (cross-entropy), and sums c·(J_S Δ_T at θ_S0)
 *       over the inputs; the claim holds when the lower end is > 0 and the stored enclosure meets
 *       the recomputed one;</li>
 *   <li>{@code trait-loss-decreases}: B = (1/N) Σ_x J_0(x)ᵀ C_x by a reverse pass at θ0 with the
 *       cotangent enclosures C_x of the previous claim, then ∇L_T over θ0 + [0, αε*]·B by forward and
 *       reverse passes on the trait set (cotangent (P − e_c)/m for cross-entropy, 2(F − t)/m for
 *       squared error), and ∇L_T·B; the claim holds when the upper end is < 0 and the stored
 *       enclosure meets the recomputed one;</li>
 *   <li>{@code exact-quadratic-form} (linear models): recomputes Q = (1/N) Σ_x Σ_i 2 w_i (J_x Δ_T)_i²
 *       exactly and compares it with the stored fraction.</li>
 * </ul>
 */
final class CertificateVerifier {

    /** The outcome: whether every re-checked claim holds, and one line per claim. */
    record Verdict(boolean verified, List<String> lines) {
    }

    private final JsonNode root;
    private final int[] sizes;
    private final boolean relu;
    private final Layer[] theta0;
    private final Layer[] deltaT;
    private final Layer[] studentInit;
    private final BigFraction[][] inputs;

    /** One dense layer's weight [out][in] and bias [out] as exact fractions. */
    private record Layer(BigFraction[][] w, BigFraction[] b) {
    }

    private CertificateVerifier(JsonNode root) {
        this.root = root;
        JsonNode model = field(root, "model");
        sizes = ints(field(model, "sizes"), "model.sizes");
        String family = text(field(model, "family"), "model.family");
        if (!family.equals("linear") && !family.equals("mlp")) {
            throw bad("model.family '" + family + "' is neither linear nor mlp");
        }
        if (sizes.length < 2 || (family.equals("linear") != (sizes.length == 2))) {
            throw bad("model.sizes has " + sizes.length + " entries, which does not fit a " + family + " model");
        }
        String act = family.equals("mlp") ? text(field(model, "activation"), "model.activation") : "tanh";
        if (!act.equals("tanh") && !act.equals("relu")) {
            throw bad("model.activation '" + act + "' is not tanh or relu");
        }
        relu = act.equals("relu");
        JsonNode params = field(root, "parameters");
        theta0 = layers(field(params, "theta0"), "parameters.theta0");
        deltaT = layers(field(params, "deltaT"), "parameters.deltaT");
        studentInit = layers(field(params, "studentInit"), "parameters.studentInit");
        inputs = matrix(field(root, "studentInputs"), "studentInputs", -1, sizes[0]);
    }

    /** Verifies a parsed certificate; throws IllegalArgumentException when it is malformed or was edited. */
    static Verdict verify(JsonNode root) {
        if (!root.isObject()) {
            throw bad("the file does not hold a JSON object");
        }
        String schema = text(field(root, "schema"), "schema");
        if (!schema.equals(CertificateRecord.SCHEMA)) {
            throw bad("schema '" + schema + "' is not " + CertificateRecord.SCHEMA);
        }
        String digest = text(field(root, "digest"), "digest");
        if (!digest.equals(CertificateRecord.digest(root))) {
            throw bad("the digest does not match the content: the file was edited after it was written");
        }
        CertificateVerifier v = new CertificateVerifier(root);
        List<String> lines = new ArrayList<>();
        boolean all = true;
        JsonNode claims = field(root, "claims");
        if (!claims.isArray() || claims.isEmpty()) {
            throw bad("claims must be a non-empty array");
        }
        for (JsonNode claim : claims) {
            String name = text(field(claim, "claim"), "claims[].claim");
            boolean claimed = field(claim, "certified").asBoolean();
            String line;
            boolean ok;
            switch (name) {
                case "trait-part-positive", "trait-loss-decreases" -> {
                    if (!claimed) {
                        lines.add(name + ": not claimed (no range was certified)");
                        continue;
                    }
                    double eps = number(field(claim, "epsilonStar"), "epsilonStar");
                    if (!(eps > 0)) {
                        throw bad("epsilonStar = " + eps + " must be > 0");
                    }
                    boolean loss = name.equals("trait-loss-decreases");
                    RationalInterval mine;
                    if (loss) {
                        double alpha = number(field(claim, "alpha"), "alpha");
                        if (!(alpha > 0)) {
                            throw bad("alpha = " + alpha + " must be > 0");
                        }
                        mine = v.traitLoss(alpha, eps);
                    } else {
                        mine = v.traitPart(eps);
                    }
                    boolean sign = loss ? mine.negative() : mine.positive();
                    double[] stored = pair(field(claim, "enclosure"), "enclosure");
                    boolean meets = !RationalInterval.less(BigFraction.from(stored[1]), mine.lo())
                            && !RationalInterval.less(mine.hi(), BigFraction.from(stored[0]));
                    ok = sign && meets;
                    line = name + " on (0, " + eps + "]: recomputed enclosure of "
                            + (loss ? "(L_T(θ_S) − L_T(θ_S0))/(αε) " : "(Δ_S − Δ_S^c)·Δ_T/ε ") + mine
                            + (sign ? (loss ? " < 0" : " > 0") : (loss ? " is not < 0" : " is not > 0"))
                            + (meets ? "" : "; it does not meet the stored enclosure [" + stored[0] + ", " + stored[1] + "]");
                }
                case "exact-quadratic-form" -> {
                    BigFraction stored = fraction(field(claim, "quadraticForm"), "quadraticForm");
                    BigFraction q = v.quadraticForm();
                    ok = q.subtract(stored).signum() == 0 && q.signum() > 0;
                    line = name + ": recomputed Q = Δ_Tᵀ G Δ_T " + (q.subtract(stored).signum() == 0
                            ? "equals the stored fraction" : "differs from the stored fraction")
                            + (q.signum() > 0 ? " and is > 0" : " and is not > 0");
                }
                default -> throw bad("unknown claim '" + name + "'");
            }
            all &= ok;
            lines.add((ok ? "verified: " : "NOT verified: ") + line);
        }
        return new Verdict(all, lines);
    }

    /** Enclosure of (Δ_S − Δ_S^c)·Δ_T / ε for every ε ∈ (0, ε*]: (1/N) Σ_x C_x·(J_S(x)Δ_T at θ_S0). */
    private RationalInterval traitPart(double epsilonStar) {
        RationalInterval[][] c = cotangents(epsilonStar);
        RationalInterval[][][] start = box(studentInit, null, BigFraction.ZERO);
        RationalInterval total = RationalInterval.ZERO;
        for (int r = 0; r < inputs.length; r++) {
            RationalInterval[] u = pass(start, inputs[r]).tangents();
            for (int i = 0; i < u.length; i++) {
                total = total.add(c[r][i].multiply(u[i]));
            }
        }
        return total.multiply(BigFraction.of(1, inputs.length));
    }

    /**
     * Enclosure of (L_T(θ0 + αΔ_S) − L_T(θ0)) / (αε) for every ε ∈ (0, ε*]: Δ_S/ε lies in
     * B = (1/N) Σ_x J_0(x)ᵀ C_x, and the quotient in ∇L_T(θ0 + [0, αε*]·B)·B.
     */
    private RationalInterval traitLoss(double alpha, double epsilonStar) {
        RationalInterval[][] c = cotangents(epsilonStar);
        RationalInterval[][][] at0 = box(theta0, null, BigFraction.ZERO);
        RationalInterval[][][] b = zeros();
        for (int r = 0; r < inputs.length; r++) {
            backward(at0, pass(at0, inputs[r]), c[r], b);
        }
        BigFraction perSample = BigFraction.of(1, inputs.length);
        for (RationalInterval[][] layer : b) {
            for (RationalInterval[] row : layer) {
                for (int j = 0; j < row.length; j++) {
                    row[j] = row[j].multiply(perSample).outward();
                }
            }
        }
        RationalInterval[][][] box = box(theta0, b, BigFraction.from(alpha).multiply(BigFraction.from(epsilonStar)));
        JsonNode trait = field(root, "traitLoss");
        String kind = text(field(trait, "kind"), "traitLoss.kind");
        int n = sizes[sizes.length - 1];
        BigFraction[][] x = matrix(field(trait, "inputs"), "traitLoss.inputs", -1, sizes[0]);
        BigFraction perTrait = BigFraction.of(1, x.length);
        int[] labels = kind.equals("ce") ? ints(field(trait, "labels"), "traitLoss.labels") : null;
        BigFraction[][] targets = kind.equals("mse") ? matrix(field(trait, "targets"), "traitLoss.targets", x.length, n)
                : null;
        if (labels == null && targets == null) {
            throw bad("traitLoss.kind '" + kind + "' is neither ce nor mse");
        }
        if (labels != null && (labels.length != x.length || java.util.Arrays.stream(labels).anyMatch(k -> k >= n))) {
            throw bad("traitLoss.labels must hold " + x.length + " labels in [0, " + n + ")");
        }
        RationalInterval[][][] g = zeros();
        int[] all = java.util.stream.IntStream.range(0, n).toArray();
        for (int r = 0; r < x.length; r++) {
            Pass p = pass(box, x[r]);
            RationalInterval[] f = p.outputs();
            RationalInterval[] u = new RationalInterval[n];
            RationalInterval[] q = labels != null ? softmax(f, all, BigFraction.ONE) : null;
            for (int k = 0; k < n; k++) {
                RationalInterval v = labels != null ? (k == labels[r] ? q[k].subtract(RationalInterval.ONE) : q[k])
                        : f[k].outward().subtract(RationalInterval.point(targets[r][k])).multiply(BigFraction.of(2));
                u[k] = v.multiply(perTrait).outward();
            }
            backward(box, p, u, g);
        }
        RationalInterval dot = RationalInterval.ZERO;
        for (int l = 0; l < g.length; l++) {
            for (int i = 0; i < g[l].length; i++) {
                for (int j = 0; j < g[l][i].length; j++) {
                    dot = dot.add(g[l][i][j].outward().multiply(b[l][i][j]));
                }
            }
        }
        return dot;
    }

    /** C_x ∋ c_x(ε)/ε over ε ∈ (0, ε*] for every input: 2w ⊙ D, or P ⊙ (D_S − Σ_j P_j D_j)/T² on S. */
    private RationalInterval[][] cotangents(double epsilonStar) {
        RationalInterval[][][] box = box(theta0, null, BigFraction.from(epsilonStar));
        JsonNode loss = field(root, "imitationLoss");
        String kind = text(field(loss, "kind"), "imitationLoss.kind");
        int n = sizes[sizes.length - 1];
        RationalInterval[][] c = new RationalInterval[inputs.length][];
        for (int r = 0; r < inputs.length; r++) {
            Pass teacher = pass(box, inputs[r]);
            c[r] = switch (kind) {
                case "mse" -> {
                    double[] w = doubles(field(loss, "weights"), "imitationLoss.weights", n);
                    RationalInterval[] out = new RationalInterval[n];
                    for (int i = 0; i < n; i++) {
                        out[i] = teacher.tangents()[i].multiply(BigFraction.from(2 * w[i]));
                    }
                    yield out;
                }
                case "ce" -> crossEntropy(loss, teacher.outputs(), teacher.tangents());
                default -> throw bad("imitationLoss.kind '" + kind + "' is neither mse nor ce");
            };
        }
        return c;
    }

    /**
     * θ + [0, t]·V as a box per layer [l][i][j] (j = in is the bias), for V = Δ_T when
     * {@code directions} is null, or a box of directions.
     */
    private RationalInterval[][][] box(Layer[] start, RationalInterval[][][] directions, BigFraction t) {
        RationalInterval[][][] box = new RationalInterval[start.length][][];
        RationalInterval span = new RationalInterval(BigFraction.ZERO, t);
        for (int l = 0; l < start.length; l++) {
            int in = sizes[l];
            box[l] = new RationalInterval[sizes[l + 1]][in + 1];
            for (int i = 0; i < sizes[l + 1]; i++) {
                for (int j = 0; j <= in; j++) {
                    BigFraction s = j < in ? start[l].w[i][j] : start[l].b[i];
                    RationalInterval d = directions != null ? directions[l][i][j]
                            : RationalInterval.point(j < in ? deltaT[l].w[i][j] : deltaT[l].b[i]);
                    box[l][i][j] = RationalInterval.point(s).add(span.multiply(d));
                }
            }
        }
        return box;
    }

    private RationalInterval[][][] zeros() {
        RationalInterval[][][] z = new RationalInterval[sizes.length - 1][][];
        for (int l = 0; l < z.length; l++) {
            z[l] = new RationalInterval[sizes[l + 1]][sizes[l] + 1];
            for (RationalInterval[] row : z[l]) {
                java.util.Arrays.fill(row, RationalInterval.ZERO);
            }
        }
        return z;
    }

    /** P_k = 1/(1 + Σ_{j≠k} exp((F_j − F_k)/T)) over the indices S, clipped to [0, 1], rounded outward. */
    private static RationalInterval[] softmax(RationalInterval[] f, int[] s, BigFraction invT) {
        RationalInterval[] p = new RationalInterval[s.length];
        for (int k = 0; k < s.length; k++) {
            RationalInterval sum = RationalInterval.ONE;
            for (int j = 0; j < s.length; j++) {
                if (j != k) {
                    sum = sum.add(f[s[j]].subtract(f[s[k]]).multiply(invT).exp());
                }
            }
            p[k] = sum.reciprocalOfPositive().clip(BigFraction.ZERO, BigFraction.ONE).outward();
        }
        return p;
    }

    /** P ⊙ (D_S − Σ_j P_j D_j) / T² on the distilled logits S, 0 elsewhere. */
    private RationalInterval[] crossEntropy(JsonNode loss, RationalInterval[] f, RationalInterval[] d) {
        int n = f.length;
        double t = number(field(loss, "temperature"), "imitationLoss.temperature");
        if (!(t > 0)) {
            throw bad("imitationLoss.temperature = " + t + " must be > 0");
        }
        JsonNode logits = field(loss, "logits");
        int[] s = logits.isNull() ? java.util.stream.IntStream.range(0, n).toArray() : ints(logits, "imitationLoss.logits");
        for (int k : s) {
            if (k < 0 || k >= n) {
                throw bad("imitationLoss.logits holds " + k + ", outside [0, " + n + ")");
            }
        }
        BigFraction invT = BigFraction.from(t).reciprocal();
        RationalInterval[] p = softmax(f, s, invT);
        RationalInterval mean = RationalInterval.ZERO;
        for (int k = 0; k < s.length; k++) {
            mean = mean.add(p[k].multiply(d[s[k]]));
        }
        RationalInterval[] c = new RationalInterval[n];
        java.util.Arrays.fill(c, RationalInterval.ZERO);
        for (int k = 0; k < s.length; k++) {
            c[s[k]] = p[k].multiply(d[s[k]].subtract(mean)).multiply(invT.multiply(invT)).outward();
        }
        return c;
    }

    /**
     * One input's pass over a box of parameters: the input of every layer (a_0 = x), the enclosure
     * of φ′ at every hidden layer, the outputs f and the tangents J·Δ_T.
     */
    private record Pass(RationalInterval[][] inputs, RationalInterval[][] slopes, RationalInterval[] outputs,
            RationalInterval[] tangents) {
    }

    /** The forward and tangent (along Δ_T) pass over a box of parameters for one input. */
    private Pass pass(RationalInterval[][][] theta, BigFraction[] x) {
        int layers = theta.length;
        RationalInterval[][] inputs = new RationalInterval[layers][];
        RationalInterval[][] slopes = new RationalInterval[layers][];
        RationalInterval[] a = new RationalInterval[x.length];
        RationalInterval[] da = new RationalInterval[x.length];
        for (int j = 0; j < x.length; j++) {
            a[j] = RationalInterval.point(x[j]);
            da[j] = RationalInterval.ZERO;
        }
        for (int l = 0; l < layers; l++) {
            inputs[l] = a;
            int in = sizes[l];
            int out = sizes[l + 1];
            RationalInterval[] z = new RationalInterval[out];
            RationalInterval[] dz = new RationalInterval[out];
            for (int i = 0; i < out; i++) {
                RationalInterval s = theta[l][i][in];
                RationalInterval ds = RationalInterval.point(deltaT[l].b[i]);
                for (int j = 0; j < in; j++) {
                    s = s.add(theta[l][i][j].multiply(a[j]));
                    ds = ds.add(a[j].multiply(deltaT[l].w[i][j])).add(theta[l][i][j].multiply(da[j]));
                }
                z[i] = s;
                dz[i] = ds;
            }
            if (l == layers - 1) {
                return new Pass(inputs, slopes, z, dz);
            }
            a = new RationalInterval[out];
            da = new RationalInterval[out];
            slopes[l] = new RationalInterval[out];
            for (int i = 0; i < out; i++) {
                RationalInterval zi = z[i].outward();
                if (relu) {
                    boolean on = zi.lo().signum() > 0;
                    boolean off = zi.hi().signum() < 0;
                    a[i] = new RationalInterval(on ? zi.lo() : BigFraction.ZERO, zi.hi().signum() > 0 ? zi.hi() : BigFraction.ZERO);
                    slopes[l][i] = on ? RationalInterval.ONE : off ? RationalInterval.ZERO
                            : new RationalInterval(BigFraction.ZERO, BigFraction.ONE);
                } else {
                    a[i] = zi.tanh();
                    slopes[l][i] = RationalInterval.ONE.subtract(a[i].multiply(a[i])).clip(BigFraction.ZERO, BigFraction.ONE);
                }
                da[i] = slopes[l][i].multiply(dz[i]).outward();
            }
        }
        throw new IllegalStateException("a model has at least one layer");
    }

    /** grad += J(x)ᵀ u over the box (reverse pass through the recorded {@link Pass}); grad has θ's shape. */
    private void backward(RationalInterval[][][] theta, Pass p, RationalInterval[] u, RationalInterval[][][] grad) {
        RationalInterval[] dz = u;
        for (int l = theta.length - 1; l >= 0; l--) {
            int in = sizes[l];
            int out = sizes[l + 1];
            RationalInterval[] da = new RationalInterval[in];
            java.util.Arrays.fill(da, RationalInterval.ZERO);
            for (int i = 0; i < out; i++) {
                grad[l][i][in] = grad[l][i][in].add(dz[i]);
                for (int j = 0; j < in; j++) {
                    grad[l][i][j] = grad[l][i][j].add(dz[i].multiply(p.inputs()[l][j]));
                    da[j] = da[j].add(theta[l][i][j].multiply(dz[i]));
                }
            }
            if (l > 0) {
                dz = new RationalInterval[in];
                for (int j = 0; j < in; j++) {
                    dz[j] = p.slopes()[l - 1][j].multiply(da[j]).outward();
                }
            }
        }
    }

    /** Q = (1/N) Σ_x Σ_i 2 w_i (J_x Δ_T)_i² for an affine model, exactly. */
    private BigFraction quadraticForm() {
        if (sizes.length != 2) {
            throw bad("exact-quadratic-form applies to linear models only");
        }
        JsonNode loss = field(root, "imitationLoss");
        if (!text(field(loss, "kind"), "imitationLoss.kind").equals("mse")) {
            throw bad("exact-quadratic-form needs the mse imitation loss");
        }
        int n = sizes[1];
        double[] w = doubles(field(loss, "weights"), "imitationLoss.weights", n);
        BigFraction q = BigFraction.ZERO;
        for (BigFraction[] x : inputs) {
            for (int i = 0; i < n; i++) {
                BigFraction u = deltaT[0].b[i];
                for (int j = 0; j < x.length; j++) {
                    u = u.add(deltaT[0].w[i][j].multiply(x[j]));
                }
                q = q.add(BigFraction.from(2 * w[i]).multiply(u).multiply(u));
            }
        }
        return q.divide(inputs.length);
    }

    private Layer[] layers(JsonNode named, String what) {
        int count = sizes.length - 1;
        if (!named.isObject() || named.size() != 2 * count) {
            throw bad(what + " must hold " + 2 * count + " tensors");
        }
        Layer[] out = new Layer[count];
        for (int l = 0; l < count; l++) {
            String w = (2 * l) + ".weight";
            String b = (2 * l) + ".bias";
            BigFraction[][] weight = matrix(field(named, w), what + "." + w, sizes[l + 1], sizes[l]);
            BigFraction[][] bias = matrix(field(named, b), what + "." + b, 1, sizes[l + 1]);
            out[l] = new Layer(weight, bias[0]);
        }
        return out;
    }

    /** A tensor of shape [rows, cols] (rows −1: any; a bias [cols] reads as one row). */
    private static BigFraction[][] matrix(JsonNode tensor, String what, int rows, int cols) {
        int[] shape = ints(field(tensor, "shape"), what + ".shape");
        int r = shape.length == 1 && rows == 1 ? 1 : shape.length == 2 ? shape[0] : -2;
        int c = shape[shape.length - 1];
        if (r < 1 || c != cols || (rows >= 0 && r != rows)) {
            throw bad(what + " has shape " + java.util.Arrays.toString(shape) + ", expected ["
                    + (rows < 0 ? "N" : rows) + ", " + cols + "]");
        }
        double[] data = doubles(field(tensor, "data"), what + ".data", r * c);
        BigFraction[][] m = new BigFraction[r][c];
        for (int i = 0; i < r; i++) {
            for (int j = 0; j < c; j++) {
                m[i][j] = BigFraction.from(data[i * c + j]);
            }
        }
        return m;
    }

    private static BigFraction fraction(JsonNode node, String what) {
        try {
            return BigFraction.of(new java.math.BigInteger(text(field(node, "numerator"), what + ".numerator")),
                    new java.math.BigInteger(text(field(node, "denominator"), what + ".denominator")));
        } catch (NumberFormatException | ArithmeticException e) {
            throw bad(what + " is not a fraction of integers");
        }
    }

    private static double[] pair(JsonNode node, String what) {
        double[] v = doubles(node, what, 2);
        if (!(v[0] <= v[1])) {
            throw bad(what + " [" + v[0] + ", " + v[1] + "] is not an interval");
        }
        return v;
    }

    private static double[] doubles(JsonNode node, String what, int length) {
        if (!node.isArray() || node.size() != length) {
            throw bad(what + " must be an array of " + length + " numbers");
        }
        double[] out = new double[length];
        for (int i = 0; i < length; i++) {
            out[i] = number(node.get(i), what + "[" + i + "]");
        }
        return out;
    }

    /** An array of integers ≥ 1 (sizes), or ≥ 0 for indices (logits, labels). */
    private static int[] ints(JsonNode node, String what) {
        if (!node.isArray()) {
            throw bad(what + " must be an array of integers");
        }
        int min = what.endsWith("sizes") || what.endsWith("shape") ? 1 : 0;
        int[] out = new int[node.size()];
        for (int i = 0; i < out.length; i++) {
            if (!node.get(i).isInt() || node.get(i).asInt() < min) {
                throw bad(what + "[" + i + "] must be an integer ≥ " + min);
            }
            out[i] = node.get(i).asInt();
        }
        return out;
    }

    private static double number(JsonNode node, String what) {
        if (!node.isNumber() || !Double.isFinite(node.asDouble())) {
            throw bad(what + " must be a finite number");
        }
        return node.asDouble();
    }

    private static String text(JsonNode node, String what) {
        if (!node.isTextual()) {
            throw bad(what + " must be a string");
        }
        return node.asText();
    }

    private static JsonNode field(JsonNode node, String name) {
        JsonNode v = node.get(name);
        if (v == null) {
            throw bad("field '" + name + "' is missing");
        }
        return v;
    }

    private static IllegalArgumentException bad(String message) {
        return new IllegalArgumentException("malformed certificate: " + message);
    }
}
