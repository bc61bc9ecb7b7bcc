package dev.subliminal.simulation.sweep;

import static org.assertj.core.api.Assertions.assertThat;

import dev.subliminal.simulation.check.CheckCase;
import dev.subliminal.simulation.check.CheckSpace;
import dev.subliminal.simulation.sweep.Regime.StudentOptimizer;
import dev.subliminal.spec.Values;
import dev.subliminal.theory.check.CheckResult;
import dev.subliminal.theory.property.Outcome;
import dev.subliminal.theory.property.PropertyCheck;
import dev.subliminal.theory.random.Seeds;
import java.util.List;
import org.apache.commons.rng.UniformRandomProvider;
import org.junit.jupiter.api.Test;

/**
 * The student's trajectory in a sweep's multi-step regimes ({@link Regime#RECORD_EVERY}): γ_t ≥ 0 on
 * every case the property engine generates, the cumulative dot U_t·Δ_T equals the sum of the per-step
 * contributions S_t + N_t, and at one step the record is the check's numbers bit for bit.
 */
class TrajectoryTest {

    private static final long SEED = 20261203L;

    private static Regime regime(int steps, StudentOptimizer optimizer, int every) {
        return Regime.of(Values.empty().with(Regime.STUDENT_STEPS, steps).with(Regime.OPTIMIZER, optimizer)
                .with(Regime.RECORD_EVERY, every));
    }

    @Test
    void gammaIsNonNegativeOnEveryGeneratedCaseAsAProperty() {
        // γ_t is a mean of squares ‖J_x Δ_T‖² over ‖Δ_T‖²: ≥ 0 in floating point too, not only to first order
        for (StudentOptimizer o : List.of(StudentOptimizer.SGD, StudentOptimizer.ADAM)) {
            Regime r = regime(4, o, 1);
            int[] recorded = {0};
            Outcome<CheckCase> outcome = PropertyCheck.forAll(CheckSpace.everything()).withTries(60).withSeed(SEED)
                    .check(c -> {
                        List<RegimeResult.Point> t = RegimeRun.run(c, r).trajectory();
                        if (t == null) {
                            return; // across architectures Δ_T is not in the student's space: no trajectory
                        }
                        assertThat(t).hasSize(5);
                        for (RegimeResult.Point p : t.subList(1, t.size())) {
                            if (Double.isNaN(p.gamma())) {
                                assertThat(p.dot()).as("γ is undefined only when Δ_T = 0").isZero();
                            } else {
                                assertThat(p.gamma()).as("γ_" + p.step()).isGreaterThanOrEqualTo(0.0).isFinite();
                                recorded[0]++;
                            }
                        }
                    });
            assertThat(outcome.passed()).as(outcome.report("γ_t ≥ 0 under " + o)).isTrue();
            assertThat(recorded[0]).as("cases with a defined γ under " + o).isGreaterThan(100);
        }
    }

    @Test
    void theCumulativeDotEqualsTheSumOfPerStepContributions() {
        UniformRandomProvider rng = Seeds.of(SEED);
        CheckSpace space = CheckSpace.everything();
        int checked = 0;
        for (int i = 0; i < 40; i++) {
            CheckCase c = space.generate(rng);
            for (StudentOptimizer o : List.of(StudentOptimizer.SGD, StudentOptimizer.ADAM)) {
                RegimeResult r = RegimeRun.run(c, regime(12, o, 3));
                if (r.trajectory() == null) {
                    continue;
                }
                assertThat(r.trajectory()).extracting(RegimeResult.Point::step).containsExactly(0, 3, 6, 9, 12);
                RegimeResult.Point last = r.trajectory().get(r.trajectory().size() - 1);
                // U_T·Δ_T from the summed update (the record's end.dot) against the accumulated Σ_k u_k·Δ_T
                assertThat(last.dot()).isEqualTo(r.end().dot());
                for (RegimeResult.Point p : r.trajectory()) {
                    double sum = p.signal() + p.residual();
                    double scale = Math.abs(p.dot()) + Math.abs(p.signal()) + Math.abs(p.residual()) + Double.MIN_NORMAL;
                    assertThat(Math.abs(p.dot() - sum)).as("case " + i + " " + o + " step " + p.step() + ": " + c)
                            .isLessThanOrEqualTo(1e-9 * scale);
                }
                checked++;
            }
        }
        assertThat(checked).isGreaterThan(40);
    }

    @Test
    void atOneStepTheTrajectoryRecordIsTheChecksNumbers() {
        UniformRandomProvider rng = Seeds.of(SEED + 1);
        CheckSpace space = CheckSpace.everything();
        int same = 0;
        for (int i = 0; i < 80; i++) {
            CheckCase c = space.generate(rng);
            RegimeResult r = RegimeRun.run(c, regime(1, StudentOptimizer.SGD, 1));
            if (r.trajectory() == null) {
                continue;
            }
            CheckResult expected = c.run();
            String replay = "seed " + (SEED + 1) + ", case " + i + ": " + c;
            assertThat(r.trajectory()).hasSize(2);
            RegimeResult.Point start = r.trajectory().get(0);
            RegimeResult.Point one = r.trajectory().get(1);
            assertThat(start.step()).isZero();
            assertThat(start.traitLoss()).as(replay).isEqualTo(expected.traitLossBefore());
            assertThat(one.step()).isOne();
            assertThat(Double.valueOf(one.dot())).as(replay).isEqualTo(Double.valueOf(expected.dot()));
            assertThat(Double.valueOf(one.cosine())).as(replay).isEqualTo(Double.valueOf(expected.cosine()));
            assertThat(Double.valueOf(one.traitLoss())).as(replay).isEqualTo(Double.valueOf(expected.traitLossStudent()));
            if (c.setup().sameInit()) {
                // from θ0 the first step's signal is the check's first-order term ε·E[(J Δ_T)ᵀ M (J Δ_T)]
                assertThat(Double.valueOf(one.signal())).as(replay).isEqualTo(Double.valueOf(expected.firstOrder()));
                same++;
            }
        }
        assertThat(same).isGreaterThan(10);
    }
}
