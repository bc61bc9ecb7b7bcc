package dev.subliminal.experiments.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.subliminal.reports.table.TextTable;
import dev.subliminal.results.Texts;
import dev.subliminal.results.stats.MeanInterval;
import dev.subliminal.results.stats.Proportion;
import dev.subliminal.results.sweep.SweepSummary;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The text of a sweep's statistics ({@link SweepSummary}, which the report reads too): a table per
 * cell and one of convergence orders in ε. The per-cell table leads with the cell's settings (one
 * short column per varied axis) and the three rates, after the student's last step (its only step
 * unless K_S &gt; 1); the other columns (p-values, cosines, the median relative error, ties, the
 * rates after the first step of multi-step cells) follow and are left out first to fit the width.
 */
final class SweepTables {

    /** The short column title of an axis: its symbol, else its name. */
    private static final java.util.Map<String, String> SHORT = java.util.Map.ofEntries(
            java.util.Map.entry("epsilon", "ε"), java.util.Map.entry("perturbation", "σ"),
            java.util.Map.entry("alpha", "α"), java.util.Map.entry("temperature", "T"),
            java.util.Map.entry("distill", "K"), java.util.Map.entry("samples", "N"),
            java.util.Map.entry("traitSamples", "m"), java.util.Map.entry("teacherSteps", "K_T"),
            java.util.Map.entry("studentSteps", "K_S"), java.util.Map.entry("weightDecay", "λ"));

    private SweepTables() {
    }

    static String render(SweepSummary s, int width) {
        boolean multi = s.multiStep();
        boolean failures = s.cells().stream().anyMatch(c -> c.failures() > 0);
        boolean ties = s.cells().stream().anyMatch(c -> c.zeroTraitPart().successes() > 0);
        boolean named = s.cells().stream().anyMatch(c -> c.name() != null);
        List<String> axes = new ArrayList<>(s.varied().keySet());
        List<String> head = new ArrayList<>();
        if (named) {
            head.add("cell");
        } else {
            axes.forEach(a -> head.add(shortName(a)));
        }
        int id = head.size();
        String after = multi ? "\n(last step)" : "";
        head.addAll(List.of("Δ_S·Δ_T > 0" + after + "\n[95% CI]", "trait part > 0" + after + "\n[95% CI]",
                "L_T below control" + after + "\n[95% CI]"));
        // optional columns, most useful first
        List<String> extra = new ArrayList<>();
        if (ties) {
            extra.add("trait part = 0\n[95% CI]");
        }
        extra.addAll(List.of("median\ncos", "median rel. err\n[95% CI]", "seeds", "p (Δ_S·Δ_T)", "p (L_T)",
                "mean cos\n[95% CI]"));
        if (multi) {
            extra.addAll(List.of("first step:\nΔ_S·Δ_T > 0", "first step:\nL_T below control"));
        }
        if (failures) {
            extra.add("failed");
        }
        extra.add("#");
        head.addAll(extra);
        TextTable t = new TextTable(head.toArray(String[]::new));
        for (int c = 1; c < id; c++) {
            t.left(c);
        }
        int[] optional = new int[extra.size()];
        for (int i = 0; i < optional.length; i++) {
            optional[i] = id + 3 + i;
        }
        t.optional(optional);
        for (SweepSummary.Cell c : s.cells()) {
            List<String> row = new ArrayList<>();
            if (named) {
                row.add(c.name());
            } else {
                axes.forEach(a -> row.add(value(c.axes().get(a))));
            }
            SweepSummary.End last = c.last();
            row.addAll(List.of(last.positiveDot().format(), last.positiveTraitPart().format(),
                    last.dropsBelowControl().format()));
            if (ties) {
                row.add(c.zeroTraitPart().format());
            }
            row.addAll(List.of(number(c.medianCosine()), c.relativeError().format("%.3g"),
                    Integer.toString(c.records()), pValue(c.positiveDot()), pValue(c.dropsBelowControl()),
                    mean(c.cosine())));
            if (multi) {
                row.add(c.end() == null ? "(same)" : c.positiveDot().format());
                row.add(c.end() == null ? "(same)" : c.dropsBelowControl().format());
            }
            if (failures) {
                row.add(Integer.toString(c.failures()));
            }
            row.add(Integer.toString(c.index()));
            t.add(row.toArray(String[]::new));
        }
        TextTable.Rendered r = t.render(width);
        StringBuilder out = new StringBuilder(r.text());
        out.append(r.note("--wide prints them"));
        out.append(TextTable.wrap("Rates with Wilson 95% intervals over " + seeds(s) + (multi ? ", after the student's "
                + "last step (the first for K_S = 1)" : "") + (r.omitted().stream().anyMatch(o -> o.startsWith("p "))
                ? "" : "; p: one-sided exact binomial test of rate ≤ " + SweepSummary.NULL_RATE)
                + (ties ? "; a trait part exactly 0 (the student's update equals the control's) is a tie, neither > 0 "
                + "nor < 0" + (r.omitted().stream().anyMatch(o -> o.startsWith("trait part = 0")) ? " (" + tieText(s)
                + ")" : "") : "") + ".", width == Integer.MAX_VALUE ? TextTable.TERMINAL : width));
        if (!s.convergence().isEmpty()) {
            TextTable c = new TextTable("cells differing in ε", "ε values", "seeds", "order of abs. error\n[95% CI]");
            c.optional(2, 1);
            for (SweepSummary.Convergence g : s.convergence()) {
                c.add(g.label(), Arrays.stream(g.epsilons()).mapToObj(Texts::compact)
                        .collect(Collectors.joining(", ")), Integer.toString(g.slope().count()), mean(g.slope()));
            }
            TextTable.Rendered cr = c.render(width);
            out.append('\n').append(cr.text()).append(cr.note("--wide prints them"))
                    .append(TextTable.wrap("order: mean over seeds of the slope of log |trait part − first order| vs "
                            + "log ε; 2 where the first-order expansion holds (the relative error has order 1).",
                            width == Integer.MAX_VALUE ? TextTable.TERMINAL : width));
        }
        return out.toString();
    }

    /** The rate of ties per row that has any: {@code in rows 2 (0.992), 4 (0.334)}. */
    private static String tieText(SweepSummary s) {
        List<String> rows = new ArrayList<>();
        for (int i = 0; i < s.cells().size(); i++) {
            SweepSummary.Cell c = s.cells().get(i);
            if (c.zeroTraitPart().successes() > 0) {
                rows.add(String.format(Locale.ROOT, "%d (%.3f)", i + 1, c.zeroTraitPart().rate()));
            }
        }
        return "rate of ties in rows " + String.join(", ", rows);
    }

    private static String seeds(SweepSummary s) {
        int min = s.cells().stream().mapToInt(SweepSummary.Cell::records).min().orElse(0);
        int max = s.cells().stream().mapToInt(SweepSummary.Cell::records).max().orElse(0);
        return (min == max ? min + " seed" + (min == 1 ? "" : "s") : min + " to " + max + " seeds") + " per cell";
    }

    /** The short column title of an axis: its symbol ({@code ε}, {@code α}, ...), else its name. */
    static String shortName(String axis) {
        return SHORT.getOrDefault(axis, axis);
    }

    /** An axis value as a table cell: text as is, a number compact, {@code n/a} for none. */
    static String value(JsonNode v) {
        if (v == null || v.isNull()) {
            return "n/a";
        }
        return v.isTextual() ? v.textValue() : v.isNumber() ? Texts.compact(v.doubleValue()) : v.toString();
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
