package dev.subliminal.experiments.certify;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.subliminal.experiments.io.Provenance;
import dev.subliminal.reports.table.TextTable;
import dev.subliminal.experiments.check.Replay;
import dev.subliminal.simulation.check.CheckConfig;
import dev.subliminal.simulation.check.CheckCase;
import dev.subliminal.simulation.check.CheckSpace;
import dev.subliminal.simulation.check.StudentInit;
import dev.subliminal.simulation.mlp.Activation;
import dev.subliminal.simulation.mlp.MlpFamily;
import dev.subliminal.results.certify.CertifySchema;
import dev.subliminal.results.schema.Schema;
import dev.subliminal.results.stats.Proportion;
import dev.subliminal.results.store.ResultStore;
import dev.subliminal.results.store.ResultsReader;
import dev.subliminal.theory.random.Seeds;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code certify --cases N --seed S --out FILE.jsonl}: certifies N generated cases, tanh and ReLU
 * MLPs of {@link CheckSpace#everything()}'s sizes (d ≤ 5, up to 3 hidden layers of width ≤ 8, n ≤ 4,
 * so p ≤ 228), both imitation and trait losses, with one student init, and appends one
 * {@code subliminal.certify/1} record per case to a resumable results file. Case i is generated from
 * {@code Seeds.derive(S, i)}. Prints the rate of certified cases per activation with Wilson 95%
 * intervals, over all cases and over those whose double-precision trait part is not exactly 0 (a zero
 * one is the theorem's first alternative, Δ_S·Δ_T = 0 for every ε: a softmax over one logit, or a
 * trait loss with Δ_T = 0, so there is nothing to certify), and how many cases whose trait part is
 * negative got a certificate (a sound method gives none).
 */
public final class CertifyBatch {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private CertifyBatch() {
    }

    /** The generated cases' space for a student init. */
    public static CheckSpace space(StudentInit init) {
        return CheckSpace.everything().withFamilies(MlpFamily.NAME)
                .restrict(MlpFamily.ACTIVATION, Activation.TANH, Activation.RELU).withInits(init);
    }

    /** Runs (or resumes) the batch. */
    public static void run(int cases, long seed, StudentInit init, Path out, String[] args, PrintWriter pw) {
        if (cases < 1) {
            throw new IllegalArgumentException("--cases " + cases + " must be ≥ 1");
        }
        ObjectNode config = MAPPER.createObjectNode();
        config.put("cases", cases);
        config.put("seed", seed);
        config.put("init", CheckConfig.INIT.format(init));
        config.put("space", "mlp tanh|relu, d ≤ 5, ≤ 3 hidden layers of width ≤ 8, n ≤ 4, ≤ 24 student inputs, "
                + "mse|ce imitation, ce|mse trait, ε in [1e-5, 1e-2], α in [1e-3, 1]");
        config.put("claim", Certification.TRAIT_PART);
        CheckSpace space = space(init);
        long start = System.nanoTime();
        ResultStore.write(out, CertifySchema.SCHEMA, config, Provenance.json(MAPPER, args), store -> {
            for (int i = 0; i < cases; i++) {
                String key = CertifySchema.key(i);
                if (store.contains(key)) {
                    continue;
                }
                long caseSeed = Seeds.derive(seed, (long) i) & Long.MAX_VALUE;
                CheckCase c = space.generate(Seeds.of(caseSeed));
                Certification cert = Certification.of(c);
                boolean certified = cert.traitPart().certified();
                ObjectNode r = MAPPER.createObjectNode();
                Schema.KEY.put(r, key);
                CertifySchema.CASE.put(r, i);
                CertifySchema.SEED.put(r, c.seed());
                CertifySchema.COMMAND_LINE.put(r, Replay.check(c));
                CertifySchema.CERTIFIED.put(r, certified);
                CertifySchema.EPSILON_STAR.put(r, certified ? cert.traitPart().epsilon() : Double.NaN);
                CertifySchema.CLAIM.put(r, Certification.TRAIT_PART);
                CertifySchema.ACTIVATION.put(r, MlpFamily.ACTIVATION.format(c.config().teacher().values()
                        .get(MlpFamily.ACTIVATION)));
                CertifySchema.PARAMETERS.put(r, cert.setup().teacherModel().parameterCount());
                CertifySchema.TRAIT_PART.put(r, c.run().traitPart());
                store.append(r);
            }
        });
        Map<String, int[]> counts = new TreeMap<>();
        int[] negative = new int[2];
        ResultsReader.forEach(out, CertifySchema.SCHEMA, r -> {
            boolean certified = CertifySchema.CERTIFIED.bool(r);
            int[] k = counts.computeIfAbsent(CertifySchema.ACTIVATION.text(r), a -> new int[4]);
            k[0] += certified ? 1 : 0;
            k[1]++;
            double traitPart = CertifySchema.TRAIT_PART.number(r);
            if (traitPart != 0 && !Double.isNaN(traitPart)) {
                k[2] += certified ? 1 : 0;
                k[3]++;
            }
            if (traitPart < 0) {
                negative[0]++;
                negative[1] += certified ? 1 : 0;
            }
        });
        TextTable t = new TextTable("activation", "cases", "ε* > 0 [95% CI]", "cases with trait part ≠ 0",
                "ε* > 0 among them [95% CI]");
        counts.forEach((a, k) -> t.add(a, Integer.toString(k[1]), Proportion.of(k[0], k[1]).format(),
                Integer.toString(k[3]), Proportion.of(k[2], k[3]).format()));
        pw.printf("certified %d %s-init cases (seed %d) in %.1f s; results in %s%n", cases, CheckConfig.INIT.format(init), seed,
                (System.nanoTime() - start) / 1e9, out);
        pw.print(t.render());
        pw.println("cases whose double-precision trait part (at the case's ε) is negative: " + negative[0]
                + ", of which certified: " + negative[1]);
        pw.flush();
    }
}
