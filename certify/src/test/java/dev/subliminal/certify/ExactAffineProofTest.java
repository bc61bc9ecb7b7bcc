package dev.subliminal.certify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.subliminal.linear.AffineClosedForm;
import dev.subliminal.linear.AffineModel;
import dev.subliminal.theory.check.CheckResult;
import dev.subliminal.theory.check.CheckSetup;
import dev.subliminal.theory.check.TransmissionCheck;
import dev.subliminal.theory.loss.SquaredErrorTrait;
import dev.subliminal.theory.loss.WeightedSquaredError;
import dev.subliminal.theory.model.Batch;
import dev.subliminal.theory.random.Seeds;
import java.math.BigDecimal;
import java.util.stream.Stream;
import org.apache.commons.numbers.fraction.BigFraction;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.distribution.ZigguratSampler;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The exact proof against two independent computations: the dense G of {@link AffineClosedForm}
 * (double, entry by entry) for Q, and the double-precision {@link TransmissionCheck}, which must lie
 * within the stated rounding bound of the exact values, from the same and from independent inits,
 * at small and large ε.
 */
class ExactAffineProofTest {

    static Stream<Arguments> cases() {
        return Stream.of(Arguments.of(1, 1, 1e-4, true), Arguments.of(1, 5, 1e-2, false), Arguments.of(5, 1, 1, true),
                Arguments.of(3, 4, 1e-6, false), Arguments.of(6, 2, 10, true), Arguments.of(4, 3, 0.3, false));
    }

    @ParameterizedTest(name = "d = {0}, n = {1}, ε = {2}, same init {3}")
    @MethodSource("cases")
    void exactIdentityAndDoubleResultWithinItsBound(int d, int n, double epsilon, boolean sameInit) {
        UniformRandomProvider rng = Seeds.stream(7, "exact-affine-" + d + "x" + n);
        AffineModel model = new AffineModel(d, n);
        int p = model.parameterCount();
        double[] theta0 = gaussian(rng, p);
        double[] studentInit = sameInit ? theta0.clone() : gaussian(rng, p);
        double[] w = new double[n];
        for (int i = 0; i < n; i++) {
            w[i] = 0.25 + rng.nextDouble();
        }
        int samples = 7;
        Batch x = new Batch(samples, d, gaussian(rng, samples * d));
        SquaredErrorTrait trait = new SquaredErrorTrait(new Batch(5, d, gaussian(rng, 5 * d)),
                new Batch(5, n, gaussian(rng, 5 * n)));
        CheckResult r = TransmissionCheck.run(new CheckSetup(model, theta0, trait, epsilon, model, studentInit, 0.1,
                new WeightedSquaredError(w), x));

        ExactAffineProof proof = ExactAffineProof.prove(model, theta0, studentInit, r.deltaT(), w, x, epsilon);
        assertThat(proof.identityHolds()).as("(Δ_S − Δ_S^c)·Δ_T = ε·Q exactly").isTrue();
        assertThat(proof.quadraticForm().signum()).isPositive();
        if (sameInit) {
            assertThat(proof.dot().subtract(proof.traitPart()).signum()).as("Δ_S·Δ_T = trait part at same init").isZero();
        }
        double q = AffineClosedForm.quadraticForm(AffineClosedForm.gram(model, x, w), r.deltaT(), r.deltaT());
        assertThat(Math.abs(q - proof.quadraticForm().doubleValue())).as("Q against the dense G")
                .isLessThanOrEqualTo(1e-12 * q);

        double bound = ExactAffineProof.doubleErrorBound(model, theta0, studentInit, r.deltaT(), w, x, epsilon);
        BigFraction partError = BigFraction.from(r.traitPart()).subtract(proof.traitPart());
        BigFraction dotError = BigFraction.from(r.dot()).subtract(proof.dot());
        assertThat(abs(partError)).as("double trait part vs exact, bound %s", bound).isLessThanOrEqualTo(bd(bound));
        assertThat(abs(dotError)).as("double Δ_S·Δ_T vs exact, bound %s", bound).isLessThanOrEqualTo(bd(bound));
        assertThat(bound).as("the bound is small enough to fix the sign of the double Δ_S·Δ_T")
                .isLessThan(Math.abs(proof.dot().doubleValue()));
    }

    private static BigDecimal abs(BigFraction f) {
        return ExactAffineProof.decimal(f, 30).abs();
    }

    private static BigDecimal bd(double x) {
        return new BigDecimal(x);
    }

    private static double[] gaussian(UniformRandomProvider rng, int n) {
        ZigguratSampler.NormalizedGaussian g = ZigguratSampler.NormalizedGaussian.of(rng);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = g.sample();
        }
        return v;
    }
}
