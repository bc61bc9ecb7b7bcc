package dev.subliminal.certify;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.subliminal.simulation.check.CheckCase;
import dev.subliminal.simulation.check.CheckConfig;
import dev.subliminal.simulation.check.CheckSpace;
import dev.subliminal.simulation.check.Replay;
import dev.subliminal.simulation.check.StudentInit;
import dev.subliminal.simulation.mlp.Activation;
import dev.subliminal.simulation.mlp.MlpFamily;
import dev.subliminal.results.certify.CertifySchema;
import dev.subliminal.results.schema.Schema;
import dev.subliminal.results.store.ResultStore;
import dev.subliminal.results.store.ResultsReader;
import dev.subliminal.spec.Names;
import dev.subliminal.theory.random.Seeds;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * {@code certify --cases N --seed S --out FILE.jsonl}: certifies N generated cases, MLPs with every
 * {@link Activation#certifiable() certifiable} activation (tanh and ReLU) and
 * {@link CheckSpace#everything()}'s sizes (d ≤ 5, up to 3 hidden layers of width ≤ 8, n ≤ 4, so
 * p ≤ 228), both imitation and trait losses, with one student init, and appends one
 * {@value CertifySchema#NAME} record per case to a resumable results file. Case i is generated from
 * {@code Seeds.derive(S, i)}. The {@link Summary} counts, per activation, the certified cases over
 * all cases and over those whose double-precision trait part is not exactly 0 (a zero one is the
 * theorem's first alternative, Δ_S·Δ_T = 0 for every ε: a softmax over one logit, or a trait loss with
 * Δ_T = 0, so there is nothing to certify), and how many cases whose trait part is negative got a
 * certificate (a sound method gives none).
 */
public final class CertifyBatch {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private CertifyBatch() {
    }

    /**
     * Certified cases per activation.
     *
     * @param certified cases with ε* > 0
     * @param cases all cases
     * @param certifiedNonZero cases with ε* > 0 among those whose trait part is not 0
     * @param nonZero cases whose trait part is not 0
     */
    public record Counts(int certified, int cases, int certifiedNonZero, int nonZero) {
    }

    /**
     * What a batch file holds.
     *
     * @param byActivation counts per activation name, ordered by name
     * @param negative cases whose double-precision trait part is negative
     * @param negativeCertified of those, the certified ones
     */
    public record Summary(Map<String, Counts> byActivation, int negative, int negativeCertified) {
    }

    /** The activations of the generated cases: the certifiable ones, in declaration order. */
    public static List<Activation> activations() {
        return Arrays.stream(Activation.values()).filter(Activation::certifiable).toList();
    }

    /** The generated cases' space for a student init. */
    public static CheckSpace space(StudentInit init) {
        return CheckSpace.everything().withFamilies(MlpFamily.NAME)
                .restrict(MlpFamily.ACTIVATION, activations().toArray(new Activation[0])).withInits(init);
    }

    /** Runs (or resumes) the batch into {@code out} and summarizes the whole file. */
    public static Summary run(int cases, long seed, StudentInit init, Path out, ObjectNode provenance) {
        if (cases < 1) {
            throw new IllegalArgumentException("--cases " + cases + " must be ≥ 1");
        }
        ObjectNode config = MAPPER.createObjectNode();
        config.put("cases", cases);
        config.put("seed", seed);
        config.put("init", CheckConfig.INIT.format(init));
        config.put("space", "mlp " + activations().stream().map(Names::of).collect(Collectors.joining("|"))
                + ", d ≤ 5, ≤ 3 hidden layers of width ≤ 8, n ≤ 4, ≤ 24 student inputs, "
                + "mse|ce imitation, ce|mse trait, ε in [1e-5, 1e-2], α in [1e-3, 1]");
        config.put("claim", ClaimKind.TRAIT_PART.id());
        CheckSpace space = space(init);
        ResultStore.write(out, CertifySchema.SCHEMA, config, provenance, store -> {
            for (int i = 0; i < cases; i++) {
                if (!store.contains(CertifySchema.key(i))) {
                    store.append(record(i, space.generate(Seeds.of(Seeds.derive(seed, (long) i) & Long.MAX_VALUE))));
                }
            }
        });
        return summarize(out);
    }

    private static ObjectNode record(int i, CheckCase c) {
        Certification cert = Certification.of(c);
        boolean certified = cert.traitPart().certified();
        ObjectNode r = MAPPER.createObjectNode();
        Schema.KEY.put(r, CertifySchema.key(i));
        CertifySchema.CASE.put(r, i);
        CertifySchema.SEED.put(r, c.seed());
        CertifySchema.COMMAND_LINE.put(r, Replay.check(c));
        CertifySchema.CERTIFIED.put(r, certified);
        CertifySchema.EPSILON_STAR.put(r, certified ? cert.traitPart().epsilon() : Double.NaN);
        CertifySchema.CLAIM.put(r, ClaimKind.TRAIT_PART.id());
        CertifySchema.ACTIVATION.put(r, MlpFamily.ACTIVATION.format(c.config().teacher().values()
                .get(MlpFamily.ACTIVATION)));
        CertifySchema.PARAMETERS.put(r, cert.setup().teacherModel().parameterCount());
        CertifySchema.TRAIT_PART.put(r, c.run().traitPart());
        return r;
    }

    private static Summary summarize(Path out) {
        Map<String, int[]> counts = new TreeMap<>();
        int[] negative = new int[2];
        ResultsReader.forEach(out, CertifySchema.SCHEMA, r -> {
            boolean certified = CertifySchema.CERTIFIED.bool(r);
            int[] k = counts.computeIfAbsent(CertifySchema.ACTIVATION.text(r), a -> new int[4]);
            double part = CertifySchema.TRAIT_PART.number(r);
            k[0] += certified ? 1 : 0;
            k[1]++;
            if (part != 0 && !Double.isNaN(part)) {
                k[2] += certified ? 1 : 0;
                k[3]++;
            }
            if (part < 0) {
                negative[0]++;
                negative[1] += certified ? 1 : 0;
            }
        });
        Map<String, Counts> by = new TreeMap<>();
        counts.forEach((a, k) -> by.put(a, new Counts(k[0], k[1], k[2], k[3])));
        return new Summary(by, negative[0], negative[1]);
    }
}
