package dev.subliminal.lm.check;

import static org.assertj.core.api.Assertions.assertThat;

import dev.subliminal.lm.transformer.Precision;
import dev.subliminal.lm.transformer.Transformer;
import dev.subliminal.theory.check.CheckResult;
import dev.subliminal.theory.check.CheckSetup;
import dev.subliminal.theory.check.TransmissionCheck;
import dev.subliminal.theory.linalg.Gemm;
import dev.subliminal.theory.model.Batch;
import dev.subliminal.theory.random.Seeds;
import org.apache.commons.rng.UniformRandomProvider;
import org.junit.jupiter.api.Test;

/**
 * The float32 rounding bound of {@link RoundingBound} against float64, on checks of random tiny
 * transformers (both layouts, ε from 1e-5 to 1e-1, same and perturbed inits, vocabulary subsets,
 * temperatures 0.5 to 2; GPT-2 widths ≥ 4, see {@link RoundingCases}) drawn from a seed other than the
 * ones its constant was calibrated on (1 to 4): |Δ̂_S·Δ̂_T − Δ_S·Δ_T| ≤ bound in every case.
 */
class RoundingBoundTest {

    private static final long SEED = 20261205L;
    private static final int CASES = 400;

    /**
     * The bound reads the check's own f_θ0 and J_S Δ_T (no passes of its own): the same A² and F² as a
     * forward pass and a JVP made afresh give, from the same init and a perturbed one.
     */
    @Test
    void theBoundReadsTheOutputsOfTheCheckItself() {
        UniformRandomProvider rng = Seeds.of(SEED + 1);
        for (int i = 0; i < 12; i++) {
            CheckSetup s = LmCase.SPACE.generate(rng).setup();
            Transformer m = ((Transformer) s.teacherModel()).withPrecision(Precision.FLOAT32);
            double[] init = s.theta0().clone();
            if (i % 2 == 1) {
                for (int k = 0; k < init.length; k++) {
                    init[k] += 0.01 * (2 * rng.nextDouble() - 1);
                }
            }
            CheckSetup s32 = new CheckSetup(m, s.theta0(), s.trait(), s.epsilon(), m, init, s.alpha(), s.imitation(),
                    s.studentInputs());
            RoundingBound.Outputs read = new RoundingBound.Outputs(s32);
            assertThat(read.aSquared()).isNaN();
            CheckResult r = TransmissionCheck.run(s32, Gemm.serial(), read);
            Batch f0 = m.forward(s.theta0(), s.studentInputs());
            Batch j = m.jvp(init, s.studentInputs(), r.deltaT());
            double sum = 0;
            for (double v : f0.data()) {
                sum += v * v;
            }
            assertThat(read.aSquared()).as("case %d, seed %d", i, SEED + 1).isEqualTo(s.imitation().bilinear(f0, j, j));
            assertThat(read.fSquared()).as("case %d, seed %d", i, SEED + 1).isEqualTo(sum / f0.rows());
            assertThat(RoundingBound.of(s32, r, read).value()).isPositive().isFinite();
        }
    }

    @Test
    void theBoundHoldsOnFreshCases() {
        UniformRandomProvider rng = Seeds.of(SEED);
        double max = 0;
        String worst = "";
        for (int i = 0; i < CASES; i++) {
            RoundingCases c = RoundingCases.draw(rng);
            assertThat(c.bound().value()).as(c.name()).isPositive().isFinite();
            assertThat(Math.abs(c.rounded() - c.exact())).as("case %d, seed %d: %s", i, SEED, c.name())
                    .isLessThanOrEqualTo(c.bound().value());
            if (c.ratio() > max) {
                max = c.ratio();
                worst = c.name();
            }
        }
        System.out.printf("float32 rounding bound, seed %d: %d cases, largest error/bound %.3g (%s)%n", SEED, CASES, max,
                worst);
    }
}
