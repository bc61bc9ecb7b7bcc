package dev.subliminal.experiments.cli;

import dev.subliminal.reports.table.TextTable;
import dev.subliminal.results.stats.MeanInterval;
import dev.subliminal.results.sweep.TrajectoryTable;
import java.util.ArrayList;
import java.util.List;

/**
 * The text of a check sweep's trajectories at chosen points ({@link TrajectoryTable}): one table per
 * point, a row per cell with its varied settings, the number of seeds, and the means over seeds with
 * their t 95% intervals of cos(U_t, Δ_T), γ_t, S_t, N_t, U_t·Δ_T and L_T(θ_t) (at a time point the
 * sums in time units: α·S_t, α·N_t, (θ_t − θ_S0)·Δ_T), then the paired gaps to the reference cell.
 * The cosine and U_t·Δ_T are always shown; the gaps, then γ_t, S_t, N_t and L_T are left out last to
 * first to fit the width.
 */
final class TrajectoryTables {

    private TrajectoryTables() {
    }

    static String render(TrajectoryTable t, int width) {
        int wrap = width == Integer.MAX_VALUE ? TextTable.TERMINAL : width;
        StringBuilder out = new StringBuilder();
        List<String> omitted = new ArrayList<>();
        for (int p = 0; p < t.points().size(); p++) {
            TrajectoryTable.Point point = t.points().get(p);
            boolean time = point.time();
            List<String> head = new ArrayList<>();
            t.varied().forEach(a -> head.add(SweepTables.shortName(a)));
            int id = head.size();
            head.add("seeds");
            head.addAll(List.of("cos(U_t, Δ_T)\n[95% CI]", "γ_t\n[95% CI]", time ? "α·S_t\n[95% CI]" : "S_t\n[95% CI]",
                    time ? "α·N_t\n[95% CI]" : "N_t\n[95% CI]",
                    time ? "(θ_t − θ_S0)·Δ_T\n[95% CI]" : "U_t·Δ_T\n[95% CI]", "L_T(θ_t)\n[95% CI]"));
            boolean gaps = t.hasGaps();
            if (gaps) {
                String vs = "\nvs " + t.against() + " [95% CI]";
                head.addAll(List.of("|Δ cos|" + vs, "|Δ " + (time ? "(θ_t − θ_S0)·Δ_T|" : "U_t·Δ_T|") + vs,
                        "|Δ L_T|" + vs));
            }
            TextTable table = new TextTable(head.toArray(String[]::new));
            for (int c = 1; c < id; c++) {
                table.left(c);
            }
            int first = id + 1; // the cosine
            List<Integer> optional = new ArrayList<>();
            if (gaps) {
                optional.addAll(List.of(first + 6, first + 7, first + 8));
            }
            optional.addAll(List.of(first + 1, first + 2, first + 3, first + 5));
            table.optional(optional.stream().mapToInt(Integer::intValue).toArray());
            for (TrajectoryTable.Row r : t.rows()) {
                List<String> row = new ArrayList<>();
                t.varied().forEach(a -> row.add(SweepTables.value(r.axes().get(a))));
                row.add(Integer.toString(r.seeds()));
                r.values().get(p).forEach(m -> row.add(mean(m)));
                if (gaps) {
                    if (r.gaps() == null) {
                        row.addAll(List.of("—", "—", "—"));
                    } else {
                        r.gaps().get(p).forEach(m -> row.add(mean(m)));
                    }
                }
                table.add(row.toArray(String[]::new));
            }
            TextTable.Rendered rendered = table.render(width);
            out.append(p == 0 ? "" : "\n").append("At ").append(point.label())
                    .append(time ? " (step t/α of each cell):\n" : ":\n").append(rendered.text());
            rendered.omitted().stream().filter(o -> !omitted.contains(o)).forEach(omitted::add);
        }
        out.append(new TextTable.Rendered("", omitted).note("--wide prints them"));
        String scaled = t.points().stream().anyMatch(TrajectoryTable.Point::time)
                ? "; at a time t the sums are in time units (α·S_t, α·N_t, α·U_t·Δ_T = (θ_t − θ_S0)·Δ_T)" : "";
        String gapText = t.hasGaps() ? "; |Δ x| vs " + t.against() + ": the mean over the seeds both cells hold of the "
                + "paired gap |x − x_" + t.against() + "| to the cell with the same settings and " + t.pairAxis() + " "
                + t.against() + ", at the same " + (scaled.isEmpty() ? "step" : "point") + ", with its t 95% interval "
                + "(— for cells without one)" : "";
        out.append(TextTable.wrap("Means over the seeds of each cell (n as shown; null values, such as the cosine at "
                + "step 0, not counted) with Student-t 95% intervals, the cosine's within [−1, 1]; U_t: the student's "
                + "cumulative update, γ_t: the per-step signal, S_t and N_t: the accumulated signal and residual" + scaled
                + gapText + ".", wrap));
        return out.toString();
    }

    private static String mean(MeanInterval m) {
        return m.format("%.3g");
    }
}
