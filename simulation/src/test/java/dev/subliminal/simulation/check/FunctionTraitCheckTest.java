package dev.subliminal.simulation.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.subliminal.simulation.mlp.Activation;
import dev.subliminal.simulation.mlp.Mlp;
import dev.subliminal.theory.check.CheckResult;
import dev.subliminal.theory.check.CheckSetup;
import dev.subliminal.theory.check.TransmissionCheck;
import dev.subliminal.theory.linalg.Gemm;
import dev.subliminal.theory.loss.FunctionTrait;
import dev.subliminal.theory.loss.SoftCrossEntropy;
import dev.subliminal.theory.model.Batch;
import dev.subliminal.theory.param.Vectors;
import dev.subliminal.theory.random.Seeds;
import org.apache.commons.rng.UniformRandomProvider;
import org.junit.jupiter.api.Test;

/**
 * The check with an arbitrary trait loss of θ, here the regulariser L_T(θ) = ½‖θ − c‖² (so
 * Δ_T = c − θ0 exactly), and the kink detector that marks where the lemma's smoothness fails.
 */
class FunctionTraitCheckTest {

    @Test
    void regulariserTraitIsTransmittedFromTheSameInit() {
        CheckSetup base = new CheckCase(CheckConfig.defaults(), 5).setup();
        double[] target = Vectors.scale(0.5, base.theta0());
        FunctionTrait pull = new FunctionTrait("½‖θ − c‖²",
                t -> 0.5 * Vectors.dot(Vectors.subtract(t, target), Vectors.subtract(t, target)),
                t -> Vectors.subtract(t, target));
        CheckSetup s = new CheckSetup(base.teacherModel(), base.theta0(), pull, 1e-4, base.studentModel(),
                base.theta0(), 0.1, base.imitation(), base.studentInputs());
        CheckResult r = TransmissionCheck.run(s);
        assertThat(Vectors.norm(Vectors.subtract(r.deltaT(), Vectors.subtract(target, base.theta0()))))
                .as("Δ_T = c − θ0 exactly").isZero();
        assertThat(r.firstOrder()).isPositive();
        assertThat(r.dot()).isPositive().isEqualTo(r.traitPart());
        assertThat(r.relativeError()).isLessThan(1e-2);
        assertThat(r.traitLossStudent()).isLessThan(r.traitLossBefore());
    }

    @Test
    void aGradientArrayTheFunctionKeepsIsNotTheCheckToNegate() {
        CheckSetup base = new CheckCase(CheckConfig.defaults(), 5).setup();
        double[] c = Vectors.scale(0.5, base.theta0());
        double[] kept = c.clone();
        // L_T(θ) = −c·θ: its gradient is the same array at every θ
        FunctionTrait linear = new FunctionTrait("−c·θ", t -> -Vectors.dot(c, t), t -> kept);
        CheckSetup s = new CheckSetup(base.teacherModel(), base.theta0(), linear, 1e-4, base.studentModel(),
                base.theta0(), 0.1, base.imitation(), base.studentInputs());
        CheckResult r = TransmissionCheck.run(s);
        assertThat(kept).as("the function's array").isEqualTo(c);
        assertThat(r.deltaT()).isNotSameAs(kept).isEqualTo(Vectors.scale(-1, c));
    }

    /**
     * Δ_S·Δ_T, the cosine and the trait part are the serial sums of {@link Vectors} over the result's
     * vectors, bit for bit, on 1 and 3 threads, for a model below and one above the size (2^16 parameters)
     * from which the check runs those sums at the same time on its threads.
     */
    @Test
    void theLastSumsAreTheSerialSumsOnAnyThreadCount() {
        CheckSetup base = new CheckCase(CheckConfig.defaults(), 5).setup();
        UniformRandomProvider rng = Seeds.of(41);
        for (int[] widths : new int[][] {{4, 9, 3}, {4, 300, 220, 3}}) {
            Mlp mlp = new Mlp(widths, Activation.TANH);
            double[] theta0 = new double[mlp.parameterCount()];
            for (int i = 0; i < theta0.length; i++) {
                theta0[i] = 0.2 * rng.nextDouble() - 0.1;
            }
            double[] target = Vectors.scale(0.5, theta0);
            FunctionTrait pull = new FunctionTrait("½‖θ − c‖²",
                    t -> 0.5 * Vectors.dot(Vectors.subtract(t, target), Vectors.subtract(t, target)),
                    t -> Vectors.subtract(t, target));
            CheckSetup s = new CheckSetup(mlp, theta0, pull, 1e-4, mlp, theta0, 0.1, base.imitation(),
                    base.studentInputs());
            CheckResult one = TransmissionCheck.run(s, Gemm.serial());
            CheckResult three = TransmissionCheck.run(s, Gemm.threads(3));
            assertThat(one.dot()).as("p = %d", theta0.length).isEqualTo(Vectors.dot(one.deltaS(), one.deltaT()));
            assertThat(one.cosine()).isEqualTo(Vectors.cosine(one.deltaS(), one.deltaT()));
            assertThat(one.traitPart()).isEqualTo(Vectors.differenceDot(one.deltaS(), one.deltaSControl(), one.deltaT()));
            assertThat(three.deltaS()).containsExactly(one.deltaS());
            assertThat(new double[] {three.dot(), three.cosine(), three.traitPart()})
                    .containsExactly(one.dot(), one.cosine(), one.traitPart());
        }
    }

    /** A student of its own init adds θ_S0, its outputs and its JVP to the estimate: 8·(p + 2·rows·n) bytes. */
    @Test
    void aStudentOfItsOwnInitAddsItsVectorsToTheMemoryEstimate() {
        CheckConfig same = CheckConfig.defaults();
        int rows = Math.max(same.get(CheckConfig.SAMPLES), same.get(CheckConfig.TRAIT_SAMPLES));
        long extra = 8L * (same.teacher().parameterCount() + 2L * rows * same.teacher().outputs());
        for (StudentInit init : new StudentInit[] {StudentInit.PERTURBED, StudentInit.INDEPENDENT}) {
            assertThat(same.with(CheckConfig.INIT, init).memoryBytes()).as("%s", init)
                    .isEqualTo(same.memoryBytes() + extra);
        }
    }

    @Test
    void aTraitTiedToParametersCannotCrossArchitectures() {
        CheckSetup base = new CheckCase(CheckConfig.defaults(), 5).setup();
        FunctionTrait norm = new FunctionTrait("½‖θ‖²", t -> 0.5 * Vectors.dot(t, t), t -> t.clone());
        Mlp wider = new Mlp(new int[] {4, 9, 3}, Activation.TANH);
        assertThatThrownBy(() -> new CheckSetup(base.teacherModel(), base.theta0(), norm, 1e-4, wider,
                new double[wider.parameterCount()], 0.1, SoftCrossEntropy.all(1), base.studentInputs()))
                .hasMessageContaining("cannot be compared across architectures");
    }

    @Test
    void kinksAreCountedOnlyWhereAReluPreActivationIsExactlyZero() {
        Mlp relu = new Mlp(new int[] {1, 1, 1, 1}, Activation.RELU);
        // θ: W0 = −1, b0 = 0, W2 = 2, b2 = 0, W4 = 1, b4 = 0. For x = 1 the first unit is dead (z = −1), so
        // the second unit's pre-activation is exactly 2·0 + 0 = 0: one kink. For x = −1 neither is on 0.
        double[] theta = {-1, 0, 2, 0, 1, 0};
        assertThat(relu.kinks(theta, Batch.of(new double[][] {{1}}))).isEqualTo(1);
        assertThat(relu.kinks(theta, Batch.of(new double[][] {{-1}}))).isZero();
        Mlp tanh = new Mlp(new int[] {1, 1, 1, 1}, Activation.TANH);
        assertThat(tanh.kinks(new double[6], Batch.of(new double[][] {{0}}))).isZero();
    }
}
