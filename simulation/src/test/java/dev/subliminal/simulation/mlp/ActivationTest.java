package dev.subliminal.simulation.mlp;


import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.subliminal.spec.Names;
import dev.subliminal.theory.interval.ActivationForm;
import dev.subliminal.theory.interval.Interval;
import dev.subliminal.theory.interval.RationalInterval;
import org.apache.commons.numbers.fraction.BigFraction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ActivationTest {

    private static final double H = 1e-6;

    @ParameterizedTest
    @EnumSource(Activation.class)
    void derivativeMatchesCentralFiniteDifferences(Activation a) {
        int checked = 0;
        // −8 to 8 in steps of 0.0625 plus a small offset, so no point is 0 (ReLU's kink) or within H of it
        for (int k = -128; k <= 128; k++) {
            double x = k * 0.0625 + 0.01;
            double fd = (a.value(x + H) - a.value(x - H)) / (2 * H);
            double tol = 1e-8 * Math.max(1, Math.abs(a.value(x)));
            assertThat(a.derivative(x)).as("%s'(%s)", a, x).isCloseTo(fd, within(tol));
            checked++;
        }
        assertThat(checked).isEqualTo(257);
    }

    @ParameterizedTest
    @EnumSource(Activation.class)
    void derivativeFromTheValueIsTheDerivative(Activation a) {
        for (double x = -6; x <= 6; x += 0.0625) {
            assertThat(a.derivative(x, a.value(x))).as("x = %s", x).isEqualTo(a.derivative(x));
        }
    }

    @Test
    void derivativesMatchTheirClosedForms() {
        for (double x : new double[] {-3, -0.5, 0.25, 2}) {
            assertThat(Activation.TANH.derivative(x)).isCloseTo(1 / Math.pow(Math.cosh(x), 2), within(1e-15));
            assertThat(Activation.SOFTPLUS.derivative(x)).isCloseTo(1 / (1 + Math.exp(-x)), within(1e-15));
            double phi = Math.exp(-x * x / 2) / Math.sqrt(2 * Math.PI);
            assertThat(Activation.GELU.derivative(x)).isCloseTo(Activation.GELU.value(x) / x + x * phi, within(1e-15));
        }
        assertThat(Activation.RELU.derivative(0)).isZero();
        assertThat(Activation.RELU.derivative(-1e-300)).isZero();
        assertThat(Activation.RELU.derivative(1e-300)).isEqualTo(1.0);
        assertThat(Activation.RELU.value(-2)).isZero();
        assertThat(Activation.RELU.value(2.5)).isEqualTo(2.5);
    }

    /**
     * GELU(x) = x·Φ(x). References: x·Φ(x) evaluated with Python's {@code decimal} at 60 digits, Φ from
     * the Maclaurin series of erf; Φ(1) = 0.8413447460685429, so GELU(−1) = −(1 − Φ(1)) =
     * −0.15865525393145705 (the double nearest the exact −0.158655253931457051...). Tolerance 2e-15
     * relative: in the lower tail the rounding of x/√2 alone moves erfc by about (2x + 1/x)·x·1.1e-16,
     * about 1.1e-15 relative at x = −3.
     */
    @Test
    void geluMatchesReferenceValues() {
        double[][] ref = {
            {1, 0.8413447460685429},
            {-1, -0.15865525393145705},
            {2, 1.9544997361036416},
            {-3, -0.0040496940948902835},
            {0.5, 0.34573123063700656},
            {-0.5, -0.15426876936299344},
        };
        for (double[] r : ref) {
            assertThat(Activation.GELU.value(r[0])).as("GELU(%s)", r[0])
                    .isCloseTo(r[1], within(2e-15 * Math.abs(r[1])));
        }
        assertThat(Activation.GELU.value(0)).isZero();
        // Φ(1) itself, through φ′(x) = Φ(x) + x·ϕ(x) at x = 0: Φ(0) = 1/2
        assertThat(Activation.GELU.derivative(0)).isEqualTo(0.5);
    }

    @Test
    void softplusIsStableAtTheExtremes() {
        assertThat(Activation.SOFTPLUS.value(800)).isEqualTo(800.0);
        assertThat(Activation.SOFTPLUS.value(-800)).isZero();
        assertThat(Activation.SOFTPLUS.derivative(800)).isEqualTo(1.0);
        assertThat(Activation.SOFTPLUS.derivative(-800)).isZero();
        // log(1 + e^−30) = 9.357622968839737e-14 (Python decimal, 60 digits); the naive log(1 + exp(x))
        // would give log(1.0000000000000935) with only 3 correct digits
        assertThat(Activation.SOFTPLUS.value(-30)).isCloseTo(9.357622968839737e-14, within(1e-28));
        assertThat(Activation.SOFTPLUS.value(0)).isCloseTo(Math.log(2), within(1e-16));
        assertThat(Activation.SOFTPLUS.value(30)).isCloseTo(30 + 9.357622968839737e-14, within(1e-14));
        assertThat(Activation.TANH.value(800)).isEqualTo(1.0);
        assertThat(Activation.TANH.derivative(-800)).isZero();
        assertThat(Activation.GELU.value(-800)).isZero();
        assertThat(Activation.GELU.value(800)).isEqualTo(800.0);
        assertThat(Activation.GELU.derivative(-800)).isZero();
    }

    @Test
    void theActivationSettingRoundTripsAndItsErrorsNameTheBadValue() {
        for (Activation a : Activation.values()) {
            assertThat(MlpFamily.ACTIVATION.parse(MlpFamily.ACTIVATION.format(a))).isSameAs(a);
        }
        assertThat(MlpFamily.ACTIVATION.parse(" TANH ")).isSameAs(Activation.TANH);
        assertThat(MlpFamily.ACTIVATION.format(Activation.GELU)).isEqualTo("gelu");
        assertThatThrownBy(() -> MlpFamily.ACTIVATION.parse("sigmoid")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--activation").hasMessageContaining("'sigmoid'")
                .hasMessageContaining("tanh, relu, gelu, softplus");
        assertThatThrownBy(() -> MlpFamily.ACTIVATION.parse("")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("''");
    }

    /**
     * The certifiable activations' interval and rational forms enclose φ and φ′ at points of the
     * interval (φ′ by finite differences away from the kink, and both one-sided slopes when the
     * interval holds ReLU's kink); the others are refused by name.
     */
    @ParameterizedTest
    @EnumSource(Activation.class)
    void certificateFormsEncloseTheFunctionOrAreRefusedByName(Activation a) {
        if (!a.certifiable()) {
            assertThatThrownBy(a::intervalForm).hasMessageContaining(Names.of(a) + " has none (certifiable: tanh, relu)");
            assertThatThrownBy(a::rationalForm).hasMessageContaining("the certificate verifier need an activation");
            return;
        }
        ActivationForm<Interval> i = a.intervalForm();
        ActivationForm<RationalInterval> r = a.rationalForm();
        for (double lo = -3; lo < 3; lo += 0.375) {
            double hi = lo + 0.5;
            Interval z = new Interval(lo, hi);
            RationalInterval q = new RationalInterval(BigFraction.from(lo), BigFraction.from(hi));
            for (double x = lo; x <= hi; x += 0.0625) {
                assertThat(i.value().apply(z).contains(a.value(x))).as("%s(%s) in %s", a, x, i.value().apply(z)).isTrue();
                assertThat(r.value().apply(q).contains(a.value(x))).as("%s(%s) in %s", a, x, r.value().apply(q)).isTrue();
                double[] slopes = x - H < lo || x + H > hi ? new double[] {a.derivative(x)}
                        : new double[] {a.derivative(x), (a.value(x + H) - a.value(x)) / H, (a.value(x) - a.value(x - H)) / H};
                for (double s : slopes) {
                    Interval d = i.derivative().apply(z);
                    RationalInterval e = r.derivative().apply(q);
                    assertThat(d.lo() - 1e-6 <= s && s <= d.hi() + 1e-6).as("%s′ near %s: %s in %s", a, x, s, d).isTrue();
                    assertThat(RationalInterval.down(e.lo()) - 1e-6 <= s && s <= RationalInterval.up(e.hi()) + 1e-6)
                            .as("%s′ near %s: %s in %s", a, x, s, e).isTrue();
                }
            }
        }
        // an interval holding the kink: ReLU′ encloses both one-sided slopes, 0 and 1
        if (a == Activation.RELU) {
            assertThat(i.derivative().apply(new Interval(-1, 1))).isEqualTo(new Interval(0, 1));
            assertThat(r.derivative().apply(new RationalInterval(BigFraction.ZERO, BigFraction.ONE))).isEqualTo(RationalInterval.UNIT);
            assertThat(r.derivative().apply(RationalInterval.ZERO)).isEqualTo(RationalInterval.UNIT);
        }
    }
}
