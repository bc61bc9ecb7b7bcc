package dev.subliminal.results.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import dev.subliminal.results.schema.Field;
import dev.subliminal.results.stats.MeanInterval;
import dev.subliminal.results.stats.Sample;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The trajectories of one group of records (a cell, or an arm of a cell) summarized step by step: at
 * every recorded step, the mean over the records (seeds) of each column with its Student-t 95%
 * interval: the bands of the report's trajectory plots. Every record of a group must have recorded
 * the same steps.
 *
 * @param steps the recorded steps
 * @param columns per column name (after {@code step}), one interval per step
 */
public record TrajectoryBands(int[] steps, Map<String, List<MeanInterval>> columns) {

    /** Collects the trajectories of one group. */
    public static final class Accumulator {
        private final List<Field> columns;
        private int[] steps;
        private final Map<String, List<Sample>> values = new LinkedHashMap<>();

        /** An accumulator of trajectories with these columns, the first being {@code step}. */
        public Accumulator(List<Field> columns) {
            this.columns = List.copyOf(columns);
        }

        /** Adds one record's trajectory (already checked against its schema). */
        public void add(JsonNode t) {
            JsonNode s = columns.get(0).object(t);
            int[] st = new int[s.size()];
            for (int i = 0; i < st.length; i++) {
                st[i] = s.get(i).asInt();
            }
            if (steps == null) {
                steps = st;
                for (Field f : columns.subList(1, columns.size())) {
                    List<Sample> samples = new ArrayList<>();
                    for (int i = 0; i < st.length; i++) {
                        samples.add(new Sample());
                    }
                    values.put(f.name(), samples);
                }
            } else if (!Arrays.equals(steps, st)) {
                throw new IllegalArgumentException("the trajectory's steps " + Arrays.toString(st)
                        + " differ from those of the cell's earlier records " + Arrays.toString(steps));
            }
            values.forEach((name, samples) -> {
                JsonNode column = t.get(name);
                for (int i = 0; i < samples.size(); i++) {
                    JsonNode v = column.get(i);
                    samples.get(i).add(v.isNull() ? Double.NaN : v.doubleValue());
                }
            });
        }

        /** The bands of the trajectories added; null if none was. */
        public TrajectoryBands bands() {
            if (steps == null) {
                return null;
            }
            Map<String, List<MeanInterval>> c = new LinkedHashMap<>();
            values.forEach((name, samples) -> c.put(name, samples.stream().map(Sample::mean95).toList()));
            return new TrajectoryBands(steps.clone(), java.util.Collections.unmodifiableMap(c));
        }
    }
}
