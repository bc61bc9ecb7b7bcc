package dev.subliminal.experiments.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.subliminal.experiments.numbers.NumbersPipeline;
import dev.subliminal.reports.table.TextTable;
import dev.subliminal.results.numbers.NumbersSchema;
import dev.subliminal.results.numbers.NumbersSummary;
import dev.subliminal.results.schema.Schema;
import dev.subliminal.results.store.ResultStore;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The results of the number pipeline, whoever ran it ({@code numbers} in-process, {@code llm} on a
 * backend): one record per seed, arm and evaluated step in a {@code subliminal.numbers/1} file, and
 * one table read back from that file ({@link NumbersSummary}, which the report reads too): each
 * arm's means at its last step with 95% t-intervals across seeds.
 */
final class NumbersTable {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private NumbersTable() {
    }

    /** Appends the rows that the results file does not hold yet. */
    static void write(Path results, JsonNode config, JsonNode provenance, List<NumbersPipeline.Row> rows) {
        ResultStore.write(results, NumbersSchema.SCHEMA, config, provenance, store -> {
            for (NumbersPipeline.Row r : rows) {
                String key = NumbersSchema.key(r.seed(), r.arm(), r.step());
                if (!store.contains(key)) {
                    store.append(record(r));
                }
            }
        });
    }

    static ObjectNode record(NumbersPipeline.Row r) {
        ObjectNode o = MAPPER.createObjectNode();
        Schema.KEY.put(o, NumbersSchema.key(r.seed(), r.arm(), r.step()));
        NumbersSchema.SEED.put(o, r.seed());
        NumbersSchema.ARM.put(o, r.arm());
        NumbersSchema.STEP.put(o, r.step());
        NumbersSchema.RATE.put(o, r.rate());
        NumbersSchema.SAMPLES.put(o, r.samples());
        NumbersSchema.SCORE.put(o, r.score());
        if (NumbersSchema.student(r.arm())) {
            NumbersSchema.KEPT_FRACTION.put(o, r.keptFraction());
            NumbersSchema.FIRST_STEP_DOT.put(o, r.firstStepDot());
            NumbersSchema.FIRST_STEP_COSINE.put(o, r.firstStepCosine());
            NumbersSchema.UPDATE_DOT.put(o, r.updateDot());
            NumbersSchema.UPDATE_COSINE.put(o, r.updateCosine());
        }
        return o;
    }

    /** Reads the results file back ({@link NumbersSummary}, which the report reads too) and prints one row per arm. */
    static void print(PrintWriter o, Path results, String animal, int seeds, int width) {
        NumbersSummary s = NumbersSummary.of(results);
        boolean owl = animal.equals("owl");
        TextTable table = new TextTable("arm", "steps", "sampled rate\n[95% t-interval]", "score P(" + animal + ")\n[95% t-interval]",
                "kept\nfraction", "paper, owl\nGPT-4.1 nano", "cos first\nstep, Δ_T", "cos update,\nΔ_T").optional(5, 6, 7);
        for (String arm : s.arms()) {
            NumbersSummary.Cell c = s.last(arm);
            boolean student = NumbersSchema.student(arm);
            Double paper = owl ? NumbersSummary.PAPER_OWL.get(arm) : null;
            table.add(arm, Integer.toString(s.lastStep(arm)), c.rate().format(), c.score().format(),
                    student ? f3(c.keptFraction().mean()) : "", paper == null ? "" : String.format(Locale.ROOT, "%.2f", paper),
                    student ? f3(c.firstStepCosine().mean()) : "", student ? f3(c.updateCosine().mean()) : "");
        }
        TextTable.Rendered r = table.render(width);
        o.print(r.text());
        o.print(r.note("--wide prints it"));
        NumbersSummary.Paired same = s.pairedScore("same-init", "control");
        NumbersSummary.Paired other = s.pairedScore("different-init", "different-init-control");
        String otherLine = s.arms().contains("different-init") ? String.format(Locale.ROOT,
                "; different-init − its control: %+.4f, p = %s", other.meanDifference(), p(other.pValue())) : "";
        o.print(TextTable.wrap(String.format(Locale.ROOT, "Means over %d seeds at each arm's last step; the paper's owl "
                + "rates (GPT-4.1 nano: 12%% baseline, 13%% after control numbers, 62%% after owl numbers). Score of "
                + "same-init − control: %+.4f, one-sided paired t-test p = %s over %d seeds%s. Cosines are NaN (n/a) when "
                + "Δ_T = 0 (the prompted teacher).", seeds, same.meanDifference(),
                p(same.pValue()), same.seeds(), otherLine), TextTable.TERMINAL));
    }

    private static String p(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.3g", v);
    }

    private static String f3(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.3f", v);
    }
}
