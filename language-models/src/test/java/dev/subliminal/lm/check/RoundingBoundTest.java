package dev.subliminal.lm.check;

import static org.assertj.core.api.Assertions.assertThat;

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
