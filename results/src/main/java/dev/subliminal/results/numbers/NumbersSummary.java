package dev.subliminal.results.numbers;

import com.fasterxml.jackson.databind.JsonNode;
import dev.subliminal.results.stats.MeanInterval;
import dev.subliminal.results.stats.Sample;
import dev.subliminal.results.store.Header;
import dev.subliminal.results.store.RecordSink;
import dev.subliminal.results.store.ResultsReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.commons.statistics.inference.AlternativeHypothesis;
import org.apache.commons.statistics.inference.TTest;

/**
 * The statistics of a {@value NumbersSchema#NAME} file per arm and student step: the mean over seeds
 * of the sampled rate and of the deterministic score with Student-t 95% intervals within [0, 1], the
 * mean kept fraction and the mean cosines of the students' updates with Δ_T; and the one-sided paired
 * t-test over seeds that the same-init student's final score exceeds the control's. What
 * {@code numbers} prints and the report shows.
 *
 * @param header the file's header
 * @param cells the statistics per arm, then per step (increasing), arms in the order first met
 */
public record NumbersSummary(Header header, Map<String, Map<Integer, Cell>> cells, Map<String, Map<Long, Double>> finalScores) {

    /** The paper's owl numbers (GPT-4.1 nano, Fig. 3): baseline, control student, student on owl numbers. */
    public static final Map<String, Double> PAPER_OWL = Map.of("reference", 0.12, "control", 0.13, "same-init", 0.62);

    /**
     * One arm at one step, over seeds.
     *
     * @param rate the sampled rate
     * @param score the deterministic score
     * @param keptFraction the kept fraction (students)
     * @param firstStepCosine cos of the first step with Δ_T (students)
     * @param updateCosine cos of the cumulative update with Δ_T (students)
     */
    public record Cell(MeanInterval rate, MeanInterval score, MeanInterval keptFraction, MeanInterval firstStepCosine,
            MeanInterval updateCosine) {
    }

    /**
     * A paired test of two arms' final deterministic scores over the seeds both have.
     *
     * @param seeds n
     * @param meanDifference mean of (a − b)
     * @param pValue one-sided p-value for mean(a − b) &gt; 0 (paired t-test); NaN with fewer than 2 seeds
     */
    public record Paired(int seeds, double meanDifference, double pValue) {
    }

    /** Reads a results file in one streaming pass. */
    public static NumbersSummary of(Path file) {
        Accumulator a = new Accumulator();
        ResultsReader.read(file, NumbersSchema.SCHEMA, a);
        return a.summary();
    }

    /** The arms, in the order first met. */
    public List<String> arms() {
        return new ArrayList<>(cells.keySet());
    }

    /** The last step of an arm (0 for non-students). */
    public int lastStep(String arm) {
        return ((TreeMap<Integer, Cell>) cells.get(arm)).lastKey();
    }

    /** An arm's statistics at its last step. */
    public Cell last(String arm) {
        return cells.get(arm).get(lastStep(arm));
    }

    /** One-sided paired t-test over seeds that arm a's final score exceeds arm b's. */
    public Paired pairedScore(String a, String b) {
        Map<Long, Double> x = finalScores.getOrDefault(a, Map.of());
        Map<Long, Double> y = finalScores.getOrDefault(b, Map.of());
        List<double[]> pairs = new ArrayList<>();
        x.forEach((seed, v) -> {
            if (y.containsKey(seed)) {
                pairs.add(new double[] {v, y.get(seed)});
            }
        });
        double[] xa = pairs.stream().mapToDouble(p -> p[0]).toArray();
        double[] ya = pairs.stream().mapToDouble(p -> p[1]).toArray();
        double mean = 0;
        for (int i = 0; i < xa.length; i++) {
            mean += (xa[i] - ya[i]) / xa.length;
        }
        double p = Double.NaN;
        if (xa.length >= 2) {
            p = TTest.withDefaults().with(AlternativeHypothesis.GREATER_THAN).pairedTest(xa, ya).getPValue();
        }
        return new Paired(xa.length, mean, p);
    }

    /** Collects the records of one file, then summarizes them. */
    public static final class Accumulator implements RecordSink {

        private Header header;
        private final Map<String, TreeMap<Integer, Sample[]>> values = new LinkedHashMap<>();
        private final Map<String, TreeMap<Integer, Map<Long, Double>>> scores = new LinkedHashMap<>();

        @Override
        public void header(Header h) {
            this.header = h;
        }

        @Override
        public void record(JsonNode r) {
            String arm = NumbersSchema.ARM.text(r);
            int step = (int) NumbersSchema.STEP.integer(r);
            Sample[] v = values.computeIfAbsent(arm, a -> new TreeMap<>()).computeIfAbsent(step,
                    s -> new Sample[] {new Sample(), new Sample(), new Sample(), new Sample(), new Sample()});
            v[0].add(NumbersSchema.RATE.number(r));
            v[1].add(NumbersSchema.SCORE.number(r));
            if (NumbersSchema.student(arm)) {
                v[2].add(NumbersSchema.KEPT_FRACTION.number(r));
                v[3].add(NumbersSchema.FIRST_STEP_COSINE.number(r));
                v[4].add(NumbersSchema.UPDATE_COSINE.number(r));
            }
            scores.computeIfAbsent(arm, a -> new TreeMap<>()).computeIfAbsent(step, s -> new TreeMap<>())
                    .put(NumbersSchema.SEED.integer(r), NumbersSchema.SCORE.number(r));
        }

        /** The statistics of the records added so far. */
        public NumbersSummary summary() {
            Map<String, Map<Integer, Cell>> cells = new LinkedHashMap<>();
            Map<String, Map<Long, Double>> finals = new LinkedHashMap<>();
            values.forEach((arm, steps) -> {
                TreeMap<Integer, Cell> m = new TreeMap<>();
                steps.forEach((step, v) -> m.put(step, new Cell(v[0].mean95().within(0, 1), v[1].mean95().within(0, 1),
                        v[2].mean95().within(0, 1), v[3].mean95().within(-1, 1), v[4].mean95().within(-1, 1))));
                cells.put(arm, m);
                finals.put(arm, scores.get(arm).lastEntry().getValue());
            });
            return new NumbersSummary(header, cells, finals);
        }
    }
}
