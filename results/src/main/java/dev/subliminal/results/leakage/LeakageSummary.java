package dev.subliminal.results.leakage;

import com.fasterxml.jackson.databind.JsonNode;
import dev.subliminal.results.stats.MeanInterval;
import dev.subliminal.results.stats.Proportion;
import dev.subliminal.results.stats.Sample;
import dev.subliminal.results.store.Header;
import dev.subliminal.results.store.RecordSink;
import dev.subliminal.results.store.ResultsReader;
import dev.subliminal.results.sweep.SweepSchema;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The statistics of a {@value LeakageSchema#NAME} file, per cell (nothing pooled across cells): the mean
 * over seeds of each accuracy with its Student-t 95% interval within [0, 1], the chance level 1/C, and
 * the soft-label student's held-out hits pooled over the cell's seeds with a Wilson 95% interval (every
 * held-out label is an independent uniform draw, so under no leakage each hit is Bernoulli(1/C)). What
 * {@code summarize} prints and the report shows.
 *
 * @param header the file's header
 * @param varied the settings with more than one value in the grid, in grid order
 * @param cells the statistics per cell, in grid order (cells without records have count 0)
 */
public record LeakageSummary(Header header, List<String> varied, List<CellStatistics> cells) {

    /**
     * One cell's statistics.
     *
     * @param cell the cell's index
     * @param axes its value of every setting
     * @param chance 1/C
     * @param student the soft-label student's held-out accuracy
     * @param hardLabel the hard-label control's
     * @param agreement the student's agreement with the teacher's argmax on the held-out points
     * @param teacherHeldOut the teacher's held-out accuracy (what there is to leak)
     * @param teacherAccuracy the teacher's accuracy on all its memorised points
     * @param labelEntropy the soft labels' mean entropy / log C
     * @param studentHits the student's held-out hits over all the cell's seeds
     */
    public record CellStatistics(int cell, JsonNode axes, double chance, MeanInterval student, MeanInterval hardLabel,
            MeanInterval agreement, MeanInterval teacherHeldOut, MeanInterval teacherAccuracy,
            MeanInterval labelEntropy, Proportion studentHits) {

        /** The number of seeds read. */
        public int count() {
            return student.count();
        }
    }

    /** Reads a results file in one streaming pass. */
    public static LeakageSummary of(Path file) {
        Accumulator a = new Accumulator();
        ResultsReader.read(file, LeakageSchema.SCHEMA, a);
        return a.summary();
    }

    /** Whether any record was read. */
    public boolean isEmpty() {
        return cells.stream().allMatch(c -> c.count() == 0);
    }

    /** Collects the records of one file, then summarizes them. */
    public static final class Accumulator implements RecordSink {

        private Header header;
        private final List<Sample[]> cells = new ArrayList<>();
        private final List<Proportion> hits = new ArrayList<>();

        @Override
        public void header(Header h) {
            header = h;
            for (int i = 0; i < SweepSchema.CELLS.object(h.config()).size(); i++) {
                Sample[] s = new Sample[LeakageSchema.FRACTIONS.size()];
                for (int k = 0; k < s.length; k++) {
                    s[k] = new Sample();
                }
                cells.add(s);
                hits.add(new Proportion());
            }
        }

        @Override
        public void record(JsonNode r) {
            int cell = (int) SweepSchema.CELL.integer(r);
            Sample[] s = cells.get(cell);
            for (int k = 0; k < s.length; k++) {
                s[k].add(LeakageSchema.FRACTIONS.get(k).number(r));
            }
            long n = LeakageSchema.HELD_OUT.integer(r);
            long right = Math.round(LeakageSchema.STUDENT.number(r) * n);
            hits.get(cell).addAll(Proportion.of(right, n));
        }

        /** The statistics of the records added so far. */
        public LeakageSummary summary() {
            JsonNode config = header.config();
            List<String> varied = new ArrayList<>();
            SweepSchema.AXES.object(config).properties().forEach(e -> {
                if (e.getValue().size() > 1) {
                    varied.add(e.getKey());
                }
            });
            List<CellStatistics> stats = new ArrayList<>();
            for (int i = 0; i < cells.size(); i++) {
                JsonNode axes = SweepSchema.CELLS.object(config).get(i);
                MeanInterval[] m = new MeanInterval[LeakageSchema.FRACTIONS.size()];
                for (int k = 0; k < m.length; k++) {
                    m[k] = cells.get(i)[k].mean95().within(0, 1);
                }
                // FRACTIONS: teacherAccuracy, teacherHeldOut, student, agreement, hardLabel, labelEntropy
                stats.add(new CellStatistics(i, axes, 1.0 / axes.path("classes").asInt(), m[2], m[4], m[3], m[1], m[0],
                        m[5], hits.get(i)));
            }
            return new LeakageSummary(header, List.copyOf(varied), List.copyOf(stats));
        }
    }
}
