package dev.subliminal.experiments.mnist;

import static org.assertj.core.api.Assertions.assertThat;

import dev.subliminal.results.mnist.Arm;
import dev.subliminal.simulation.conv.ConvGeometry;
import dev.subliminal.spec.SettingType.Sizes;
import dev.subliminal.theory.linalg.Gemm;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A CNN student of the MLP teacher ("Learning Through Noise"'s MLP → CNN switch): where its arms
 * start (θ0's head or θ0′'s on the same fresh convolutions and hidden layer), which numbers exist for
 * it (the head swap, head alignment and the spectra of its own G, not Δ_S·Δ_T), and bit-identical
 * results for any thread count. Small configurations: seconds.
 */
class MnistCnnStudentTest {

    private static MnistData data;

    @BeforeAll
    static void load() {
        data = MnistData.bundled();
    }

    private static MnistConfig tiny(StudentArchitecture architecture) {
        return MnistConfig.defaults(1, 1, data.source()).with(MnistConfig.WIDTH, 16)
                .with(MnistConfig.NOISE_IMAGES, 256).with(MnistConfig.LR, 1e-3).with(MnistConfig.EPOCHS, 2)
                .with(MnistConfig.BATCH, 64).with(MnistConfig.AUX, 4)
                .with(MnistConfig.STUDENT_ARCHITECTURE, architecture)
                .with(MnistConfig.CNN_CHANNELS, new Sizes(new int[] {2, 4}));
    }

    @Test
    void theCnnStudentsStartFromATeacherHeadOnFreshLayers() {
        MnistConfig c = tiny(StudentArchitecture.CNN);
        MnistExperiment e = new MnistExperiment(c, data);
        Teacher t = e.teacher(3);
        ConvGeometry g = c.studentGeometry();
        int studentHead = g.denseOffset(1);
        int headSize = g.layerParameters(g.convolutions() + 1);
        int teacherHead = Predictors.layerOffset(c.sizes(), 2);
        assertThat(headSize).isEqualTo(Predictors.layerSize(c.sizes(), 2)).isEqualTo(14 * 17);
        float[] same = e.studentStart(t);
        float[] cross = e.studentInit(t, Arm.CROSS_AUX, same);
        assertThat(same).hasSize(g.parameterCount());
        assertThat(Arrays.copyOfRange(same, studentHead, studentHead + headSize))
                .isEqualTo(Arrays.copyOfRange(t.theta0(), teacherHead, teacherHead + headSize));
        assertThat(Arrays.copyOfRange(cross, studentHead, studentHead + headSize))
                .isEqualTo(Arrays.copyOfRange(t.cross0(), teacherHead, teacherHead + headSize));
        // the same fresh convolutions and hidden layer below both heads, drawn N(0, 1/fan_in)
        float[] hiddenSame = Arrays.copyOf(same, studentHead);
        assertThat(Arrays.copyOf(cross, studentHead)).isEqualTo(hiddenSame);
        double sq = 0;
        for (int i = 0; i < 2 * 9; i++) {
            sq += (double) hiddenSame[i] * hiddenSame[i];
        }
        assertThat(sq / 18).as("conv 1 weight variance, fan_in 9").isBetween(1 / 9.0 / 3, 1 / 9.0 * 3);
    }

    @Test
    void theTrainingLoopTeachesTheCnnTheDigits() {
        // the float CNN through the experiment's one training loop, on the labels (as a teacher is
        // trained): far above chance (0.1) after 150 Adam steps of 64 digits, seed 17
        MnistConfig c = tiny(StudentArchitecture.CNN);
        MnistExperiment e = new MnistExperiment(c, data, Gemm.threads(1));
        Network cnn = Network.cnn(c.studentGeometry(), Gemm.threads(1), c.batch());
        float[] theta = new float[cnn.parameterCount()];
        double[] init = dev.subliminal.theory.param.Initialization.NORMAL_FAN_IN.initialize(cnn.model().layout(),
                dev.subliminal.theory.random.Seeds.of(17));
        for (int i = 0; i < theta.length; i++) {
            theta[i] = (float) init[i];
        }
        double before = e.accuracy(cnn, theta);
        e.train(cnn, theta, data.train().images(), data.train().count(),
                new Objective.Labels(data.train().labels(), Idx.CLASSES), dev.subliminal.theory.random.Seeds.of(18), 150,
                null, null);
        double after = e.accuracy(cnn, theta);
        assertThat(after).as("test accuracy %s before, %s after", before, after).isGreaterThan(0.5);
    }

    @Test
    void itsArmsReportTheHeadNumbersAndItsOwnSpectraBitIdenticallyForAnyThreadCount() {
        MnistConfig c = tiny(StudentArchitecture.CNN).with(MnistConfig.NTK_INPUTS, 3);
        List<ArmResult> one = new MnistExperiment(c, data, Gemm.threads(1)).run(5);
        List<ArmResult> two = new MnistExperiment(c, data, Gemm.threads(2)).run(5);
        assertThat(two).hasSameSizeAs(one);
        List<ArmResult> mlp = new MnistExperiment(tiny(StudentArchitecture.MLP).with(MnistConfig.NTK_INPUTS, 3), data)
                .run(5);
        for (int i = 0; i < one.size(); i++) {
            ArmResult a = one.get(i);
            ArmResult b = two.get(i);
            assertThat(b.accuracy()).isEqualTo(a.accuracy());
            if (!a.arm().student()) {
                // the teacher is the same MLP whatever the student
                assertThat(a.accuracy()).isEqualTo(mlp.get(i).accuracy());
                continue;
            }
            assertThat(b.teacherHead()).isEqualTo(a.teacherHead());
            assertThat(b.freshHead()).isEqualTo(a.freshHead());
            assertThat(b.spectrum().gTop()).isEqualTo(a.spectrum().gTop());
            assertThat(a.firstStepDot()).isNaN();
            assertThat(a.crossBlock()).isNaN();
            assertThat(a.trajectory()).isNull();
            assertThat(a.accuracy()).isBetween(0.0, 1.0);
            assertThat(a.teacherHead()).isBetween(0.0, 1.0);
            // the same head at the start as the MLP student of the same arm: the same head alignment
            assertThat(a.headAlignment()).isEqualTo(mlp.get(i).headAlignment());
            assertThat(a.spectrum().gMax()).isPositive();
            assertThat(a.spectrum().crossTop()).isEmpty();
            // the MLP student's cross block: σ_max² ≤ ‖C‖_F² = RMS²·entries ≤ rank·σ_max²
            ArmResult m = mlp.get(i);
            double frobenius2 = m.crossBlock() * m.crossBlock() * 9 * Idx.CLASSES * 4;
            double max2 = m.spectrum().crossMax() * m.spectrum().crossMax();
            assertThat(max2).isLessThanOrEqualTo(frobenius2 * (1 + 1e-9)).isGreaterThanOrEqualTo(frobenius2 / 12 * (1 - 1e-9));
        }
        // above the threshold no spectrum is computed
        List<ArmResult> none = new MnistExperiment(c.with(MnistConfig.SPECTRUM_PARAMETERS, 100), data).run(5);
        assertThat(none.stream().filter(r -> r.arm().student())).allMatch(r -> r.spectrum() == null);
    }
}
