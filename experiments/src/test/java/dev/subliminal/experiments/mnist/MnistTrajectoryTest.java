package dev.subliminal.experiments.mnist;

import static org.assertj.core.api.Assertions.assertThat;

import dev.subliminal.results.mnist.Arm;
import dev.subliminal.results.stats.Proportion;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The MNIST students' trajectories, head swap and per-layer initialization on small configurations.
 */
class MnistTrajectoryTest {

    private static MnistData data;

    @BeforeAll
    static void load() {
        data = MnistData.bundled();
    }

    private static MnistConfig small(int width, int noiseImages, int epochs) {
        return MnistConfig.defaults(1, 1, data.source()).with(MnistConfig.WIDTH, width)
                .with(MnistConfig.NOISE_IMAGES, noiseImages).with(MnistConfig.LR, 1e-3).with(MnistConfig.EPOCHS, epochs)
                .with(MnistConfig.BATCH, 256);
    }

    private static MnistConfig tiny() {
        return small(16, 256, 2).with(MnistConfig.BATCH, 64).with(MnistConfig.AUX, 4);
    }

    @Test
    void gammaIsNonNegativeAndTheCumulativeDotIsTheSumOfStepContributions() {
        for (Imitation loss : Imitation.values()) {
            MnistConfig c = tiny().with(MnistConfig.RECORD_EVERY, 1).with(MnistConfig.LOSS, loss);
            List<ArmResult> recorded = new MnistExperiment(c, data).run(7);
            List<ArmResult> plain = new MnistExperiment(c.with(MnistConfig.RECORD_EVERY, 0), data).run(7);
            for (int i = 0; i < recorded.size(); i++) {
                ArmResult r = recorded.get(i);
                // recording reads the students' path and does not change it
                assertThat(r.accuracy()).isEqualTo(plain.get(i).accuracy());
                assertThat(Double.valueOf(r.updateCosine())).isEqualTo(Double.valueOf(plain.get(i).updateCosine()));
                assertThat(Double.valueOf(r.freshHead())).isEqualTo(Double.valueOf(plain.get(i).freshHead()));
                if (!r.arm().student()) {
                    continue;
                }
                List<Trajectory.Point> t = r.trajectory().points();
                assertThat(t).extracting(Trajectory.Point::step).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8);
                double previousSignal = 0;
                for (Trajectory.Point p : t.subList(1, t.size())) {
                    assertThat(p.gamma()).as(loss + " " + r.arm() + " γ_" + p.step()).isGreaterThanOrEqualTo(0.0);
                    // η·dᵀJᵀMJd ≥ 0 per step: the signal never decreases
                    assertThat(p.signal()).isGreaterThanOrEqualTo(previousSignal);
                    previousSignal = p.signal();
                    double scale = Math.abs(p.dot()) + Math.abs(p.signal()) + Math.abs(p.residual());
                    assertThat(Math.abs(p.dot() - (p.signal() + p.residual()))).as(loss + " " + r.arm() + " step " + p.step())
                            .isLessThanOrEqualTo(1e-9 * scale);
                }
                // the last record is the student's end: its cosine is the arm's cumulative cosine
                assertThat(t.get(t.size() - 1).cosine()).isEqualTo(r.updateCosine());
                assertThat(t.get(t.size() - 1).classAccuracy()).isEqualTo(r.accuracy());
            }
        }
    }

    /**
     * Seed 3, 784-64-64-(10+10), Adam lr 1e-3, 64 steps of batch 256 on 4,096 noise images: the
     * same-init aux-only student's hidden representation read through a fresh random head
     * ({@code fresh-head}) classifies the 2,000 test digits at chance, its 95% Wilson interval holding
     * 0.1, and through its own head above chance, the interval's lower end above 0.1.
     */
    @Test
    void aFreshHeadReadsTheStudentsRepresentationAtChanceAndItsOwnHeadAbove() {
        long seed = 3;
        MnistConfig c = small(64, 4096, 4).with(MnistConfig.AUX, 10)
                .with(MnistConfig.STUDENTS, StudentArms.AUX);
        ArmResult s = new MnistExperiment(c, data).run(seed).stream().filter(r -> r.arm() == Arm.STUDENT_AUX)
                .findFirst().orElseThrow();
        int n = data.test().count();
        double[] fresh = Proportion.of(Math.round(s.freshHead() * n), n).wilson95();
        double[] own = Proportion.of(Math.round(s.accuracy() * n), n).wilson95();
        String text = "seed " + seed + ": own head " + s.accuracy() + " " + java.util.Arrays.toString(own)
                + ", fresh head " + s.freshHead() + " " + java.util.Arrays.toString(fresh) + ", teacher's head "
                + s.teacherHead();
        System.out.println(text);
        assertThat(fresh[0]).as(text).isLessThanOrEqualTo(0.1);
        assertThat(fresh[1]).as(text).isGreaterThanOrEqualTo(0.1);
        assertThat(own[0]).as(text).isGreaterThan(0.1);
    }

    @Test
    void aFrozenLayerKeepsItsStartAndLayersComeFromTheirSources() {
        MnistConfig c = tiny().with(MnistConfig.STUDENT_LAYERS, LayerInits.parse("other-frozen,random,teacher"))
                .with(MnistConfig.STUDENTS, StudentArms.AUX);
        MnistExperiment e = new MnistExperiment(c, data);
        Teacher t = e.teacher(5);
        float[] start = e.studentStart(t);
        int[] sizes = c.sizes();
        int l1 = Predictors.layerOffset(sizes, 1);
        int l2 = Predictors.layerOffset(sizes, 2);
        for (int i = 0; i < l1; i++) {
            assertThat(start[i]).isEqualTo(t.cross0()[i]);
        }
        for (int i = l2; i < start.length; i++) {
            assertThat(start[i]).isEqualTo(t.theta0()[i]);
        }
        boolean differs = false;
        for (int i = l1; i < l2; i++) {
            differs |= start[i] != t.theta0()[i] || start[i] != t.cross0()[i];
        }
        assertThat(differs).as("the random layer is neither θ0's nor θ0′'s").isTrue();
        float[] trained = e.trainedStudent(t, Arm.STUDENT_AUX);
        for (int i = 0; i < l1; i++) {
            assertThat(trained[i]).as("frozen first layer, index " + i).isEqualTo(start[i]);
        }
        boolean moved = false;
        for (int i = l1; i < start.length; i++) {
            moved |= trained[i] != start[i];
        }
        assertThat(moved).as("the trainable layers moved").isTrue();
        assertThat(LayerInits.parse("teacher, OTHER-frozen ,random").toString()).isEqualTo("teacher,other-frozen,random");
    }

    @Test
    void aHeadPerturbationMovesTheLastLayerOnly() {
        MnistConfig c = tiny().with(MnistConfig.HEAD_PERTURBATION, 0.1);
        MnistExperiment e = new MnistExperiment(c, data);
        Teacher t = e.teacher(2);
        float[] start = e.studentStart(t);
        int head = Predictors.layerOffset(c.sizes(), 2);
        double squares = 0;
        for (int i = 0; i < start.length; i++) {
            double d = (double) start[i] - t.theta0()[i];
            if (i < head) {
                assertThat(d).as("index " + i + " before the head").isZero();
            } else {
                squares += d * d;
            }
        }
        // σ² per entry: the mean square over the head's 14·17 = 238 entries is σ²·χ²₂₃₈/238 (sd 0.09·σ²)
        assertThat(squares / (start.length - head)).isBetween(0.5 * 0.01, 1.5 * 0.01);
    }
}
