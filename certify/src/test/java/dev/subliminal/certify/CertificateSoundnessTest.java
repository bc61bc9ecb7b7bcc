package dev.subliminal.certify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.subliminal.simulation.check.CheckConfig;
import dev.subliminal.simulation.check.CheckCase;
import dev.subliminal.simulation.check.CheckSpace;
import dev.subliminal.simulation.check.StudentInit;
import dev.subliminal.simulation.mlp.Activation;
import dev.subliminal.simulation.mlp.MlpFamily;
import dev.subliminal.spec.Architecture;
import dev.subliminal.theory.check.CheckResult;
import dev.subliminal.theory.check.CheckSetup;
import dev.subliminal.theory.interval.Interval;
import dev.subliminal.theory.param.Vectors;
import dev.subliminal.theory.property.Outcome;
import dev.subliminal.theory.property.PropertyCheck;
import dev.subliminal.theory.random.Seeds;
import java.math.BigDecimal;
import org.apache.commons.rng.UniformRandomProvider;
import org.junit.jupiter.api.Test;

/**
 * Soundness of the interval certificates over generated networks (linear, tanh and ReLU MLPs; same
 * and independent inits; squared error and cross-entropy at several temperatures and distilled
 * subsets): wherever a range (0, ε*] is certified, the 50-digit reference {@link HighPrecision}
 * value of (Δ_S − Δ_S^c)·Δ_T at ε*, ε* / 2, a random ε in the range and ε* / 1000 is > 0 and, divided by
 * ε, lies inside the certified enclosure.
 */
class CertificateSoundnessTest {

    private static final long SEED = 20261127L;
    private static final int TRIES = 200;

    static TransmissionCertifier certifier(CheckCase c, CheckSetup s, double[] deltaT) {
        return new TransmissionCertifier(c.config().teacher().intervalForm(), s.theta0(), s.studentInit(), deltaT,
                s.imitation(), s.studentInputs());
    }

    @Test
    void everyCertifiedRangeHoldsAtSampledEpsilons() {
        CheckSpace space = CheckSpace.everything().restrict(MlpFamily.ACTIVATION, Activation.TANH, Activation.RELU)
                .withInits(StudentInit.SAME, StudentInit.INDEPENDENT).withMaxSamples(8, 6);
        int[] certified = {0};
        Outcome<CheckCase> o = PropertyCheck.forAll(space).withTries(TRIES).withSeed(SEED).check(c -> {
            CheckSetup s = c.setup();
            double[] deltaT = Vectors.scale(-1, s.trait().gradient(s.teacherModel(), s.theta0()));
            CertifiedRange range = certifier(c, s, deltaT).certifyTraitPart();
            if (!range.certified()) {
                return;
            }
            certified[0]++;
            Architecture a = c.config().teacher();
            UniformRandomProvider rng = Seeds.stream(c.seed(), "certify-soundness");
            double star = range.epsilon();
            for (double eps : new double[] {star, star / 2, star * rng.nextDouble(), star / 1000}) {
                if (eps == 0) {
                    continue;
                }
                BigDecimal exact = HighPrecision.traitPart(a, s.theta0(), s.studentInit(), deltaT, eps, s.imitation(),
                        s.studentInputs());
                assertThat(exact.signum()).as("sign of the trait part at ε = %s in (0, %s]", eps, star).isPositive();
                Interval e = range.enclosure();
                BigDecimal ratio = exact.divide(new BigDecimal(eps), HighPrecision.MC);
                assertThat(ratio.compareTo(new BigDecimal(e.lo())) >= 0 && ratio.compareTo(new BigDecimal(e.hi())) <= 0)
                        .as("trait part / ε = %s at ε = %s inside the certified %s", ratio, eps, e).isTrue();
            }
        });
        System.out.println(o.report("certified trait-part ranges are sound") + "; " + certified[0] + " of " + o.casesRun()
                + " cases certified");
        assertThat(o.passed()).as(o.report("soundness")).isTrue();
        assertThat(certified[0]).as("cases with a certified range").isGreaterThan(TRIES / 2);
    }

    /**
     * The trait-loss certificate (same init): at ε*, ε* / 2 and a random ε in the certified range, the
     * double-precision (L_T(θ_S) − L_T(θ_S0)) / (αε) of the check lies in the certified enclosure up to
     * its rounding error, taken as 1e-13·max(1, L_T) / (αε), and is < 0 wherever it exceeds that error.
     */
    @Test
    void everyCertifiedTraitLossRangeHoldsAtSampledEpsilons() {
        CheckSpace space = CheckSpace.everything().restrict(MlpFamily.ACTIVATION, Activation.TANH, Activation.RELU)
                .withInits(StudentInit.SAME).withMaxSamples(8, 6);
        int[] certified = {0};
        Outcome<CheckCase> o = PropertyCheck.forAll(space).withTries(TRIES).withSeed(SEED).check(c -> {
            CheckSetup s = c.setup();
            double[] deltaT = Vectors.scale(-1, s.trait().gradient(s.teacherModel(), s.theta0()));
            CertifiedRange range = certifier(c, s, deltaT).certifyTraitLoss(s.trait(), s.alpha());
            if (!range.certified()) {
                return;
            }
            certified[0]++;
            UniformRandomProvider rng = Seeds.stream(c.seed(), "certify-trait-loss");
            double star = range.epsilon();
            for (double eps : new double[] {star, star / 2, star * rng.nextDouble()}) {
                if (eps == 0) {
                    continue;
                }
                CheckResult r = new CheckCase(c.config().with(CheckConfig.EPSILON, eps), c.seed(), null).run();
                double scale = s.alpha() * eps;
                double v = r.traitLossChange() / scale;
                double tol = 1e-13 * Math.max(1, r.traitLossBefore()) / scale;
                Interval e = range.enclosure();
                assertThat(v).as("(L_T(θ_S) − L_T(θ_S0))/(αε) at ε = %s in (0, %s], tolerance %s", eps, star, tol)
                        .isBetween(e.lo() - tol, e.hi() + tol);
                if (Math.abs(v) > tol) {
                    assertThat(v).isNegative();
                }
            }
        });
        System.out.println(o.report("certified trait-loss ranges are sound") + "; " + certified[0] + " of "
                + o.casesRun() + " cases certified");
        assertThat(o.passed()).as(o.report("soundness")).isTrue();
        assertThat(certified[0]).as("cases with a certified range").isGreaterThan(TRIES / 2);
    }
}
