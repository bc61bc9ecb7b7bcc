package dev.subliminal.experiments.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.subliminal.results.stats.MeanInterval;
import dev.subliminal.results.sweep.TrajectoryTable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.hipparchus.distribution.continuous.TDistribution;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code summarize FILE --steps/--times [--against]} on a check sweep written by the real sweep writer
 * (a grid of init × α × optimizer, SGD and the gradient flow, 5 seeds, trajectories every 5 steps),
 * against an independent recomputation from the records: plain sums in seed order and Hipparchus'
 * Student-t quantile for the 95% intervals.
 */
class SummarizeTrajectoryTest {

    private static final String[] COLUMNS = {"cosine", "gamma", "signal", "residual", "dot", "traitLoss"};
    private static final int SEEDS = 5;

    @TempDir
    static Path dir;

    static Path file;

    /** Per cell, per seed, the record. */
    static final Map<Integer, TreeMap<Long, JsonNode>> RECORDS = new TreeMap<>();

    @BeforeAll
    static void sweep() throws IOException {
        Path grid = Files.writeString(dir.resolve("traj.yaml"), "seeds: " + SEEDS + "\naxes:\n  init: [same, independent]\n"
                + "  alpha: [0.2, 0.1]\n  samples: 8\n  epsilon: 1e-2\n  studentSteps: 10\n  optimizer: [sgd, flow]\n"
                + "  recordEvery: 5\n");
        file = dir.resolve("traj.jsonl");
        MainTest.Run r = MainTest.run("sweep", grid.toString(), "--out", file.toString(), "--threads", "2");
        assertThat(r.status()).as(r.err()).isZero();
        ObjectMapper json = new ObjectMapper();
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (String line : lines.subList(1, lines.size())) {
            JsonNode n = json.readTree(line);
            RECORDS.computeIfAbsent(n.get("cell").asInt(), c -> new TreeMap<>()).put(n.get("seed").asLong(), n);
        }
        assertThat(RECORDS).hasSize(8);
    }

    /** The value of a trajectory column at a step of one record (NaN for null), times {@code scale}. */
    private static double at(JsonNode record, String column, long step, double scale) {
        JsonNode t = record.get("trajectory");
        for (int i = 0; i < t.get("step").size(); i++) {
            if (t.get("step").get(i).asLong() == step) {
                JsonNode v = t.get(column).get(i);
                return v.isNull() ? Double.NaN : scale * v.doubleValue();
            }
        }
        throw new AssertionError("step " + step + " not recorded");
    }

    /** Asserts that m is the mean of the non-NaN xs (in order) with the t 95% interval, clipped to [lo, hi]. */
    private static void assertMean(MeanInterval m, List<Double> xs, double lo, double hi) {
        List<Double> v = xs.stream().filter(x -> !Double.isNaN(x)).toList();
        assertThat(m.count()).isEqualTo(v.size());
        if (v.size() < 2) { // undefined at step 0 (the cosine, γ_0): null in every record
            assertThat(v).isEmpty();
            return;
        }
        double sum = 0;
        for (double x : v) {
            sum += x;
        }
        double mean = sum / v.size();
        double ss = 0;
        for (double x : v) {
            ss += (x - mean) * (x - mean);
        }
        double half = new TDistribution(v.size() - 1).inverseCumulativeProbability(0.975)
                * Math.sqrt(ss / (v.size() - 1) / v.size());
        assertThat(m.mean()).isEqualTo(mean);
        // Hipparchus inverts the t distribution with a solver of absolute accuracy 1e-9
        double tol = 1e-8 * half + 1e-14 * Math.abs(mean);
        assertThat(m.lower()).isCloseTo(Math.max(lo, mean - half), within(tol));
        assertThat(m.upper()).isCloseTo(Math.min(hi, mean + half), within(tol));
        assertThat(m.lower()).isLessThanOrEqualTo(m.mean());
        assertThat(m.upper()).isGreaterThanOrEqualTo(m.mean());
    }

    @Test
    void theMeansAtStepsAndTheirIntervalsEqualARecomputationFromTheRecords() {
        TrajectoryTable t = TrajectoryTable.of(file, List.of(TrajectoryTable.Point.step(0), TrajectoryTable.Point.step(5),
                TrajectoryTable.Point.step(10)), null, null);
        assertThat(t.varied()).containsExactly("init", "alpha", "optimizer");
        assertThat(t.rows()).hasSize(8);
        int[] steps = {0, 5, 10};
        for (TrajectoryTable.Row row : t.rows()) {
            TreeMap<Long, JsonNode> seeds = RECORDS.get(row.cell());
            assertThat(row.seeds()).isEqualTo(SEEDS);
            assertThat(row.gaps()).isNull();
            assertThat(row.axes().get("optimizer").asText()).isEqualTo(seeds.firstEntry().getValue().get("axes")
                    .get("optimizer").asText());
            for (int p = 0; p < steps.length; p++) {
                for (int c = 0; c < COLUMNS.length; c++) {
                    List<Double> xs = new ArrayList<>();
                    for (JsonNode r : seeds.values()) {
                        xs.add(at(r, COLUMNS[c], steps[p], 1));
                    }
                    MeanInterval m = row.values().get(p).get(c);
                    boolean cosine = c == 0;
                    assertMean(m, xs, cosine ? -1 : Double.NEGATIVE_INFINITY, cosine ? 1 : Double.POSITIVE_INFINITY);
                }
            }
        }
    }

    @Test
    void atATimeEachCellIsReadAtStepTOverAlphaWithSumsInTimeUnitsAndGapsArePairedBySeed() {
        TrajectoryTable t = TrajectoryTable.of(file, List.of(TrajectoryTable.Point.time(1)), "optimizer", "flow");
        int paired = 0;
        for (TrajectoryTable.Row row : t.rows()) {
            TreeMap<Long, JsonNode> seeds = RECORDS.get(row.cell());
            JsonNode axes = seeds.firstEntry().getValue().get("axes");
            double alpha = axes.get("alpha").asDouble();
            long step = Math.round(1 / alpha);
            for (int c = 0; c < COLUMNS.length; c++) {
                boolean sum = List.of("dot", "signal", "residual").contains(COLUMNS[c]);
                List<Double> xs = new ArrayList<>();
                for (JsonNode r : seeds.values()) {
                    xs.add(at(r, COLUMNS[c], step, sum ? alpha : 1));
                }
                boolean cosine = c == 0;
                assertMean(row.values().get(0).get(c), xs, cosine ? -1 : Double.NEGATIVE_INFINITY,
                        cosine ? 1 : Double.POSITIVE_INFINITY);
            }
            if (axes.get("optimizer").asText().equals("flow")) {
                assertThat(row.gaps()).isNull();
                continue;
            }
            // the reference: the flow cell of the same init and α
            int ref = RECORDS.entrySet().stream().filter(e -> {
                JsonNode a = e.getValue().firstEntry().getValue().get("axes");
                return a.get("optimizer").asText().equals("flow") && a.get("init").equals(axes.get("init"))
                        && a.get("alpha").equals(axes.get("alpha"));
            }).mapToInt(Map.Entry::getKey).findFirst().orElseThrow();
            assertThat(row.reference()).isEqualTo(ref);
            String[] gapColumns = {"cosine", "dot", "traitLoss"};
            for (int g = 0; g < gapColumns.length; g++) {
                double scale = gapColumns[g].equals("dot") ? alpha : 1;
                List<Double> gaps = new ArrayList<>();
                double meanSgd = 0;
                double meanFlow = 0;
                for (Map.Entry<Long, JsonNode> e : seeds.entrySet()) {
                    double x = at(e.getValue(), gapColumns[g], step, scale);
                    double y = at(RECORDS.get(ref).get(e.getKey()), gapColumns[g], step, scale);
                    gaps.add(Math.abs(x - y));
                    meanSgd += x / SEEDS;
                    meanFlow += y / SEEDS;
                }
                MeanInterval m = row.gaps().get(0).get(g);
                assertMean(m, gaps, 0, Double.POSITIVE_INFINITY);
                // paired: the mean gap is at least the gap of the means, and not that gap in general
                assertThat(m.mean()).isGreaterThanOrEqualTo(Math.abs(meanSgd - meanFlow) * (1 - 1e-12));
                assertThat(m.mean()).isPositive();
            }
            paired++;
        }
        assertThat(paired).isEqualTo(4);
    }

    @Test
    void summarizePrintsOneTablePerPointWithTheIntervalsAndSaysTheLevel() {
        MainTest.Run r = MainTest.run("summarize", file.toString(), "--steps", "5", "10", "--wide");
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).contains("At step 5:", "At step 10:", "Student-t 95% intervals", "seeds");
        TrajectoryTable t = TrajectoryTable.of(file, List.of(TrajectoryTable.Point.step(10)), null, null);
        for (TrajectoryTable.Row row : t.rows()) {
            for (MeanInterval m : row.values().get(0)) {
                assertThat(r.out()).contains(m.format("%.3g"));
            }
        }
        MainTest.Run flow = MainTest.run("summarize", file.toString(), "--times", "1", "--against", "flow", "--wide");
        assertThat(flow.status()).as(flow.err()).isZero();
        assertThat(flow.out()).contains("At t = 1 (step t/α of each cell):", "|Δ cos|", "vs flow", "(θ_t − θ_S0)·Δ_T",
                "paired gap");
    }

    @Test
    void badArgumentsGiveOneErrorLineAndExitStatus2() throws IOException {
        Path plain = dir.resolve("plain.jsonl");
        Path grid = Files.writeString(dir.resolve("plain.yaml"), "seeds: 2\naxes:\n  samples: 8\n");
        assertThat(MainTest.run("sweep", grid.toString(), "--out", plain.toString()).status()).isZero();
        String f = file.toString();
        Object[][] cases = {
            {new String[] {"summarize", f, "--steps", "3"}, "step 3 is not recorded in the trajectories of cell 0 "
                + "(steps 0, 5, 10)"},
            {new String[] {"summarize", f, "--times", "2"}, "t = 2 is step 20 of cell 2 (α = 0.1), which its "
                + "trajectories do not record (steps 0, 5, 10)"},
            {new String[] {"summarize", f, "--times", "0.3"}, "time 0.3 is not a whole number of steps of α = 0.2"},
            {new String[] {"summarize", f, "--times", "1", "--against", "adam"}, "has optimizer adam (its optimizer "
                + "values: sgd, flow)"},
            {new String[] {"summarize", plain.toString(), "--steps", "1"}, "has no trajectories"},
            {new String[] {"summarize", f, "--against", "flow"}, "--against needs --steps or --times"},
        };
        for (Object[] c : cases) {
            MainTest.Run r = MainTest.run((String[]) c[0]);
            assertThat(r.status()).as(String.join(" ", (String[]) c[0])).isEqualTo(Main.BAD_INPUT);
            assertThat(r.err()).contains((String) c[1]).hasLineCount(1).doesNotContain("\tat ", "Exception");
            assertThat(r.out()).isEmpty();
        }
    }
}
