package dev.subliminal.certify.verify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.subliminal.certify.ClaimKind;
import dev.subliminal.certify.HighPrecision;
import dev.subliminal.certify.verify.Certificates.Kind;
import dev.subliminal.certify.verify.Certificates.Outcome;
import dev.subliminal.simulation.check.CheckCase;
import dev.subliminal.simulation.check.CheckConfig;
import dev.subliminal.theory.check.CheckResult;
import dev.subliminal.theory.check.CheckSetup;
import dev.subliminal.theory.param.ParameterLayout;
import dev.subliminal.theory.param.TensorSpec;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every field of real certificates (written by the tool, see {@code certificates/README.md}) is
 * mutated in turn (of an array of more than four elements, the first, middle and last element; a
 * tensor's numbers one ulp up and ×1.05, every other number also one ulp down and negated), the
 * digest recomputed as a forger would, and the result verified. Each mutation
 * must be refused (malformed, or not verified) or shown not to change the truth of any claim: either
 * it touches only the provenance, which no claim depends on, or an independent check of every claim
 * of the mutated certificate holds: the 50-digit {@link HighPrecision} value of
 * (Δ_S − Δ_S^c)·Δ_T at ε*, ε* / 2 and ε*·10⁻⁶ (for the mutated Δ_T) is > 0 with its quotient by ε
 * inside the stated enclosure, and at ε*·10⁻³⁰ inside the stated limit; the double-precision
 * (L_T(θ_S) − L_T(θ_S0))/(αε) at ε* and ε* / 2 lies in the stated enclosure up to its rounding
 * (1e-13·max(1, L_T)/(αε)) and is < 0. Prints a table: field, mutation, outcomes.
 */
class CertificateMutationTest {

    /** A change of one node. */
    private record Mutation(String path, String name, Consumer<ObjectNode> apply) {
    }

    @ParameterizedTest
    @ValueSource(strings = {"small-tanh.json", "small-exact.json", "small-relu-independent.json",
        "small-distill-perturbed.json", "small-data.json"})
    void everyMutationIsRefusedOrLeavesEveryClaimTrue(String name) {
        ObjectNode original = Certificates.tree(name);
        List<Mutation> mutations = new ArrayList<>();
        collect(original, "", n -> n, mutations);
        mutations.removeIf(m -> m.path().equals("digest")); // the forger recomputes it
        Map<String, int[]> table = new TreeMap<>();
        int accepted = 0;
        for (Mutation m : mutations) {
            ObjectNode c = original.deepCopy();
            m.apply().accept(c);
            Outcome o = Certificates.outcome(Certificates.forged(c));
            int column = o.kind().ordinal();
            if (o.kind() == Kind.VERIFIED) {
                String reason = acceptable(m, original, c);
                assertThat(reason).as("%s %s was accepted", m.path(), m.name()).isNotNull();
                if (reason.equals(CLAIMS_TRUE)) {
                    String why = truth(c);
                    assertThat(why).as("%s %s was accepted, yet: %s", m.path(), m.name(), why).isNull();
                } else {
                    column = 3;
                }
                accepted++;
            }
            table.computeIfAbsent(pattern(m.path()) + " | " + m.name(), k -> new int[4])[column]++;
        }
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "%s: %d mutations, %d accepted%n", name,
                mutations.size(), accepted));
        out.append("field | mutation | malformed | not verified | accepted, claims still true | accepted, no claim uses it\n");
        table.forEach((k, v) -> out.append(k).append(" | ").append(v[0]).append(" | ").append(v[1]).append(" | ")
                .append(v[2]).append(" | ").append(v[3]).append('\n'));
        System.out.print(out);
        assertThat(mutations.size()).isGreaterThan(300);
    }

    private static final String CLAIMS_TRUE = "the claims, re-proved for the changed value, stay true";

    /**
     * Why an accepted mutation of {@code path} cannot have made a claim false, or null if there is
     * no reason: fields no claim reads, and values the claims are re-proved for (then checked by
     * {@link #truth}).
     */
    private static String acceptable(Mutation m, ObjectNode original, ObjectNode c) {
        String path = m.path();
        if (m.name().equals("removed") && path.matches("config\\.[a-zA-Z]+") && !path.equals("config.teacher")
                && !path.equals("config.student")) {
            String key = path.substring("config.".length());
            var setting = CheckConfig.SETTINGS.stream().filter(s -> s.key().equals(key)).findFirst().orElseThrow();
            if (!original.get("config").get(key).equals(defaultJson(setting))) {
                return null;
            }
            return "a check setting absent from a record (one written before the setting existed) reads as its "
                    + "default, which is the value the record held";
        }
        if (path.startsWith("provenance")) {
            return "the provenance is not part of any claim";
        }
        if (c.get("commandLine").asText().contains(" --data ") && path.matches("config\\.(samples|inputs)")) {
            return "unused: the student inputs are read from the data file";
        }
        if (c.get("commandLine").asText().contains(" --data ") && path.startsWith("studentInputs.data")) {
            return CLAIMS_TRUE;
        }
        if (path.startsWith("parameters.deltaT") || path.matches("claims\\[\\d+\\]\\.(epsilonStar|enclosure|limit).*")) {
            return CLAIMS_TRUE;
        }
        return null;
    }

    private static <T> JsonNode defaultJson(dev.subliminal.spec.Setting<T> s) {
        return s.toJson(s.defaultValue());
    }

    /** Null when every certified claim of the (verified) mutated certificate holds by independent checks. */
    private static String truth(ObjectNode c) {
        CheckCase k = new CheckCase(CheckConfig.fromJson(c.get("config")), c.get("seed").asLong(),
                c.get("commandLine").asText().contains(" --data ") ? studentInputs(c) : null);
        CheckSetup s = k.setup();
        double[] deltaT = named(c.at("/parameters/deltaT"), s.teacherModel().layout());
        for (JsonNode claim : c.get("claims")) {
            if (!claim.get("certified").asBoolean()) {
                continue;
            }
            ClaimKind kind = ClaimKind.byId(claim.get("claim").asText());
            if (kind == ClaimKind.EXACT) {
                return "an exact claim's field was accepted after a change; every one is recomputed exactly";
            }
            double star = claim.get("epsilonStar").asDouble();
            double lo = claim.at("/enclosure/0").asDouble();
            double hi = claim.at("/enclosure/1").asDouble();
            if (kind == ClaimKind.TRAIT_PART) {
                for (double eps : new double[] {star, star / 2, star * 1e-6}) {
                    BigDecimal v = HighPrecision.traitPart(k.config().teacher(), s.theta0(), s.studentInit(), deltaT,
                            eps, s.imitation(), s.studentInputs());
                    BigDecimal ratio = v.divide(new BigDecimal(eps), HighPrecision.MC);
                    if (v.signum() <= 0 || ratio.compareTo(new BigDecimal(lo)) < 0 || ratio.compareTo(new BigDecimal(hi)) > 0) {
                        return "the trait part / ε at ε = " + eps + " is " + ratio + ", outside [" + lo + ", " + hi + "]";
                    }
                }
                double tiny = star * 1e-30;
                BigDecimal limit = HighPrecision.traitPart(k.config().teacher(), s.theta0(), s.studentInit(), deltaT,
                        tiny, s.imitation(), s.studentInputs()).divide(new BigDecimal(tiny), HighPrecision.MC);
                if (limit.compareTo(new BigDecimal(claim.at("/limit/0").asDouble())) < 0
                        || limit.compareTo(new BigDecimal(claim.at("/limit/1").asDouble())) > 0) {
                    return "the trait part / ε at ε = " + tiny + " is " + limit + ", outside the stated limit";
                }
            } else {
                for (double eps : new double[] {star, star / 2}) {
                    CheckResult r = new CheckCase(k.config().with(CheckConfig.EPSILON, eps), k.seed(), k.data()).run();
                    double scale = s.alpha() * eps;
                    double v = r.traitLossChange() / scale;
                    double tol = 1e-13 * Math.max(1, r.traitLossBefore()) / scale;
                    if (v < lo - tol || v > hi + tol || (Math.abs(v) > tol && v >= 0)) {
                        return "(L_T(θ_S) − L_T(θ_S0))/(αε) at ε = " + eps + " is " + v + ", outside [" + lo + ", " + hi
                                + "] ± " + tol + " or not < 0";
                    }
                }
            }
        }
        return null;
    }

    /** Every mutation of every node below {@code node}, which {@code locate} finds in a copy. */
    private static void collect(JsonNode node, String path, java.util.function.UnaryOperator<JsonNode> locate,
            List<Mutation> out) {
        if (node.isObject()) {
            for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
                String k = it.next();
                String sub = path.isEmpty() ? k : path + "." + k;
                out.add(new Mutation(sub, "removed", c -> ((ObjectNode) locate.apply(c)).remove(k)));
                collect(node.get(k), sub, c -> locate.apply(c).get(k), out);
                replacements(node.get(k), sub, (c, v) -> ((ObjectNode) locate.apply(c)).set(k, v), out);
            }
            out.add(new Mutation(path.isEmpty() ? "(root)" : path, "unknown field added",
                    c -> ((ObjectNode) locate.apply(c)).put("extra", 1)));
        } else if (node.isArray()) {
            int last = node.size() - 1;
            out.add(new Mutation(path, "last element dropped", c -> {
                ArrayNode a = (ArrayNode) locate.apply(c);
                if (!a.isEmpty()) {
                    a.remove(a.size() - 1);
                }
            }));
            out.add(new Mutation(path, "element appended", c -> {
                ArrayNode a = (ArrayNode) locate.apply(c);
                a.add(a.isEmpty() ? JsonNodeFactory.instance.numberNode(0) : a.get(a.size() - 1).deepCopy());
            }));
            for (int i : last < 4 ? java.util.stream.IntStream.rangeClosed(0, last).toArray()
                    : new int[] {0, last / 2, last}) {
                int at = i;
                String sub = path + "[" + i + "]";
                collect(node.get(i), sub, c -> locate.apply(c).get(at), out);
                replacements(node.get(i), sub, (c, v) -> ((ArrayNode) locate.apply(c)).set(at, v), out);
            }
        }
    }

    /** Replacements of one value: numbers nudged, scaled and negated, strings edited, types changed. */
    private static void replacements(JsonNode v, String path, java.util.function.BiConsumer<ObjectNode, JsonNode> set,
            List<Mutation> out) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        if (v.isIntegralNumber()) {
            out.add(new Mutation(path, "+1", c -> set.accept(c, f.numberNode(v.longValue() + 1))));
            out.add(new Mutation(path, "as a string", c -> set.accept(c, f.textNode(v.asText()))));
        } else if (v.isNumber()) {
            double x = v.doubleValue();
            out.add(new Mutation(path, "one ulp up", c -> set.accept(c, f.numberNode(Math.nextUp(x)))));
            if (!path.contains(".data[")) {
                out.add(new Mutation(path, "one ulp down", c -> set.accept(c, f.numberNode(Math.nextDown(x)))));
                out.add(new Mutation(path, "negated", c -> set.accept(c, f.numberNode(-x))));
            }
            out.add(new Mutation(path, "×1.05", c -> set.accept(c, f.numberNode(x == 0 ? 1e-3 : x * 1.05))));
            out.add(new Mutation(path, "as a string", c -> set.accept(c, f.textNode(v.asText()))));
        } else if (v.isTextual()) {
            out.add(new Mutation(path, "text appended", c -> set.accept(c, f.textNode(v.textValue() + " (edited)"))));
            out.add(new Mutation(path, "as a number", c -> set.accept(c, f.numberNode(1))));
        } else if (v.isBoolean()) {
            out.add(new Mutation(path, "flipped", c -> set.accept(c, f.booleanNode(!v.booleanValue()))));
            out.add(new Mutation(path, "as \"yes\"", c -> set.accept(c, f.textNode("yes"))));
        } else if (v.isNull()) {
            out.add(new Mutation(path, "0 instead of null", c -> set.accept(c, f.numberNode(0.0))));
        }
        if (!v.isNull()) {
            out.add(new Mutation(path, "null", c -> set.accept(c, f.nullNode())));
        }
    }

    /** The path with array indices of tensor data and of inputs folded: {@code studentInputs.data[*]}. */
    private static String pattern(String path) {
        return path.replaceAll("\\.data\\[\\d+\\]", ".data[*]").replaceAll("(labels|weights|arguments|sizes|shape|logits)\\[\\d+\\]",
                "$1[*]");
    }

    private static double[] named(JsonNode named, ParameterLayout layout) {
        double[] theta = new double[layout.size()];
        for (TensorSpec t : layout.tensors()) {
            JsonNode data = named.get(t.name()).get("data");
            for (int i = 0; i < t.size(); i++) {
                theta[t.offset() + i] = data.get(i).doubleValue();
            }
        }
        return theta;
    }

    private static dev.subliminal.theory.model.Batch studentInputs(ObjectNode c) {
        JsonNode t = c.get("studentInputs");
        int rows = t.at("/shape/0").asInt();
        int cols = t.at("/shape/1").asInt();
        double[] data = new double[rows * cols];
        for (int i = 0; i < data.length; i++) {
            data[i] = t.get("data").get(i).doubleValue();
        }
        return new dev.subliminal.theory.model.Batch(rows, cols, data);
    }
}
