package dev.subliminal.certify.verify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.subliminal.certify.ClaimKind;
import dev.subliminal.certify.ExactAffineProof;
import dev.subliminal.certify.format.CertificateWriter;
import dev.subliminal.certify.format.StrictJson;
import dev.subliminal.certify.format.StrictJson.Node;
import dev.subliminal.linear.AffineModel;
import dev.subliminal.simulation.check.CheckCase;
import dev.subliminal.simulation.check.CheckConfig;
import dev.subliminal.simulation.check.Replay;
import dev.subliminal.spec.Architecture;
import dev.subliminal.spec.Setting;
import dev.subliminal.theory.check.CheckResult;
import dev.subliminal.theory.check.CheckSetup;
import dev.subliminal.theory.check.Kinks;
import dev.subliminal.theory.check.TransmissionCheck;
import dev.subliminal.theory.interval.Fractions;
import dev.subliminal.theory.interval.RationalInterval;
import dev.subliminal.theory.interval.RationalModel;
import dev.subliminal.theory.loss.WeightedSquaredError;
import dev.subliminal.theory.model.Batch;
import dev.subliminal.theory.param.ParameterLayout;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.commons.numbers.fraction.BigFraction;

/**
 * Re-checks a certificate without the code that produced it, and without trusting any quantity the
 * file states: every one is recomputed from the primary data or refused.
 *
 * <ol>
 *   <li><b>Form.</b> Exactly the fields of the format (an unknown field is refused, since nothing
 *       could check it), each of its type; the digest matches. {@code provenance} is not covered by
 *       the digest and is not checked: it says who ran the tool, not what holds.</li>
 *   <li><b>Case.</b> The seed and configuration are read and the case is generated again with the
 *       toolkit's generator (the student inputs are the file's when the command line reads them with
 *       {@code --data}); the command line, model, losses, student inputs, θ0 and θ_S0 must be exactly
 *       what they give, so that a changed {@code config.init} or seed is caught. Sizes are checked
 *       against the tensors in the file before anything is generated.</li>
 *   <li><b>Δ_T.</b> ∇L_T(θ0) is enclosed by a rational reverse pass over the trait set (one-sided
 *       derivatives included at a kink) and Δ_T must lie within 2^−30·‖∇L_T(θ0)‖∞ of −∇L_T(θ0) in
 *       every coordinate: it is the double-precision gradient, up to rounding.</li>
 *   <li><b>Claims.</b> Which claims there are, and their statements, follow from the data (θ_S0 = θ0,
 *       α, the method) and must be exactly the file's. For an interval claim the verifier encloses
 *       its quantity over (0, ε*] and in the limit ε → 0 in exact rational interval arithmetic
 *       (rounding outward to doubles only around tanh and exp), by forward, tangent and reverse
 *       passes of the model's {@link RationalModel} form: the recomputed range enclosure must prove
 *       the claim, the stated enclosure must prove it too and contain the recomputed one (so it is a
 *       true enclosure), and the stated limit must contain the recomputed limit. An uncertified
 *       claim has no ε*, and its enclosure is its limit. For the exact claim Q = Δ_Tᵀ G Δ_T, the
 *       trait part and Δ_S·Δ_T at ε are recomputed exactly and must equal the stated fractions (and
 *       the trait part ε·Q), the decimal and the a priori rounding bound are recomputed, and the
 *       stated double values must be, bit for bit, those of the toolkit's double-precision check of
 *       the case and lie within that bound of the exact ones.</li>
 * </ol>
 * A certificate is verified when every check passes and at least one claim is certified.
 */
public final class CertificateVerifier {

    /** Δ_T must agree with −∇L_T(θ0) to this fraction of ‖∇L_T(θ0)‖∞ in every coordinate. */
    public static final double DELTA_T_TOLERANCE = 0x1p-30;

    /**
     * Longest numerator or denominator accepted, in digits. Every exact quantity is a sum of products
     * of a few doubles divided by N, so its terms have at most a few thousand digits.
     */
    public static final int MAX_FRACTION_DIGITS = 10_000;

    private static final String[] FIELDS = {"schema", "provenance", "method", "commandLine", "seed", "config", "model",
        "imitationLoss", "traitLoss", "studentInputs", "parameters", "claims", "digest"};

    private static final String[] INTERVAL_FIELDS = {"claim", "statement", "certified", "epsilonStar", "enclosure",
        "limit"};

    private static final String[] EXACT_FIELDS = {"claim", "statement", "certified", "quadraticForm",
        "quadraticFormDecimal", "epsilon", "traitPart", "dot", "doubleTraitPart", "doubleDot", "doubleErrorBound"};

    private final List<String> lines = new ArrayList<>();
    private CheckSetup setup;
    private RationalModel model;
    private RationalInterval[] theta0;
    private BigFraction[] deltaT;
    private BigFraction[][] inputs;
    private RationalInterval[][] studentTangents;

    private CertificateVerifier() {
    }

    /** Reads and verifies the certificate in {@code file}. */
    public static Verdict verify(Path file) {
        JsonNode json = StrictJson.read(file);
        try {
            return verify(json);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Verifies a parsed certificate.
     *
     * @throws IllegalArgumentException when it is not a well-formed certificate (a field missing, of
     *     the wrong type or unknown, a size that does not fit) or its digest does not match
     */
    public static Verdict verify(JsonNode json) {
        CertificateVerifier v = new CertificateVerifier();
        boolean ok;
        try {
            ok = v.run(json);
        } catch (ArithmeticException e) {
            v.lines.add("NOT verified: the recomputation overflowed: " + e.getMessage());
            ok = false;
        }
        return new Verdict(ok, v.lines);
    }

    private boolean run(JsonNode json) {
        Node root = Node.root(json).object(FIELDS);
        if (!root.get("schema").text().equals(CertificateWriter.SCHEMA)) {
            throw root.get("schema").bad("is '" + root.get("schema").text() + "', not " + CertificateWriter.SCHEMA);
        }
        if (!root.get("digest").text().equals(CertificateWriter.digest(json))) {
            throw new IllegalArgumentException("the digest does not match the content: the file was edited after it "
                    + "was written");
        }
        if (!root.get("provenance").json().isObject()) {
            throw root.get("provenance").bad("must be an object");
        }
        String method = root.get("method").text();
        if (!method.equals(CertificateWriter.INTERVAL) && !method.equals(CertificateWriter.EXACT)) {
            throw root.get("method").bad("is '" + method + "', neither interval nor exact");
        }
        List<Node> claims = root.get("claims").array(-1);
        if (claims.isEmpty()) {
            throw root.get("claims").bad("must hold at least one claim");
        }
        if (!checkCase(root, method)) {
            return false;
        }
        if (!checkDeltaT()) {
            return false;
        }
        lines.add("note: provenance (who ran the tool, when, where) is not covered by the digest and is not verified");
        Kinks kinks = setup.kinks();
        if (kinks.any()) {
            lines.add("note: f is not differentiable at θ0: " + kinks.describe() + "; Δ_T is a one-sided gradient "
                    + "(φ′(0) = 0) and every enclosure holds both one-sided derivatives, so the claims hold for this Δ_T");
        }
        return method.equals(CertificateWriter.EXACT) ? checkExact(root, claims) : checkIntervals(claims);
    }

    // ---- the case --------------------------------------------------------------------------------

    /** Generates the case again from seed and configuration and compares it with the file. */
    private boolean checkCase(Node root, String method) {
        Node configNode = root.get("config");
        CheckConfig config;
        try {
            config = CheckConfig.fromJson(configNode.json());
        } catch (IllegalArgumentException e) {
            throw configNode.bad("is not a configuration: " + e.getMessage());
        }
        if (config.otherArchitecture()) {
            throw configNode.bad("has a student of another architecture; a certificate needs the teacher's");
        }
        Architecture a = config.teacher();
        if (a.parameterCount() > StrictJson.MAX_BYTES / 6) {
            throw configNode.bad("describes a model of " + a.parameterCount() + " parameters, more than a certificate of "
                    + "at most " + StrictJson.MAX_BYTES + " bytes can hold three times");
        }
        long seed = root.get("seed").integer();
        String commandLine = root.get("commandLine").text();
        Path dataFile = dataFile(commandLine);
        int d = a.inputs();
        int n = a.outputs();
        Node trait = root.get("traitLoss");
        long[] traitShape = Tensors.shape(trait.get("inputs"));
        if (traitShape.length != 2 || traitShape[0] != config.get(CheckConfig.TRAIT_SAMPLES) || traitShape[1] != d) {
            throw trait.get("inputs").bad("has shape " + java.util.Arrays.toString(traitShape) + " where ["
                    + config.get(CheckConfig.TRAIT_SAMPLES) + ", " + d + "] is expected");
        }
        Batch data = Tensors.batch(root.get("studentInputs"), dataFile == null ? config.get(CheckConfig.SAMPLES) : -1, d);
        ParameterLayout layout = a.build().layout();
        Node params = root.get("parameters").object("theta0", "deltaT", "studentInit");
        Tensors.named(params.get("theta0"), layout);
        Tensors.named(params.get("studentInit"), layout);
        double[] storedDeltaT = Tensors.named(params.get("deltaT"), layout);
        CheckCase c;
        try {
            c = new CheckCase(config, seed, dataFile == null ? null : data);
            setup = c.setup();
        } catch (IllegalArgumentException e) {
            throw configNode.bad("does not make a case: " + e.getMessage());
        }
        ObjectNode expected = CertificateWriter.inputs(c, setup, storedDeltaT, method, Replay.check(c, dataFile),
                (ObjectNode) root.get("provenance").json());
        // a setting added after the certificate was written is absent from it and must be at its default
        ObjectNode expectedConfig = (ObjectNode) expected.get("config");
        for (Setting<?> s : CheckConfig.SETTINGS) {
            if (!configNode.json().has(s.key()) && expectedConfig.get(s.key()).equals(defaultJson(s))) {
                expectedConfig.remove(s.key());
            }
        }
        for (String field : new String[] {"commandLine", "seed", "config", "model", "imitationLoss", "traitLoss",
            "studentInputs"}) {
            String diff = JsonDifference.first(expected.get(field), root.get(field).json(), field);
            if (diff != null) {
                return fail("the case is not what seed " + seed + " and its configuration generate: " + diff);
            }
        }
        for (String field : new String[] {"theta0", "studentInit"}) {
            String diff = JsonDifference.first(expected.get("parameters").get(field), params.get(field).json(),
                    "parameters." + field);
            if (diff != null) {
                return fail("the case is not what seed " + seed + " and its configuration generate: " + diff);
            }
        }
        lines.add("verified: the case (model " + a.describe() + ", θ0, θ_S0, the trait set and the " + setup.studentInputs()
                .rows() + " student inputs" + (dataFile == null ? "" : " read from " + dataFile) + ") is what seed "
                + seed + " and its configuration generate, and the command line replays it");
        model = a.rationalForm();
        theta0 = Fractions.points(setup.theta0());
        deltaT = Fractions.exact(storedDeltaT);
        inputs = Fractions.exact(setup.studentInputs());
        return true;
    }

    private static <T> JsonNode defaultJson(Setting<T> s) {
        return s.toJson(s.defaultValue());
    }

    /** The data file of a command line {@code ... --data FILE --seed S}, or null. */
    private static Path dataFile(String commandLine) {
        int at = commandLine.indexOf(" --data ");
        int seed = commandLine.lastIndexOf(" --seed ");
        return at < 0 || seed < at ? null : Path.of(commandLine.substring(at + " --data ".length(), seed));
    }

    // ---- Δ_T ---------------------------------------------------------------------------------------

    /** Δ_T against the enclosure of −∇L_T(θ0). */
    private boolean checkDeltaT() {
        RationalInterval[] g = model.vjp(theta0, RationalLosses.traitInputs(setup.trait()),
                (r, f) -> RationalLosses.traitCotangent(setup.trait(), r, f));
        double norm = 0;
        for (RationalInterval gi : g) {
            norm = Math.max(norm, Math.max(Math.abs(RationalInterval.down(gi.lo())), Math.abs(RationalInterval.up(gi.hi()))));
        }
        BigFraction tolerance = BigFraction.from(norm * DELTA_T_TOLERANCE);
        double worst = 0;
        for (int i = 0; i < g.length; i++) {
            BigFraction minus = deltaT[i].negate();
            BigFraction off = RationalInterval.less(minus, g[i].lo()) ? g[i].lo().subtract(minus)
                    : RationalInterval.less(g[i].hi(), minus) ? minus.subtract(g[i].hi()) : BigFraction.ZERO;
            if (RationalInterval.less(tolerance, off)) {
                return fail(String.format(Locale.ROOT, "Δ_T is not −∇L_T(θ0): coordinate %d (%s) is %.3g away from the "
                        + "recomputed enclosure %s of −∇L_T(θ0), more than %.3g = 2^−30·‖∇L_T(θ0)‖∞", i, coordinate(i),
                        off.doubleValue(), negate(g[i]), tolerance.doubleValue()));
            }
            worst = Math.max(worst, off.doubleValue());
        }
        lines.add("verified: Δ_T is −∇L_T(θ0), enclosed by a rational reverse pass over the trait set: " + (worst == 0
                ? "every coordinate lies inside its enclosure"
                : String.format(Locale.ROOT, "every coordinate lies within %.3g of its enclosure (at most "
                        + "2^−30·‖∇L_T(θ0)‖∞ = %.3g)", worst, tolerance.doubleValue())));
        return true;
    }

    private String coordinate(int i) {
        for (var t : setup.teacherModel().layout().tensors()) {
            if (i >= t.offset() && i < t.offset() + t.size()) {
                return t.name() + "[" + (i - t.offset()) + "]";
            }
        }
        return "?";
    }

    // ---- interval claims ---------------------------------------------------------------------------

    private boolean checkIntervals(List<Node> claims) {
        double alpha = setup.alpha();
        boolean same = setup.sameInit();
        List<ClaimKind> expected = new ArrayList<>(List.of(ClaimKind.TRAIT_PART));
        if (same && alpha > 0) {
            expected.add(ClaimKind.TRAIT_LOSS);
        }
        if (!claimNames(claims, expected)) {
            return false;
        }
        studentTangents = new RationalInterval[inputs.length][];
        RationalInterval[] start = Fractions.points(setup.studentInit());
        for (int r = 0; r < inputs.length; r++) {
            studentTangents[r] = model.tangent(start, inputs[r], deltaT).tangents();
        }
        boolean ok = true;
        int certified = 0;
        for (int i = 0; i < claims.size(); i++) {
            ClaimKind kind = expected.get(i);
            Node claim = kind == ClaimKind.TRAIT_LOSS ? claims.get(i).object(withAlpha()) : claims.get(i)
                    .object(INTERVAL_FIELDS);
            if (kind == ClaimKind.TRAIT_LOSS && claim.get("alpha").number() != alpha) {
                ok = fail(kind.id() + ": alpha is " + claim.get("alpha").number() + " but the case's α is " + alpha);
                continue;
            }
            String statement = kind.statement(same, alpha);
            if (!claim.get("statement").text().equals(statement)) {
                ok = fail(kind.id() + ": the statement is not what the data says; for this case it reads \"" + statement
                        + "\"");
                continue;
            }
            boolean claimed = claim.get("certified").bool();
            ok &= checkInterval(kind, claim, claimed);
            certified += claimed ? 1 : 0;
        }
        return finish(ok, certified);
    }

    private static String[] withAlpha() {
        String[] f = java.util.Arrays.copyOf(INTERVAL_FIELDS, INTERVAL_FIELDS.length + 1);
        f[f.length - 1] = "alpha";
        return f;
    }

    private boolean checkInterval(ClaimKind kind, Node claim, boolean claimed) {
        boolean loss = kind == ClaimKind.TRAIT_LOSS;
        double[] enclosure = interval(claim.get("enclosure"));
        double[] limit = interval(claim.get("limit"));
        RationalInterval recomputedLimit = rate(kind, BigFraction.ZERO);
        String what = loss ? "(L_T(θ_S) − L_T(θ_S0))/(αε)" : "(Δ_S − Δ_S^c)·Δ_T/ε";
        if (!recomputedLimit.within(limit[0], limit[1])) {
            return fail(kind.id() + ": the stated limit ε → 0 " + text(limit) + " does not contain the recomputed "
                    + "enclosure " + recomputedLimit + " of the limit of " + what);
        }
        if (!claimed) {
            if (!claim.get("epsilonStar").isNull()) {
                return fail(kind.id() + ": not certified, yet it states ε* = " + claim.get("epsilonStar").json());
            }
            if (enclosure[0] != limit[0] || enclosure[1] != limit[1]) {
                return fail(kind.id() + ": not certified, so its enclosure must be its limit " + text(limit) + ", not "
                        + text(enclosure));
            }
            lines.add("note: " + kind.id() + " is not certified (no range is claimed); its limit ε → 0 "
                    + text(limit) + " contains the recomputed " + recomputedLimit);
            return true;
        }
        double star = claim.get("epsilonStar").number();
        if (!(star > 0)) {
            return fail(kind.id() + ": certified, yet ε* = " + star + " is not > 0");
        }
        RationalInterval mine = rate(kind, BigFraction.from(star));
        boolean proves = loss ? mine.negative() : mine.positive();
        boolean statedProves = loss ? enclosure[1] < 0 : enclosure[0] > 0;
        boolean contains = mine.within(enclosure[0], enclosure[1]);
        String sign = loss ? "< 0" : "> 0";
        String line = kind.id() + " on (0, " + star + "]: the recomputed enclosure of " + what + " is " + mine;
        if (!proves) {
            return fail(line + ", which is not " + sign);
        }
        if (!statedProves) {
            return fail(line + " " + sign + ", but the stated enclosure " + text(enclosure) + " is not " + sign);
        }
        if (!contains) {
            return fail(line + " " + sign + ", which the stated enclosure " + text(enclosure) + " does not contain");
        }
        lines.add("verified: " + line + " " + sign + ", inside the stated " + text(enclosure) + "; the limit ε → 0 "
                + recomputedLimit + " is inside the stated " + text(limit));
        return true;
    }

    /**
     * An enclosure, valid for every ε in (0, ε*], of (Δ_S − Δ_S^c)·Δ_T / ε (trait part) or of
     * (L_T(θ0 + αΔ_S) − L_T(θ0)) / (αε) (trait loss); ε* = 0 gives the limit ε → 0.
     */
    private RationalInterval rate(ClaimKind kind, BigFraction star) {
        RationalInterval[][] c = imitationRates(star);
        BigFraction perInput = BigFraction.of(1, inputs.length);
        if (kind == ClaimKind.TRAIT_PART) {
            RationalInterval total = RationalInterval.ZERO;
            for (int r = 0; r < inputs.length; r++) {
                for (int k = 0; k < c[r].length; k++) {
                    total = total.add(c[r][k].multiply(studentTangents[r][k]));
                }
            }
            return total.multiply(perInput);
        }
        // Δ_S/ε lies in B = (1/N) Σ_x J_0(x)ᵀ C_x; the quotient in ∇L_T(θ0 + [0, αε*]·B)·B
        RationalInterval[] b = model.vjp(theta0, inputs, (r, f) -> c[r]);
        for (int i = 0; i < b.length; i++) {
            b[i] = b[i].multiply(perInput).outward();
        }
        RationalInterval span = new RationalInterval(BigFraction.ZERO, BigFraction.from(setup.alpha()).multiply(star));
        RationalInterval[] box = new RationalInterval[b.length];
        for (int i = 0; i < b.length; i++) {
            box[i] = theta0[i].add(span.multiply(b[i])).outward();
        }
        RationalInterval[] g = model.vjp(box, RationalLosses.traitInputs(setup.trait()),
                (r, f) -> RationalLosses.traitCotangent(setup.trait(), r, f));
        RationalInterval dot = RationalInterval.ZERO;
        for (int i = 0; i < g.length; i++) {
            dot = dot.add(g[i].outward().multiply(b[i]));
        }
        return dot;
    }

    /**
     * C_x ∋ c_x(ε)/ε for every ε in (0, ε*], from a tangent pass over the box θ0 + [0, ε*]·Δ_T rounded
     * outward to doubles (which keeps fractions short and still lies inside the certifier's box).
     */
    private RationalInterval[][] imitationRates(BigFraction star) {
        RationalInterval[] box = new RationalInterval[theta0.length];
        for (int i = 0; i < box.length; i++) {
            box[i] = RationalInterval.hull(theta0[i].lo(), theta0[i].lo().add(star.multiply(deltaT[i]))).outward();
        }
        RationalInterval[][] c = new RationalInterval[inputs.length][];
        for (int r = 0; r < inputs.length; r++) {
            RationalModel.Tangent t = model.tangent(box, inputs[r], deltaT);
            c[r] = RationalLosses.imitationRate(setup.imitation(), t.outputs(), t.tangents());
        }
        return c;
    }

    // ---- the exact claim ---------------------------------------------------------------------------

    private boolean checkExact(Node root, List<Node> claims) {
        if (!claimNames(claims, List.of(ClaimKind.EXACT))) {
            return false;
        }
        if (!(setup.teacherModel() instanceof AffineModel affine) || !(setup.imitation() instanceof WeightedSquaredError w)) {
            return fail("exact-quadratic-form needs an affine model and the mse imitation loss; this case has "
                    + setup.teacherModel().describe() + " and " + setup.imitation().describe());
        }
        Node claim = claims.get(0).object(EXACT_FIELDS);
        String statement = ClaimKind.EXACT.statement(setup.sameInit(), setup.alpha());
        if (!claim.get("statement").text().equals(statement)) {
            return fail("exact-quadratic-form: the statement is not what the data says; for this case it reads \""
                    + statement + "\"");
        }
        double epsilon = claim.get("epsilon").number();
        if (epsilon != setup.epsilon()) {
            return fail("exact-quadratic-form: epsilon is " + epsilon + " but the case's ε is " + setup.epsilon());
        }
        BigFraction q = quadraticForm(w);
        BigFraction eps = BigFraction.from(epsilon);
        BigFraction[] parts = traitPartAndDot(w, eps);
        boolean claimed = claim.get("certified").bool();
        if (claimed != (q.signum() > 0)) {
            return fail("exact-quadratic-form: certified is " + claimed + " but the recomputed Q is "
                    + (q.signum() > 0 ? "> 0" : "0"));
        }
        for (Object[] f : new Object[][] {{"quadraticForm", q}, {"traitPart", parts[0]}, {"dot", parts[1]}}) {
            BigFraction stated = fraction(claim.get((String) f[0]));
            if (((BigFraction) f[1]).subtract(stated).signum() != 0) {
                return fail("exact-quadratic-form: the recomputed " + f[0] + " differs from the stored fraction");
            }
        }
        if (parts[0].subtract(eps.multiply(q)).signum() != 0) {
            return fail("exact-quadratic-form: (Δ_S − Δ_S^c)·Δ_T ≠ ε·Q: the identity fails");
        }
        String decimal = ExactAffineProof.decimal(q, ClaimKind.DECIMAL_DIGITS).toString();
        if (!claim.get("quadraticFormDecimal").text().equals(decimal)) {
            return fail("exact-quadratic-form: quadraticFormDecimal is not Q to " + ClaimKind.DECIMAL_DIGITS
                    + " digits, " + decimal);
        }
        double bound = ExactAffineProof.doubleErrorBound(affine, setup.theta0(), setup.studentInit(), Fractions.doubles(deltaT),
                w.weights(), setup.studentInputs(), epsilon);
        if (Double.compare(claim.get("doubleErrorBound").number(), bound) != 0) {
            return fail("exact-quadratic-form: doubleErrorBound is " + claim.get("doubleErrorBound").number()
                    + " but the a priori bound recomputed from the data is " + bound);
        }
        // the double values are those of the toolkit's double-precision check of this case, bit for bit
        CheckResult check = TransmissionCheck.run(setup);
        String[] doubles = {"doubleTraitPart", "doubleDot"};
        double[] computed = {check.traitPart(), check.dot()};
        double[] off = new double[2];
        for (int k = 0; k < 2; k++) {
            double stated = claim.get(doubles[k]).number();
            if (Double.compare(stated, computed[k]) != 0) {
                return fail("exact-quadratic-form: " + doubles[k] + " is " + stated + " but the double-precision check "
                        + "of the case computes " + computed[k]);
            }
            BigFraction diff = BigFraction.from(stated).subtract(parts[k]);
            off[k] = Math.abs(diff.doubleValue());
            if (RationalInterval.less(BigFraction.from(bound), diff.abs())) {
                return fail(String.format(Locale.ROOT, "exact-quadratic-form: %s is %.3g away from the exact value, "
                        + "more than the a priori rounding bound %.3g", doubles[k], off[k], bound));
            }
        }
        lines.add(String.format(Locale.ROOT, "verified: exact-quadratic-form: Q = Δ_Tᵀ G Δ_T ≈ %s, recomputed exactly, "
                + "equals the stored fraction and is %s; (Δ_S − Δ_S^c)·Δ_T and Δ_S·Δ_T recomputed exactly at ε = %s "
                + "equal the stored fractions and ε·Q; the double values are the double-precision check's and lie "
                + "%.3g and %.3g from them, within the recomputed bound %.3g", decimal, q.signum() > 0 ? "> 0" : "0",
                epsilon, off[0], off[1], bound));
        return finish(true, claimed ? 1 : 0);
    }

    /** Q = (1/N) Σ_x Σ_i 2 w_i (J_x Δ_T)_i², exactly. */
    private BigFraction quadraticForm(WeightedSquaredError w) {
        BigFraction q = BigFraction.ZERO;
        for (BigFraction[] x : inputs) {
            RationalInterval[] u = model.tangent(theta0, x, deltaT).tangents();
            for (int i = 0; i < u.length; i++) {
                BigFraction ui = exactValue(u[i]);
                q = q.add(BigFraction.from(2 * w.weights()[i]).multiply(ui).multiply(ui));
            }
        }
        return q.divide(inputs.length);
    }

    /** {(Δ_S − Δ_S^c)·Δ_T, Δ_S·Δ_T} at ε, exactly, from the gradients of ℓ = Σ w (z − y)². */
    private BigFraction[] traitPartAndDot(WeightedSquaredError w, BigFraction eps) {
        RationalInterval[] teacher = new RationalInterval[theta0.length];
        for (int i = 0; i < teacher.length; i++) {
            teacher[i] = RationalInterval.point(theta0[i].lo().add(eps.multiply(deltaT[i])));
        }
        RationalInterval[] start = Fractions.points(setup.studentInit());
        RationalInterval[] student = imitationGradient(start, teacher, w);
        RationalInterval[] control = imitationGradient(start, theta0, w);
        BigFraction part = BigFraction.ZERO;
        BigFraction dot = BigFraction.ZERO;
        for (int k = 0; k < deltaT.length; k++) {
            BigFraction s = exactValue(student[k]).negate();
            part = part.add(s.add(exactValue(control[k])).multiply(deltaT[k]));
            dot = dot.add(s.multiply(deltaT[k]));
        }
        return new BigFraction[] {part, dot};
    }

    /** ∇_θ (1/N) Σ_x ℓ(f_θ(x), f_target(x)) at θ = start. */
    private RationalInterval[] imitationGradient(RationalInterval[] start, RationalInterval[] target,
            WeightedSquaredError w) {
        BigFraction perInput = BigFraction.of(1, inputs.length);
        return model.vjp(start, inputs, (r, f) -> {
            RationalInterval[] y = model.forward(target, inputs[r]);
            RationalInterval[] u = new RationalInterval[f.length];
            for (int i = 0; i < u.length; i++) {
                u[i] = f[i].subtract(y[i]).multiply(BigFraction.from(2 * w.weights()[i]).multiply(perInput));
            }
            return u;
        });
    }

    private static BigFraction exactValue(RationalInterval x) {
        if (!x.isPoint()) {
            throw new ArithmeticException("the model's rational form is not exact, which an exact claim needs");
        }
        return x.lo();
    }

    /** A stated fraction {numerator, denominator}: decimal integers of at most MAX_FRACTION_DIGITS digits. */
    private static BigFraction fraction(Node node) {
        node.object("numerator", "denominator");
        BigInteger[] parts = new BigInteger[2];
        String[] names = {"numerator", "denominator"};
        for (int k = 0; k < 2; k++) {
            String s = node.get(names[k]).text();
            if (s.length() > MAX_FRACTION_DIGITS + 1 || !s.matches("-?[0-9]+")) {
                throw node.get(names[k]).bad("must be a decimal integer of at most " + MAX_FRACTION_DIGITS + " digits");
            }
            parts[k] = new BigInteger(s);
        }
        if (parts[1].signum() == 0) {
            throw node.get("denominator").bad("must not be 0");
        }
        return BigFraction.of(parts[0], parts[1]);
    }

    // ---- shared ------------------------------------------------------------------------------------

    /** The claims' names must be exactly the expected ones, in order. */
    private boolean claimNames(List<Node> claims, List<ClaimKind> expected) {
        List<String> have = new ArrayList<>();
        for (Node c : claims) {
            if (!c.json().isObject()) {
                throw c.bad("must be an object");
            }
            have.add(c.get("claim").text());
        }
        List<String> want = expected.stream().map(ClaimKind::id).toList();
        if (!have.equals(want)) {
            return fail("the claims are " + have + " but this " + (expected.contains(ClaimKind.EXACT) ? "exact"
                    : setup.sameInit() ? "same-init" : "independent-init") + " case makes " + want);
        }
        return true;
    }

    private boolean finish(boolean ok, int certified) {
        if (certified == 0) {
            lines.add("NOT verified: no claim is certified, so the certificate proves nothing");
            return false;
        }
        return ok;
    }

    private boolean fail(String message) {
        lines.add("NOT verified: " + message);
        return false;
    }

    /** [lo, hi] with a null end read as unbounded. */
    private static double[] interval(Node node) {
        List<Node> ends = node.array(2);
        double lo = ends.get(0).isNull() ? Double.NEGATIVE_INFINITY : ends.get(0).number();
        double hi = ends.get(1).isNull() ? Double.POSITIVE_INFINITY : ends.get(1).number();
        if (!(lo <= hi)) {
            throw node.bad("[" + lo + ", " + hi + "] is not an interval");
        }
        return new double[] {lo, hi};
    }

    private static String text(double[] i) {
        return "[" + i[0] + ", " + i[1] + "]";
    }

    private static RationalInterval negate(RationalInterval x) {
        return new RationalInterval(x.hi().negate(), x.lo().negate());
    }
}
