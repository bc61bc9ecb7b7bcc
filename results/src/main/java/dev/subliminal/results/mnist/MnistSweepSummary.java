package dev.subliminal.results.mnist;

import com.fasterxml.jackson.databind.JsonNode;
import dev.subliminal.results.schema.Field;
import dev.subliminal.results.stats.MeanInterval;
import dev.subliminal.results.stats.RankCorrelation;
import dev.subliminal.results.stats.Sample;
import dev.subliminal.results.store.Header;
import dev.subliminal.results.store.RecordSink;
import dev.subliminal.results.store.ResultsReader;
import dev.subliminal.results.sweep.SweepSchema;
import dev.subliminal.results.sweep.TrajectoryBands;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The statistics of a {@value MnistSweepSchema#NAME} file: per cell (nothing pooled across cells),
 * the mean test accuracy of the reference, the teacher and every student arm over the seeds with its
 * Student-t 95% interval within [0, 1], the student's representation read through the teacher's and a
 * fresh head, the mean predictors, and per arm the trajectory's mean at every recorded step with its
 * t interval (the bands of the report's plots), the mean spectra ({@link #SPECTRA}) where records have
 * them; across the whole sweep, Spearman's ρ of each predictor and spectrum number
 * with the final accuracy of the aux-only students, with a bootstrap 95% interval
 * ({@link RankCorrelation}, {@value #RESAMPLES} resamples, seed {@value #BOOTSTRAP_SEED}). What
 * {@code summarize} prints and the report shows.
 *
 * @param header the file's header
 * @param varied the settings with more than one value in the grid, in grid order
 * @param cells the statistics per cell, in grid order (cells without records have count 0)
 * @param predictors ρ per predictor and group of aux-only students
 */
public record MnistSweepSummary(Header header, List<String> varied, List<CellStatistics> cells,
        List<PredictorCorrelation> predictors) {

    /** Bootstrap resamples of each ρ. */
    public static final int RESAMPLES = 2000;
    /** The bootstrap's seed. */
    public static final long BOOTSTRAP_SEED = 20261203L;

    /** The predictors of transfer, as named in records and tables. */
    public static final List<Field> PREDICTORS = List.of(MnistSweepSchema.FIRST_STEP_COSINE,
            MnistSweepSchema.UPDATE_COSINE, MnistSweepSchema.CROSS_BLOCK, MnistSweepSchema.HEAD_ALIGNMENT);

    /** The spectra's summary numbers (arms of small students with held-out inputs), averaged per cell and correlated as the predictors are. */
    public static final List<Field> SPECTRA = List.of(MnistSweepSchema.G_MAX, MnistSweepSchema.G_EFFECTIVE_RANK,
            MnistSweepSchema.CROSS_MAX, MnistSweepSchema.CROSS_EFFECTIVE_RANK);

    /** The predictor's name in words. */
    public static String label(Field predictor) {
        return switch (predictor.name()) {
            case "firstStepCosine" -> "first-step cosine";
            case "updateCosine" -> "cumulative cosine";
            case "crossBlock" -> "eNTK cross block";
            case "headAlignment" -> "head alignment";
            case "gMax" -> "λ_max(G)";
            case "gEffectiveRank" -> "effective rank of G";
            case "crossMax" -> "σ_max(cross block)";
            case "crossEffectiveRank" -> "effective rank of cross block";
            default -> predictor.name();
        };
    }

    /**
     * One cell's statistics.
     *
     * @param cell the cell's index
     * @param axes its value of every setting
     * @param reference θ0's accuracy
     * @param teacher θ_T's accuracy
     * @param arms the student arms the cell ran, in {@link Arm} order
     */
    public record CellStatistics(int cell, JsonNode axes, MeanInterval reference, MeanInterval teacher,
            Map<Arm, ArmStatistics> arms) {

        /** The number of seeds read. */
        public int count() {
            return reference.count();
        }
    }

    /**
     * One arm's statistics in one cell.
     *
     * @param accuracy test accuracy through its own head
     * @param teacherHead through the teacher's head
     * @param freshHead through a fresh random head
     * @param predictors the mean of each of {@link #PREDICTORS}, in order
     * @param trajectory the trajectory's bands, or null when none was recorded
     * @param spectra the mean of each of {@link #SPECTRA}, in order (count 0 when no record has spectra)
     */
    public record ArmStatistics(MeanInterval accuracy, MeanInterval teacherHead, MeanInterval freshHead,
            List<MeanInterval> predictors, TrajectoryBands trajectory, List<MeanInterval> spectra) {
    }

    /**
     * Spearman's ρ of a predictor with the final accuracy over a group of aux-only students.
     *
     * @param predictor the predictor's field
     * @param group {@code all aux-only}, {@code student-aux} or {@code cross-aux}
     * @param correlation ρ with its bootstrap interval
     */
    public record PredictorCorrelation(Field predictor, String group, RankCorrelation correlation) {
    }

    /** Reads a results file in one streaming pass. */
    public static MnistSweepSummary of(Path file) {
        Accumulator a = new Accumulator();
        ResultsReader.read(file, MnistSweepSchema.SCHEMA, a);
        return a.summary();
    }

    /** Whether any record was read. */
    public boolean isEmpty() {
        return cells.stream().allMatch(c -> c.count() == 0);
    }

    /** The reference values that exist for a cell's settings on this file's digits. */
    public MnistReference reference(CellStatistics cell) {
        com.fasterxml.jackson.databind.node.ObjectNode c = cell.axes().deepCopy();
        c.set("data", header.config().get(MnistSweepSchema.DATA.name()));
        return MnistReference.of(c);
    }

    /** Collects the records of one file, then summarizes them. */
    public static final class Accumulator implements RecordSink {

        private Header header;
        private final List<CellData> cells = new ArrayList<>();
        private final Map<String, List<double[]>> pairs = new LinkedHashMap<>();

        /** The values of one cell. */
        private static final class CellData {
            final Sample reference = new Sample();
            final Sample teacher = new Sample();
            final Map<Arm, ArmData> arms = new EnumMap<>(Arm.class);
        }

        /** The values of one arm in one cell. */
        private static final class ArmData {
            final Sample accuracy = new Sample();
            final Sample teacherHead = new Sample();
            final Sample freshHead = new Sample();
            final Sample[] predictors = samples(PREDICTORS.size());
            final Sample[] spectra = samples(SPECTRA.size());
            final TrajectoryBands.Accumulator trajectory = new TrajectoryBands.Accumulator(
                    MnistSweepSchema.TRAJECTORY_COLUMNS);
        }

        @Override
        public void header(Header h) {
            header = h;
            for (int i = 0; i < SweepSchema.CELLS.object(h.config()).size(); i++) {
                cells.add(new CellData());
            }
        }

        @Override
        public void record(JsonNode r) {
            CellData c = cells.get((int) SweepSchema.CELL.integer(r));
            c.reference.add(MnistSweepSchema.REFERENCE.number(r));
            c.teacher.add(MnistSweepSchema.TEACHER.number(r));
            MnistSweepSchema.ARMS.object(r).properties().forEach(e -> {
                Arm arm = Arm.of(e.getKey());
                JsonNode a = e.getValue();
                ArmData d = c.arms.computeIfAbsent(arm, k -> new ArmData());
                double accuracy = MnistSweepSchema.ACCURACY.number(a);
                d.accuracy.add(accuracy);
                d.teacherHead.add(MnistSweepSchema.TEACHER_HEAD.number(a));
                d.freshHead.add(MnistSweepSchema.FRESH_HEAD.number(a));
                for (int i = 0; i < PREDICTORS.size(); i++) {
                    predictor(PREDICTORS.get(i), a, d.predictors[i], arm, accuracy);
                }
                for (int i = 0; i < SPECTRA.size(); i++) {
                    if (SPECTRA.get(i).isIn(a)) {
                        predictor(SPECTRA.get(i), a, d.spectra[i], arm, accuracy);
                    }
                }
                JsonNode t = MnistSweepSchema.TRAJECTORY.object(a);
                if (t != null) {
                    d.trajectory.add(t);
                }
            });
        }

        private void predictor(Field f, JsonNode a, Sample sample, Arm arm, double accuracy) {
            double v = f.number(a);
            sample.add(v);
            if (arm.auxOnly()) {
                pair(f.name() + "|" + ALL_AUX, v, accuracy);
                pair(f.name() + "|" + arm.key(), v, accuracy);
            }
        }

        private static Sample[] samples(int count) {
            Sample[] s = new Sample[count];
            for (int i = 0; i < count; i++) {
                s[i] = new Sample();
            }
            return s;
        }

        private void pair(String key, double x, double y) {
            pairs.computeIfAbsent(key, k -> new ArrayList<>()).add(new double[] {x, y});
        }

        /** The statistics of the records added so far. */
        public MnistSweepSummary summary() {
            JsonNode config = header.config();
            List<String> varied = new ArrayList<>();
            SweepSchema.AXES.object(config).properties().forEach(e -> {
                if (e.getValue().size() > 1) {
                    varied.add(e.getKey());
                }
            });
            List<CellStatistics> stats = new ArrayList<>();
            for (int i = 0; i < cells.size(); i++) {
                CellData c = cells.get(i);
                Map<Arm, ArmStatistics> arms = new EnumMap<>(Arm.class);
                c.arms.forEach((arm, d) -> arms.put(arm, new ArmStatistics(d.accuracy.mean95().within(0, 1),
                        d.teacherHead.mean95().within(0, 1), d.freshHead.mean95().within(0, 1),
                        Arrays.stream(d.predictors).map(Sample::mean95).toList(), d.trajectory.bands(),
                        Arrays.stream(d.spectra).map(Sample::mean95).toList())));
                stats.add(new CellStatistics(i, SweepSchema.CELLS.object(config).get(i),
                        c.reference.mean95().within(0, 1), c.teacher.mean95().within(0, 1), arms));
            }
            List<PredictorCorrelation> correlations = new ArrayList<>();
            for (String group : List.of(ALL_AUX, Arm.STUDENT_AUX.key(), Arm.CROSS_AUX.key())) {
                for (Field p : java.util.stream.Stream.concat(PREDICTORS.stream(), SPECTRA.stream()).toList()) {
                    List<double[]> xy = pairs.getOrDefault(p.name() + "|" + group, List.of());
                    if (xy.isEmpty()) {
                        continue;
                    }
                    double[] x = xy.stream().mapToDouble(v -> v[0]).toArray();
                    double[] y = xy.stream().mapToDouble(v -> v[1]).toArray();
                    correlations.add(new PredictorCorrelation(p, group,
                            RankCorrelation.spearman(x, y, RESAMPLES, BOOTSTRAP_SEED)));
                }
            }
            return new MnistSweepSummary(header, List.copyOf(varied), List.copyOf(stats), List.copyOf(correlations));
        }

    }

    /** The group of every aux-only student (same init and cross init together). */
    public static final String ALL_AUX = "all aux-only";
}
