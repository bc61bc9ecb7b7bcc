package dev.subliminal.experiments.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.subliminal.reports.table.TextTable;
import dev.subliminal.results.mnist.Arm;
import dev.subliminal.results.mnist.MnistReference;
import dev.subliminal.results.mnist.MnistSweepSummary;
import dev.subliminal.results.stats.MeanInterval;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The text of an MNIST sweep's statistics ({@link MnistSweepSummary}, which the report reads too): a
 * row per (cell, student arm) with the cell's varied settings, the mean accuracy through its own, the
 * teacher's and a fresh head, the paper's value where it has one, and the mean predictors; then the
 * predictor table, Spearman's ρ of each predictor with the aux-only students' final accuracy.
 */
final class MnistSweepTables {

    private MnistSweepTables() {
    }

    static String render(MnistSweepSummary s, int width) {
        StringBuilder out = new StringBuilder();
        List<String> head = new ArrayList<>(s.varied());
        int id = head.size();
        head.addAll(List.of("arm", "seeds", "accuracy\n[95% CI]", "paper", "teacher head\n[95% CI]",
                "fresh head\n[95% CI]", "teacher\n[95% CI]", "cos first\nstep", "cos\ncumulative", "eNTK\ncross block",
                "head\nalignment"));
        TextTable t = new TextTable(head.toArray(String[]::new));
        t.left(id);
        t.optional(id + 4, id + 5, id + 6, id + 7, id + 8, id + 9, id + 10);
        for (MnistSweepSummary.CellStatistics c : s.cells()) {
            MnistReference ref = s.reference(c);
            c.arms().forEach((arm, a) -> {
                List<String> row = new ArrayList<>();
                s.varied().forEach(v -> row.add(value(c.axes().get(v))));
                row.add(arm.key());
                row.add(String.valueOf(a.accuracy().count()));
                row.add(interval(a.accuracy()));
                row.add(Double.isNaN(ref.paper(arm)) ? "—" : String.format(Locale.ROOT, "%.2f", ref.paper(arm)));
                row.add(interval(a.teacherHead()));
                row.add(interval(a.freshHead()));
                row.add(interval(c.teacher()));
                a.predictors().forEach(p -> row.add(number(p.mean())));
                t.add(row.toArray(String[]::new));
            });
        }
        TextTable.Rendered r = t.render(width);
        out.append(r.text()).append(r.note("--wide prints it"));
        out.append(TextTable.wrap("Means over seeds with Student-t 95% intervals within [0, 1], per cell (nothing "
                + "pooled); accuracy: the student's class logits on the test digits; teacher/fresh head: its hidden "
                + "representation read through the teacher's trained head or a fresh random one; paper: Fig. 10 and "
                + "its sweep over m, only where it exists for the cell's settings (docs/mnist-reference.md).",
                TextTable.TERMINAL));
        if (s.cells().stream().anyMatch(c -> c.arms().values().stream().anyMatch(a -> a.spectra().get(0).count() > 0))) {
            List<String> sh = new ArrayList<>(s.varied());
            sh.addAll(List.of("arm", "seeds", "λ_max(G)", "effective\nrank G", "σ_max\ncross block",
                    "effective rank\ncross block"));
            TextTable st = new TextTable(sh.toArray(String[]::new));
            st.left(s.varied().size());
            for (MnistSweepSummary.CellStatistics c : s.cells()) {
                c.arms().forEach((arm, a) -> {
                    if (a.spectra().get(0).count() == 0) {
                        return;
                    }
                    List<String> row = new ArrayList<>();
                    s.varied().forEach(v -> row.add(value(c.axes().get(v))));
                    row.add(arm.key());
                    row.add(String.valueOf(a.spectra().get(0).count()));
                    a.spectra().forEach(p -> row.add(number(p.mean())));
                    st.add(row.toArray(String[]::new));
                });
            }
            out.append('\n').append(st.render(width).text());
            out.append(TextTable.wrap("Spectra at the student's start on the held-out noise images (students of at "
                    + "most spectrumParameters parameters): G = (1/N) Σ_x J_xᵀ M_x J_x of its imitation loss (eigenvalues "
                    + "from its Nk × Nk Gram matrix) and the eNTK cross block between its auxiliary and the reference's "
                    + "class logits (same architecture only); effective rank exp(−Σ q ln q), q = s/Σs; means over seeds.",
                    TextTable.TERMINAL));
        }
        if (!s.predictors().isEmpty()) {
            TextTable p = new TextTable("predictor", "students", "n", "Spearman ρ\n[bootstrap 95% CI]");
            p.left(0, 1);
            for (MnistSweepSummary.PredictorCorrelation c : s.predictors()) {
                p.add(MnistSweepSummary.label(c.predictor()), c.group(), String.valueOf(c.correlation().count()),
                        c.correlation().format());
            }
            out.append('\n').append(p.render(width).text());
            out.append(TextTable.wrap("Spearman's rank correlation of each predictor with the final test accuracy of "
                    + "the aux-only students, over every (cell, seed) of the file; percentile bootstrap over pairs, "
                    + MnistSweepSummary.RESAMPLES + " resamples, seed " + MnistSweepSummary.BOOTSTRAP_SEED + ".",
                    TextTable.TERMINAL));
        }
        return out.toString();
    }

    private static String value(JsonNode v) {
        return v == null ? "" : v.isTextual() ? v.textValue() : v.toString();
    }

    private static String interval(MeanInterval m) {
        if (m.count() == 0) {
            return "n/a";
        }
        return m.count() < 2 ? String.format(Locale.ROOT, "%.3f", m.mean())
                : String.format(Locale.ROOT, "%.3f [%.3f, %.3f]", m.mean(), m.lower(), m.upper());
    }

    private static String number(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.3g", v);
    }
}
