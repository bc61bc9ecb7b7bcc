package dev.subliminal.simulation.sweep;

import dev.subliminal.spec.Values;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.subliminal.simulation.check.CheckCase;
import dev.subliminal.simulation.check.CheckConfig;
import dev.subliminal.simulation.check.CheckSpace;
import dev.subliminal.simulation.check.ImitationSpec;
import dev.subliminal.simulation.check.StudentInit;
import dev.subliminal.simulation.optim.OptimizerSpec;
import dev.subliminal.simulation.sweep.Regime.StudentOptimizer;
import dev.subliminal.results.stats.Proportion;
import dev.subliminal.theory.check.CheckResult;
import dev.subliminal.theory.check.CheckSetup;
import dev.subliminal.theory.check.TransmissionCheck;
import dev.subliminal.theory.model.Batch;
import dev.subliminal.theory.model.Model;
import dev.subliminal.theory.param.Vectors;
import dev.subliminal.theory.random.Seeds;
import org.apache.commons.rng.UniformRandomProvider;
import org.junit.jupiter.api.Test;

/** The regimes beyond the theorem, each against an independent composition of one-step checks. */
class RegimeRunTest {

    private static final long SEED = 20261127L;

    private static Regime regime(int kT, int kS, StudentOptimizer o, double decay, Regime.Labels labels) {
        return Regime.of(Values.empty().with(Regime.TEACHER_STEPS, kT).with(Regime.STUDENT_STEPS, kS)
                .with(Regime.OPTIMIZER, o).with(Regime.WEIGHT_DECAY, decay).with(Regime.LABELS, labels));
    }

    @Test
    void theTheoremsRegimeGivesTheChecksNumbersBitForBit() {
        // Double.equals: bit for bit, and NaN (across architectures) equals NaN
        UniformRandomProvider rng = Seeds.of(SEED);
        CheckSpace space = CheckSpace.everything();
        for (int i = 0; i < 150; i++) {
            CheckCase c = space.generate(rng);
            CheckResult expected = c.run();
            RegimeResult r = RegimeRun.run(c, Regime.theorem());
            String replay = "seed " + SEED + ", case " + i + ": " + c;
            assertThat(Double.valueOf(r.first().dot())).as(replay).isEqualTo(Double.valueOf(expected.dot()));
            assertThat(Double.valueOf(r.first().cosine())).as(replay).isEqualTo(Double.valueOf(expected.cosine()));
            assertThat(Double.valueOf(r.first().traitPart())).as(replay).isEqualTo(Double.valueOf(expected.traitPart()));
            assertThat(Double.valueOf(r.firstOrder())).as(replay).isEqualTo(Double.valueOf(expected.firstOrder()));
            assertThat(Double.valueOf(r.absoluteError())).as(replay).isEqualTo(Double.valueOf(expected.absoluteError()));
            assertThat(Double.valueOf(r.relativeError())).as(replay).isEqualTo(Double.valueOf(expected.relativeError()));
            assertThat(Double.valueOf(r.traitLossBefore())).as(replay).isEqualTo(Double.valueOf(expected.traitLossBefore()));
            assertThat(Double.valueOf(r.first().traitLossStudent())).as(replay).isEqualTo(Double.valueOf(expected.traitLossStudent()));
            assertThat(Double.valueOf(r.first().traitLossControl())).as(replay).isEqualTo(Double.valueOf(expected.traitLossControl()));
            assertThat(r.end()).isNull();
        }
    }

    @Test
    void twoStudentStepsAreTwoChainedOneStepChecks() {
        CheckCase c = new CheckCase(CheckConfig.defaults().with(CheckConfig.INIT, StudentInit.PERTURBED).with(CheckConfig.PERTURBATION, 0.1), 3);
        CheckSetup s = c.setup();
        CheckResult one = TransmissionCheck.run(s);
        double[] theta1 = Vectors.axpy(s.studentInit(), s.alpha(), one.deltaS());
        CheckResult two = TransmissionCheck.run(new CheckSetup(s.teacherModel(), s.theta0(), s.trait(), s.epsilon(),
                s.studentModel(), theta1, s.alpha(), s.imitation(), s.studentInputs()));
        double[] total = Vectors.axpy(one.deltaS(), 1, two.deltaS());

        RegimeResult r = RegimeRun.run(c, regime(1, 2, StudentOptimizer.SGD, 0, Regime.Labels.FULL));
        assertThat(r.end().dot()).isCloseTo(Vectors.dot(total, one.deltaT()), within(1e-15));
        assertThat(r.end().traitLossStudent()).isEqualTo(two.traitLossStudent());
        assertThat(r.first().dot()).isEqualTo(one.dot());
    }

    @Test
    void aTwoStepTeacherMovesBySumOfItsTwoUpdates() {
        CheckCase c = new CheckCase(CheckConfig.defaults().with(CheckConfig.EPSILON, 0.05), 5);
        CheckSetup s = c.setup();
        Model m = s.teacherModel();
        double[] u1 = Vectors.scale(-1, s.trait().gradient(m, s.theta0()));
        double[] theta1 = Vectors.axpy(s.theta0(), s.epsilon(), u1);
        double[] u2 = Vectors.scale(-1, s.trait().gradient(m, theta1));
        double[] thetaT = Vectors.axpy(theta1, s.epsilon(), u2);
        Batch x = s.studentInputs();
        double[] deltaS = Vectors.scale(-1, m.vjp(s.theta0(), x,
                s.imitation().gradient(m.forward(s.theta0(), x), m.forward(thetaT, x))));

        RegimeResult r = RegimeRun.run(c, regime(2, 1, StudentOptimizer.SGD, 0, Regime.Labels.FULL));
        assertThat(r.first().dot()).isCloseTo(Vectors.dot(deltaS, Vectors.axpy(u1, 1, u2)), within(1e-15));
        assertThat(r.first().dot()).isPositive();
        assertThat(r.relativeError()).isLessThan(0.2);
    }

    @Test
    void adamsFirstStepIsTheSignedUnitUpdateAndItsControlStaysPutAtSameInit() {
        CheckCase c = new CheckCase(CheckConfig.defaults(), 11);
        CheckResult sgd = c.run();
        RegimeResult r = RegimeRun.run(c, regime(1, 1, StudentOptimizer.ADAM, 0, Regime.Labels.FULL));
        double[] u = new double[sgd.deltaS().length];
        for (int i = 0; i < u.length; i++) {
            u[i] = sgd.deltaS()[i] / (Math.abs(sgd.deltaS()[i]) + OptimizerSpec.DELTA);
        }
        assertThat(r.first().dot()).isCloseTo(Vectors.dot(u, sgd.deltaT()), within(1e-12));
        assertThat(r.first().traitLossControl()).isEqualTo(r.traitLossBefore());
        assertThat(r.firstOrder()).isNaN();
    }

    @Test
    void weightDecayShiftsTheDotButCancelsInTheTraitPart() {
        double lambda = 0.5;
        CheckCase c = new CheckCase(CheckConfig.defaults().with(CheckConfig.INIT, StudentInit.INDEPENDENT), 2);
        CheckResult plain = c.run();
        RegimeResult r = RegimeRun.run(c, regime(1, 1, StudentOptimizer.SGD, lambda, Regime.Labels.FULL));
        double shift = -lambda * Vectors.dot(c.setup().studentInit(), plain.deltaT());
        assertThat(r.first().dot()).isCloseTo(plain.dot() + shift, within(1e-12));
        assertThat(r.first().traitPart()).isCloseTo(plain.traitPart(), within(1e-12));
        assertThat(r.firstOrder()).isEqualTo(plain.firstOrder());
    }

    @Test
    void sampledLabelsFromAnUnmovedTeacherCarryNoTrait() {
        // ε = 0: θ_T = θ0, and the student's labels are the control's (same uniforms), so the trait part is 0
        for (ImitationSpec loss : new ImitationSpec[] {ImitationSpec.ce(), ImitationSpec.mse(),
            new ImitationSpec(ImitationSpec.Kind.CE, 2, 2)}) {
            CheckCase c = new CheckCase(CheckConfig.defaults().with(CheckConfig.LOSS, loss.kind()).with(CheckConfig.TEMPERATURE, loss.temperature())
                    .with(CheckConfig.DISTILL, loss.distilled()).with(CheckConfig.EPSILON, 0.0), 4);
            RegimeResult r = RegimeRun.run(c, regime(1, 2, StudentOptimizer.SGD, 0, Regime.Labels.SAMPLED));
            assertThat(r.first().traitPart()).as(loss.toString()).isZero();
            assertThat(r.end().traitPart()).as(loss.toString()).isZero();
        }
    }

    @Test
    void sampledLabelsFollowTheSoftmaxOfTheImitatedLogits() {
        // logits (0, log 2, log 5)/T with T = 1 over the last 2 logits: P(last) = 5/7
        int rows = 4000;
        double[] logits = new double[rows * 3];
        double[] uniforms = new double[rows];
        UniformRandomProvider rng = Seeds.of(SEED);
        for (int i = 0; i < rows; i++) {
            logits[3 * i + 1] = Math.log(2);
            logits[3 * i + 2] = Math.log(5);
            uniforms[i] = rng.nextDouble();
        }
        Batch targets = RegimeRun.sampledTargets(new Batch(rows, 3, logits), uniforms,
                new ImitationSpec(ImitationSpec.Kind.CE, 1, 2));
        int last = 0;
        for (int i = 0; i < rows; i++) {
            assertThat(targets.get(i, 0)).isEqualTo(Double.NEGATIVE_INFINITY);
            last += targets.get(i, 2) == 0 ? 1 : 0;
        }
        double[] ci = Proportion.of(last, rows).wilson(1e-6);
        assertThat(5.0 / 7).as("seed %d, %d of %d", SEED, last, rows).isBetween(ci[0], ci[1]);
    }
}
