package dev.subliminal.experiments.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.subliminal.reports.table.TextTable;
import dev.subliminal.results.leakage.LeakageSummary;
import dev.subliminal.results.stats.MeanInterval;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The text of a leakage sweep's statistics ({@link LeakageSummary}, which the report reads too): a row
 * per cell with its varied settings, the chance level 1/C, the soft-label student's held-out accuracy
 * (mean over seeds with its t interval, and its hits pooled over the cell's seeds with a Wilson
 * interval), the hard-label control's, the student's agreement with the teacher, the teacher's held-out
 * accuracy and the soft labels' entropy.
 */
final class LeakageTables {

    private LeakageTables() {
    }

    static String render(LeakageSummary s, int width) {
        List<String> head = new ArrayList<>(s.varied());
        int id = head.size();
        head.addAll(List.of("seeds", "chance", "student\n[95% CI]", "student hits\n[Wilson 95%]",
                "hard-label\n[95% CI]", "agreement\n[95% CI]", "teacher\nheld-out", "teacher\nall", "label\nentropy"));
        TextTable t = new TextTable(head.toArray(String[]::new));
        if (id > 0) {
            t.left(java.util.stream.IntStream.range(0, id).toArray());
        }
        t.optional(id + 3, id + 5, id + 6, id + 7, id + 8);
        for (LeakageSummary.CellStatistics c : s.cells()) {
            List<String> row = new ArrayList<>();
            s.varied().forEach(v -> row.add(value(c.axes().get(v))));
            row.add(String.valueOf(c.count()));
            row.add(String.format(Locale.ROOT, "%.3f", c.chance()));
            row.add(interval(c.student()));
            if (c.studentHits().trials() == 0) {
                row.add("n/a");
            } else {
                double[] w = c.studentHits().wilson95();
                row.add(String.format(Locale.ROOT, "%.3f [%.3f, %.3f]", c.studentHits().rate(), w[0], w[1]));
            }
            row.add(interval(c.hardLabel()));
            row.add(interval(c.agreement()));
            row.add(mean(c.teacherHeldOut()));
            row.add(mean(c.teacherAccuracy()));
            row.add(mean(c.labelEntropy()));
            t.add(row.toArray(String[]::new));
        }
        TextTable.Rendered r = t.render(width);
        return r.text() + r.note("--wide prints it") + TextTable.wrap("Per cell (nothing pooled across cells): "
                + "accuracy on the teacher's held-out memorised points against their random labels, which the student "
                + "never saw; means over seeds with Student-t 95% intervals within [0, 1]; student hits: its held-out "
                + "hits pooled over the cell's seeds with a Wilson 95% interval (chance 1/C under no leakage); "
                + "hard-label: the same student trained on the teacher's argmax labels instead; agreement: with the "
                + "teacher's argmax; label entropy: of σ(f_T/T), in units of log C (1: uniform).", TextTable.TERMINAL);
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

    private static String mean(MeanInterval m) {
        return m.count() == 0 ? "n/a" : String.format(Locale.ROOT, "%.3f", m.mean());
    }
}
