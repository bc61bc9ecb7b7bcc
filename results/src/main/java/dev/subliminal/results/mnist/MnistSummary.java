package dev.subliminal.results.mnist;

import com.fasterxml.jackson.databind.JsonNode;
import dev.subliminal.results.stats.MeanInterval;
import dev.subliminal.results.stats.Proportion;
import dev.subliminal.results.stats.Sample;
import dev.subliminal.results.store.Header;
import dev.subliminal.results.store.RecordSink;
import dev.subliminal.results.store.ResultsReader;
import java.nio.file.Path;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * The statistics of a {@value MnistSchema#NAME} file, per arm: the mean test accuracy over runs with
 * its Student-t 95% interval, within [0, 1] (cosines within [−1, 1]: {@link MeanInterval#within}); for the students, the rate of Δ_S·Δ_T &gt; 0 at the first step (Wilson
 * 95%) and the means of Δ_S·Δ_T, of the first step's cosine and of the cosine between the student's
 * cumulative update and the teacher's. What {@code mnist} prints and the report shows.
 *
 * @param header the file's header
 * @param arms the statistics of every arm, in {@link Arm} order
 */
public record MnistSummary(Header header, Map<Arm, ArmStatistics> arms) {

    /**
     * One arm's statistics.
     *
     * @param accuracy the test accuracy over runs
     * @param positiveFirstStep Δ_S·Δ_T &gt; 0 at the first step (students; undefined values not counted)
     * @param firstStepDot Δ_S·Δ_T at the first step
     * @param firstStepCosine cos(Δ_S, Δ_T) at the first step
     * @param updateCosine the cosine of the student's cumulative update with the teacher's
     */
    public record ArmStatistics(MeanInterval accuracy, Proportion positiveFirstStep, MeanInterval firstStepDot,
            MeanInterval firstStepCosine, MeanInterval updateCosine) {
    }

    /** Reads a results file in one streaming pass. */
    public static MnistSummary of(Path file) {
        Accumulator a = new Accumulator();
        ResultsReader.read(file, MnistSchema.SCHEMA, a);
        return a.summary();
    }

    /** The statistics of {@code arm}. */
    public ArmStatistics arm(Arm arm) {
        return arms.get(arm);
    }

    /** The reference values that exist for this file's settings. */
    public MnistReference reference() {
        return MnistReference.of(header.config());
    }

    /** Whether any record was read. */
    public boolean isEmpty() {
        return arms.values().stream().allMatch(a -> a.accuracy().count() == 0);
    }

    /** Collects the records of one file, then summarizes them. */
    public static final class Accumulator implements RecordSink {

        private Header header;
        private final Map<Arm, Sample[]> values = new EnumMap<>(Arm.class);
        private final Map<Arm, Proportion> positive = new EnumMap<>(Arm.class);

        /** An empty accumulator. */
        public Accumulator() {
            for (Arm a : Arm.values()) {
                values.put(a, new Sample[] {new Sample(), new Sample(), new Sample(), new Sample()});
                positive.put(a, new Proportion());
            }
        }

        @Override
        public void header(Header h) {
            this.header = h;
        }

        @Override
        public void record(JsonNode r) {
            Arm arm = Arm.of(MnistSchema.ARM.text(r));
            Sample[] v = values.get(arm);
            v[0].add(MnistSchema.ACCURACY.number(r));
            if (MnistSchema.FIRST_STEP_DOT.isIn(r)) {
                double dot = MnistSchema.FIRST_STEP_DOT.number(r);
                if (!Double.isNaN(dot)) {
                    positive.get(arm).add(dot > 0);
                }
                v[1].add(dot);
                v[2].add(MnistSchema.FIRST_STEP_COSINE.optional().number(r));
                v[3].add(MnistSchema.UPDATE_COSINE.optional().number(r));
            }
        }

        /** The statistics of the records added so far. */
        public MnistSummary summary() {
            Map<Arm, ArmStatistics> arms = new EnumMap<>(Arm.class);
            values.forEach((arm, v) -> arms.put(arm, new ArmStatistics(v[0].mean95().within(0, 1), positive.get(arm),
                    v[1].mean95(), v[2].mean95().within(-1, 1), v[3].mean95().within(-1, 1))));
            return new MnistSummary(header, Collections.unmodifiableMap(arms));
        }
    }
}
