package dev.subliminal.experiments.cli;

import dev.subliminal.reports.table.TextTable;
import dev.subliminal.results.stats.MeanInterval;
import dev.subliminal.results.stats.Proportion;
import dev.subliminal.results.sweep.SweepSummary;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** The text of a sweep's statistics ({@link SweepSummary}, which the report reads too): a table per cell and one of convergence orders in ε. */
final class SweepTables {

    private SweepTables() {
    }

    static String render(SweepSummary s) {
        boolean end = s.cells().stream().anyMatch(c -> c.endPositiveDot() != null);
        boolean failures = s.cells().stream().anyMatch(c -> c.failures() > 0);
        List<String> head = new ArrayList<>(List.of("cell", "seeds"));
        if (failures) {
            head.add("failed");
        }
        head.addAll(List.of("Δ_S·Δ_T > 0 [95% CI]", "p", "trait part > 0 [95% CI]", "L_T below control [95% CI]", "p", "mean cos [95% CI]",
                "median cos", "median rel. err"));
        if (end) {
            head.addAll(List.of("end Δ_S·Δ_T > 0 [95% CI]", "end L_T below control [95% CI]"));
        }
        TextTable t = new TextTable(head.toArray(String[]::new));
        for (SweepSummary.Cell c : s.cells()) {
            List<String> row = new ArrayList<>(List.of(c.index() + ": " + c.label(), Integer.toString(c.records())));
            if (failures) {
                row.add(Integer.toString(c.failures()));
            }
            row.addAll(List.of(c.positiveDot().format(), pValue(c.positiveDot()), c.positiveTraitPart().format(),
                    c.dropsBelowControl().format(),
                    pValue(c.dropsBelowControl()), mean(c.cosine()), number(c.medianCosine()),
                    number(c.medianRelativeError())));
            if (end) {
                row.add(c.endPositiveDot() == null ? "" : c.endPositiveDot().format());
                row.add(c.endDropsBelowControl() == null ? "" : c.endDropsBelowControl().format());
            }
            t.add(row.toArray(String[]::new));
        }
        StringBuilder out = new StringBuilder(t.render());
        out.append("p: one-sided exact binomial test of rate ≤ ").append(SweepSummary.NULL_RATE).append('\n');
        if (!s.convergence().isEmpty()) {
            TextTable c = new TextTable("cells differing in ε", "ε values", "seeds", "order of abs. error [95% CI]");
            for (SweepSummary.Convergence g : s.convergence()) {
                c.add(g.label(), Arrays.stream(g.epsilons()).mapToObj(SweepTables::number)
                        .collect(Collectors.joining(", ")), Integer.toString(g.slope().count()), mean(g.slope()));
            }
            out.append('\n').append(c.render())
                    .append("order: mean over seeds of the slope of log |trait part − first order| vs log ε; "
                            + "2 where the first-order expansion holds (the relative error has order 1)\n");
        }
        return out.toString();
    }

    private static String pValue(Proportion p) {
        double v = p.pValueAbove(SweepSummary.NULL_RATE);
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.2g", v);
    }

    private static String mean(MeanInterval m) {
        return m.format("%.3g");
    }

    private static String number(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.3g", v);
    }
}
