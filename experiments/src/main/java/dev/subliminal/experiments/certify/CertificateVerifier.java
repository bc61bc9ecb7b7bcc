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
 *   <li>{@code exact-quadratic-form} (linear models): recomputes Q = (1/N) Σ_x Σ_i 2 w_i (J_x Δ_T)_i²
 *       exactly and compares it with the stored fraction.</li>
 * </ul>
 * Claims of the trait loss's decrease are reported as not re-checked here.
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
                case "trait-part-positive" -> {
                    if (!claimed) {
                        lines.add(name + ": not claimed (no range was certified)");
                        continue;
                    }
                    double eps = number(field(claim, "epsilonStar"), "epsilonStar");
                    if (!(eps > 0)) {
                        throw bad("epsilonStar = " + eps + " must be > 0");
                    }
                    RationalInterval mine = v.traitPart(eps);
                    double[] stored = pair(field(claim, "enclosure"), "enclosure");
                    boolean meets = !RationalInterval.less(BigFraction.from(stored[1]), mine.lo())
                            && !RationalInterval.less(mine.hi(), BigFraction.from(stored[0]));
                    ok = mine.positive() && meets;
                    line = name + " on (0, " + eps + "]: recomputed enclosure of (Δ_S − Δ_S^c)·Δ_T/ε " + mine
                            + (mine.positive() ? " > 0" : " is not > 0")
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
                case "trait-loss-decreases" -> {
                    lines.add(name + ": not re-checked independently (verified by the producer only)");
                    continue;
                }
                default -> throw bad("unknown claim '" + name + "'");
            }
            all &= ok;
            lines.add((ok ? "verified: " : "NOT verified: ") + line);
        }
        return new Verdict(all, lines);
    }

    /** Enclosure of (Δ_S − Δ_S^c)·Δ_T / ε for every ε ∈ (0, ε*]. */
    private RationalInterval traitPart(double epsilonStar) {
        BigFraction eps = BigFraction.from(epsilonStar);
        RationalInterval[][][] box = new RationalInterval[theta0.length][][];
        RationalInterval[][][] start = new RationalInterval[theta0.length][][];
        for (int l = 0; l < theta0.length; l++) {
            int out = sizes[l + 1];
            box[l] = new RationalInterval[out][sizes[l] + 1];
            start[l] = new RationalInterval[out][sizes[l] + 1];
            for (int i = 0; i < out; i++) {
                for (int j = 0; j <= sizes[l]; j++) {
                    BigFraction t0 = j < sizes[l] ? theta0[l].w[i][j] : theta0[l].b[i];
                    BigFraction d = j < sizes[l] ? deltaT[l].w[i][j] : deltaT[l].b[i];
                    box[l][i][j] = RationalInterval.hull(t0, t0.add(eps.multiply(d)));
                    start[l][i][j] = RationalInterval.point(j < sizes[l] ? studentInit[l].w[i][j] : studentInit[l].b[i]);
                }
            }
        }
        JsonNode loss = field(root, "imitationLoss");
        String kind = text(field(loss, "kind"), "imitationLoss.kind");
        int n = sizes[sizes.length - 1];
        RationalInterval total = RationalInterval.ZERO;
        BigFraction scale = BigFraction.of(1, inputs.length);
        for (BigFraction[] x : inputs) {
            RationalInterval[][] teacher = pass(box, x);
            RationalInterval[] u = pass(start, x)[1];
            RationalInterval[] c = switch (kind) {
                case "mse" -> {
                    double[] w = doubles(field(loss, "weights"), "imitationLoss.weights", n);
                    RationalInterval[] out = new RationalInterval[n];
                    for (int i = 0; i < n; i++) {
                        out[i] = teacher[1][i].multiply(BigFraction.from(2 * w[i]));
                    }
                    yield out;
                }
                case "ce" -> crossEntropy(loss, teacher[0], teacher[1]);
                default -> throw bad("imitationLoss.kind '" + kind + "' is neither mse nor ce");
            };
            for (int i = 0; i < n; i++) {
                total = total.add(c[i].multiply(u[i]));
            }
        }
        if (kind.equals("ce")) {
            BigFraction t = BigFraction.from(number(field(loss, "temperature"), "imitationLoss.temperature"));
            scale = scale.divide(t.multiply(t));
        }
        return total.multiply(scale);
    }

    /** P ⊙ (D_S − Σ_j P_j D_j) on the distilled logits (without the 1/T² applied to the sum). */
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
        RationalInterval mean = RationalInterval.ZERO;
        for (int k = 0; k < s.length; k++) {
            mean = mean.add(p[k].multiply(d[s[k]]));
        }
        RationalInterval[] c = new RationalInterval[n];
        java.util.Arrays.fill(c, RationalInterval.ZERO);
        for (int k = 0; k < s.length; k++) {
            c[s[k]] = p[k].multiply(d[s[k]].subtract(mean));
        }
        return c;
    }

    /** {f, J·Δ_T} over a box of parameters for one input. */
    private RationalInterval[][] pass(RationalInterval[][][] theta, BigFraction[] x) {
        RationalInterval[] a = new RationalInterval[x.length];
        RationalInterval[] da = new RationalInterval[x.length];
        for (int j = 0; j < x.length; j++) {
            a[j] = RationalInterval.point(x[j]);
            da[j] = RationalInterval.ZERO;
        }
        for (int l = 0; l < theta.length; l++) {
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
            if (l == theta.length - 1) {
                return new RationalInterval[][] {z, dz};
            }
            a = new RationalInterval[out];
            da = new RationalInterval[out];
            for (int i = 0; i < out; i++) {
                RationalInterval zi = z[i].outward();
                RationalInterval slope;
                if (relu) {
                    boolean on = zi.lo().signum() > 0;
                    boolean off = zi.hi().signum() < 0;
                    a[i] = new RationalInterval(on ? zi.lo() : BigFraction.ZERO, zi.hi().signum() > 0 ? zi.hi() : BigFraction.ZERO);
                    slope = on ? RationalInterval.ONE : off ? RationalInterval.ZERO
                            : new RationalInterval(BigFraction.ZERO, BigFraction.ONE);
                } else {
                    a[i] = zi.tanh();
                    slope = RationalInterval.ONE.subtract(a[i].multiply(a[i])).clip(BigFraction.ZERO, BigFraction.ONE);
                }
                da[i] = slope.multiply(dz[i]).outward();
            }
        }
        throw new IllegalStateException("a model has at least one layer");
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

    private static int[] ints(JsonNode node, String what) {
        if (!node.isArray()) {
            throw bad(what + " must be an array of integers");
        }
        int[] out = new int[node.size()];
        for (int i = 0; i < out.length; i++) {
            if (!node.get(i).isInt() || node.get(i).asInt() < 1 && !what.endsWith("logits")) {
                throw bad(what + "[" + i + "] must be a positive integer");
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
