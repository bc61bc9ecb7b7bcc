package dev.subliminal.experiments.mnist;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.subliminal.results.mnist.MnistSweepSchema;
import dev.subliminal.results.schema.Field;
import dev.subliminal.results.schema.Schema;
import dev.subliminal.results.store.ResultStore;
import dev.subliminal.results.sweep.SweepSchema;
import dev.subliminal.simulation.sweep.Shard;
import dev.subliminal.simulation.sweep.SweepRunner;
import dev.subliminal.theory.linalg.Gemm;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;

/**
 * Runs a shard of an MNIST sweep into a results store ({@value MnistSweepSchema#NAME}). Units run one
 * after another in increasing order (each on {@code threads} threads of the matrix products, which
 * do not change a bit of the results), so a store always holds a prefix of the shard's units and a
 * killed run resumes with the rest. A teacher is trained once per seed and teacher configuration
 * ({@link MnistConfig#teacherKey()}) and kept only while units of the shard still need it.
 */
public final class MnistSweep {

    private MnistSweep() {
    }

    /**
     * Runs the units of {@code shard} missing from {@code store}; returns how many teachers it trained.
     */
    public static int run(MnistGrid grid, Shard shard, ResultStore store, MnistData data, int threads,
            SweepRunner.Listener listener) {
        long[] all = SweepRunner.units(grid, shard);
        long[] todo = LongStream.of(all).filter(u -> !store.contains(grid.key(u))).toArray();
        Map<String, Integer> uses = new HashMap<>();
        for (long u : todo) {
            uses.merge(teacherKey(grid, u), 1, Integer::sum);
        }
        Map<String, Teacher> teachers = new HashMap<>();
        long done = all.length - todo.length;
        listener.progress(done, all.length);
        MnistExperiment experiment = null;
        int cell = -1;
        int trained = 0;
        for (long u : todo) {
            if (grid.cellOf(u) != cell) {
                cell = grid.cellOf(u);
                experiment = null;
                experiment = new MnistExperiment(grid.cells().get(cell), data, Gemm.threads(threads));
            }
            String key = teacherKey(grid, u);
            Teacher t = teachers.get(key);
            if (t == null) {
                t = experiment.teacher(grid.seedOf(u));
                teachers.put(key, t);
                trained++;
            }
            List<ArmResult> students = experiment.students(t);
            if (uses.merge(key, -1, Integer::sum) == 0) {
                teachers.remove(key);
            }
            store.append(record(grid, u, t, students));
            listener.progress(++done, all.length);
        }
        return trained;
    }

    private static String teacherKey(MnistGrid grid, long unit) {
        return grid.seedOf(unit) + "|" + grid.cells().get(grid.cellOf(unit)).teacherKey();
    }

    /** The record of one unit: its cell and seed, the reference's and teacher's accuracies, and every student arm. */
    public static ObjectNode record(MnistGrid grid, long unit, Teacher t, List<ArmResult> students) {
        int cell = grid.cellOf(unit);
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        Schema.KEY.put(o, grid.key(unit));
        SweepSchema.CELL.put(o, cell);
        SweepSchema.AXES.set(o, MnistGrid.axes(grid.cells().get(cell)));
        SweepSchema.SEED.put(o, grid.seedOf(unit));
        MnistSweepSchema.REFERENCE.put(o, t.referenceAccuracy());
        MnistSweepSchema.TEACHER.put(o, t.teacherAccuracy());
        ObjectNode arms = MnistSweepSchema.ARMS.putObject(o);
        for (ArmResult r : students) {
            ObjectNode a = arms.putObject(r.arm().key());
            Field.putAll(a, List.of(MnistSweepSchema.ACCURACY, MnistSweepSchema.FIRST_STEP_DOT,
                    MnistSweepSchema.FIRST_STEP_COSINE, MnistSweepSchema.UPDATE_COSINE, MnistSweepSchema.CROSS_BLOCK,
                    MnistSweepSchema.HEAD_ALIGNMENT, MnistSweepSchema.TEACHER_HEAD, MnistSweepSchema.FRESH_HEAD),
                    r.accuracy(), r.firstStepDot(), r.firstStepCosine(), r.updateCosine(), r.crossBlock(),
                    r.headAlignment(), r.teacherHead(), r.freshHead());
            if (r.trajectory() != null) {
                trajectory(MnistSweepSchema.TRAJECTORY.putObject(a), r.trajectory());
            }
            if (r.spectrum() != null) {
                spectrum(a, r.spectrum());
            }
        }
        return o;
    }

    private static void spectrum(ObjectNode a, Spectra.Spectrum s) {
        MnistSweepSchema.G_TOP.set(a, numbers(s.gTop()));
        Field.putAll(a, List.of(MnistSweepSchema.G_MAX, MnistSweepSchema.G_TRACE, MnistSweepSchema.G_EFFECTIVE_RANK),
                s.gMax(), s.gTrace(), s.gEffectiveRank());
        MnistSweepSchema.CROSS_TOP.set(a, numbers(s.crossTop()));
        Field.putAll(a, List.of(MnistSweepSchema.CROSS_MAX, MnistSweepSchema.CROSS_EFFECTIVE_RANK), s.crossMax(),
                s.crossEffectiveRank());
    }

    private static com.fasterxml.jackson.databind.node.ArrayNode numbers(double[] values) {
        com.fasterxml.jackson.databind.node.ArrayNode n = JsonNodeFactory.instance.arrayNode();
        for (double v : values) {
            if (Double.isFinite(v)) {
                n.add(v);
            } else {
                n.addNull();
            }
        }
        return n;
    }

    private static void trajectory(ObjectNode o, Trajectory t) {
        SweepSchema.putColumns(o, MnistSweepSchema.TRAJECTORY_COLUMNS, t.points().stream().map(p -> new double[] {
            p.step(), p.dot(), p.cosine(), p.gamma(), p.signal(), p.residual(), p.classAccuracy(), p.auxAccuracy()})
                .toList());
    }
}
