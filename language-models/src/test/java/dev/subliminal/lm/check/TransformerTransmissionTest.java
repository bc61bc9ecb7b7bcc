package dev.subliminal.lm.check;

import static org.assertj.core.api.Assertions.assertThat;

import dev.subliminal.theory.check.CheckResult;
import dev.subliminal.theory.check.TransmissionCheck;
import dev.subliminal.theory.param.Vectors;
import dev.subliminal.theory.property.Outcome;
import dev.subliminal.theory.property.PropertyCheck;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The one-step theorem on transformers, over random tiny GPT-2 and Llama configurations from the
 * project's property engine (same init, answer-likelihood trait, sequence cross-entropy imitation):
 * the first-order term ε·Δ_Tᵀ G Δ_T is ≥ 0 exactly, and the first-order prediction of Δ_S·Δ_T errs by
 * O(ε²) (the error falls 4-fold per halving of ε), with Δ_S·Δ_T > 0 and L_T dropping at small ε.
 * Every run prints its seed; a failure prints the shrunk case as a constructor call that replays it.
 */
class TransformerTransmissionTest {

    private static final long SEED = 20261203L;
    private static final int TRIES = 200;

    @Test
    void sameInitFirstOrderTermIsNonNegative() {
        Outcome<LmCase> o = PropertyCheck.forAll(LmCase.SPACE).withTries(TRIES).withSeed(SEED).check(c -> {
            CheckResult r = c.run();
            assertThat(r.firstOrder()).as("first-order term").isGreaterThanOrEqualTo(0.0);
            assertThat(Vectors.norm(r.deltaSControl())).as("control update at same init").isZero();
            assertThat(r.traitPart()).as("trait part equals Δ_S·Δ_T at same init").isEqualTo(r.dot());
        });
        System.out.println(o.report("transformers, same init: first-order term ≥ 0"));
        assertThat(o.passed()).as(o.report("first order")).isTrue();
        assertThat(o.casesRun()).isEqualTo(TRIES);
    }

    @Test
    void sameInitErrorIsSecondOrderAndTraitLossDrops() {
        List<Double> ratios = new ArrayList<>();
        Outcome<LmCase> o = PropertyCheck.forAll(LmCase.SPACE).withTries(TRIES).withSeed(SEED).check(c -> {
            CheckResult base = c.run();
            assertThat(base.firstOrder()).as("first-order term of a generic case").isPositive();
            // ε in units of the teacher's step ‖Δ_T‖, halved until the error ratio settles at 4; rounding in
            // Δ_S is about 1e-16/ε relative, so only errors far above it show the order.
            double eps = 1e-2 / Vectors.norm(base.deltaT());
            CheckResult big = c.withEpsilon(eps).run();
            CheckResult half = c.withEpsilon(eps / 2).run();
            double best = Double.NaN;
            for (int k = 0; k < 12 && half.absoluteError() > 1e-7 * half.firstOrder(); k++) {
                double ratio = big.absoluteError() / half.absoluteError();
                if (Double.isNaN(best) || Math.abs(ratio - 4) < Math.abs(best - 4)) {
                    best = ratio;
                }
                if (Math.abs(ratio - 4) < 0.5) {
                    break;
                }
                eps /= 2;
                big = half;
                half = c.withEpsilon(eps / 2).run();
            }
            assertThat(big.dot()).as("Δ_S·Δ_T at small ε").isPositive();
            assertThat(half.dot()).as("Δ_S·Δ_T at ε/2").isPositive();
            if (!Double.isNaN(best)) {
                synchronized (ratios) {
                    ratios.add(best);
                }
                assertThat(best).as("error(ε)/error(ε/2) closest to 4, last ε = %s", eps).isGreaterThan(3.5);
            }
            if (LmCase.ALPHA * half.firstOrder() > 1e-11 * Math.max(1, half.traitLossBefore())) {
                assertThat(half.traitLossStudent()).as("L_T after the student's step").isLessThan(half.traitLossBefore());
            }
        });
        System.out.println(o.report("transformers, same init: error O(ε²), Δ_S·Δ_T > 0, L_T drops"));
        System.out.println("convergence order measured on " + ratios.size() + " cases; error ratios in ["
                + ratios.stream().mapToDouble(d -> d).min().orElse(Double.NaN) + ", "
                + ratios.stream().mapToDouble(d -> d).max().orElse(Double.NaN) + "]");
        assertThat(o.passed()).as(o.report("convergence")).isTrue();
        assertThat(ratios.size()).as("cases with a measurable second-order error").isGreaterThan(TRIES / 2);
        long aboutFour = ratios.stream().filter(r -> Math.abs(r - 4) < 0.5).count();
        assertThat(aboutFour).as("cases whose error ratio settles at 4 ± 0.5")
                .isGreaterThanOrEqualTo((long) Math.ceil(0.9 * ratios.size()));
    }

    /**
     * A GPT-2 teacher and a Llama student of the same vocabulary and length: the check runs, Δ_S·Δ_T is
     * undefined (NaN) and only the functional comparison (L_T of student and control) is reported.
     */
    @Test
    void acrossArchitecturesOnlyTheFunctionalComparisonIsDefined() {
        LmCase gpt = new LmCase(dev.subliminal.lm.transformer.TransformerConfig.Layout.GPT2, 1, 2, 2, 2, 4, 8, 11, 5,
                2, 2, 1, false, 0.5, 1e-2, 4);
        LmCase llama = new LmCase(dev.subliminal.lm.transformer.TransformerConfig.Layout.LLAMA, 1, 2, 1, 2, 6, 8, 11,
                5, 2, 2, 1, false, 0.5, 1e-2, 4);
        dev.subliminal.theory.check.CheckSetup t = gpt.setup();
        dev.subliminal.theory.check.CheckSetup s = llama.setup();
        CheckResult r = TransmissionCheck.run(new dev.subliminal.theory.check.CheckSetup(t.teacherModel(), t.theta0(),
                t.trait(), t.epsilon(), s.studentModel(), s.studentInit(), LmCase.ALPHA, t.imitation(),
                t.studentInputs()));
        assertThat(r.sameArchitecture()).isFalse();
        assertThat(r.dot()).isNaN();
        assertThat(r.traitLossStudent()).isFinite();
        assertThat(r.traitLossControl()).isFinite();
        assertThat(r.deltaS()).hasSize(s.studentModel().parameterCount());
    }
}
