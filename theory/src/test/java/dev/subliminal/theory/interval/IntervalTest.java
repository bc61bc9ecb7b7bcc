package dev.subliminal.theory.interval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.subliminal.theory.property.Generator;
import dev.subliminal.theory.property.Outcome;
import dev.subliminal.theory.property.PropertyCheck;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.List;
import java.util.function.BinaryOperator;
import java.util.function.UnaryOperator;
import org.apache.commons.numbers.fraction.BigFraction;
import org.apache.commons.rng.UniformRandomProvider;
import org.junit.jupiter.api.Test;

/**
 * Every interval operation encloses the exact result: for +, −, ×, x² and 1/x the exact extremes are
 * computed in exact fractions (they sit at the endpoints); for exp and tanh a 60-digit Taylor series
 * in {@link BigDecimal} is the reference. 2,000 generated pairs per operation, spread over 60 binades
 * and both signs, with zero and degenerate intervals among the edge cases. Failures print the pair.
 */
class IntervalTest {

    private static final long SEED = 20261127L;
    private static final int TRIES = 2000;
    private static final MathContext MC = new MathContext(60, RoundingMode.HALF_EVEN);

    /** Pairs of intervals with endpoints m·2^e, e ∈ [−30, 30], sometimes 0 or degenerate. */
    private static final Generator<List<Interval>> PAIRS = new Generator<>() {
        @Override
        public List<Interval> generate(UniformRandomProvider rng) {
            return List.of(interval(rng), interval(rng));
        }

        @Override
        public List<List<Interval>> edgeCases() {
            return List.of(List.of(Interval.ZERO, Interval.ONE), List.of(Interval.of(-1), Interval.of(3)),
                    List.of(new Interval(-2, 5), new Interval(-7, 0.5)), List.of(Interval.of(0.1), Interval.of(0.2)));
        }
    };

    private static Interval interval(UniformRandomProvider rng) {
        double a = value(rng);
        return rng.nextInt(5) == 0 ? Interval.of(a) : Interval.hull(a, value(rng));
    }

    private static double value(UniformRandomProvider rng) {
        if (rng.nextInt(10) == 0) {
            return 0;
        }
        double m = 1 + rng.nextDouble();
        return (rng.nextBoolean() ? m : -m) * Math.scalb(1.0, rng.nextInt(61) - 30);
    }

    private static void check(String name, BinaryOperator<Interval> op, BinaryOperator<BigFraction[]> exact) {
        Outcome<List<Interval>> o = PropertyCheck.forAll(PAIRS).withTries(TRIES).withSeed(SEED).check(q -> {
            Interval[] p = q.toArray(new Interval[0]);
            Interval r = op.apply(p[0], p[1]);
            BigFraction[] e = exact.apply(new BigFraction[] {f(p[0].lo()), f(p[0].hi())},
                    new BigFraction[] {f(p[1].lo()), f(p[1].hi())});
            assertThat(cmp(f(r.lo()), e[0])).as("%s lo of %s, %s = %s", name, p[0], p[1], r).isLessThanOrEqualTo(0);
            assertThat(cmp(f(r.hi()), e[1])).as("%s hi of %s, %s = %s", name, p[0], p[1], r).isGreaterThanOrEqualTo(0);
            // tight: at most a few ulps wider than the exact hull
            assertThat(r.lo()).isGreaterThanOrEqualTo(Math.nextDown(Math.nextDown(e[0].doubleValue())));
            assertThat(r.hi()).isLessThanOrEqualTo(Math.nextUp(Math.nextUp(e[1].doubleValue())));
        });
        assertThat(o.passed()).as(o.report(name)).isTrue();
    }

    /**
     * The sign of a − b. ({@code BigFraction.compareTo} of Commons Numbers 1.2 orders negative
     * fractions by magnitude: −1 compares below −2.)
     */
    private static int cmp(BigFraction a, BigFraction b) {
        return a.subtract(b).signum();
    }

    private static BigFraction f(double x) {
        return BigFraction.from(x);
    }

    private static BigFraction[] hull(BigFraction... v) {
        BigFraction lo = v[0];
        BigFraction hi = v[0];
        for (BigFraction x : v) {
            lo = cmp(x, lo) < 0 ? x : lo;
            hi = cmp(x, hi) > 0 ? x : hi;
        }
        return new BigFraction[] {lo, hi};
    }

    @Test
    void additionEnclosesTheExactSum() {
        check("X + Y", Interval::add, (x, y) -> new BigFraction[] {x[0].add(y[0]), x[1].add(y[1])});
    }

    @Test
    void subtractionEnclosesTheExactDifference() {
        check("X − Y", Interval::subtract, (x, y) -> new BigFraction[] {x[0].subtract(y[1]), x[1].subtract(y[0])});
    }

    @Test
    void multiplicationEnclosesTheExactProduct() {
        check("X · Y", Interval::multiply, (x, y) -> hull(x[0].multiply(y[0]), x[0].multiply(y[1]),
                x[1].multiply(y[0]), x[1].multiply(y[1])));
    }

    @Test
    void squareAndReciprocalEncloseTheExactValues() {
        check("X²", (x, y) -> x.square(), (x, y) -> {
            BigFraction[] h = hull(x[0].multiply(x[0]), x[1].multiply(x[1]));
            boolean straddles = x[0].signum() <= 0 && x[1].signum() >= 0;
            return new BigFraction[] {straddles ? BigFraction.ZERO : h[0], h[1]};
        });
        check("1/X", (x, y) -> x.lo() > 0 || x.hi() < 0 ? x.reciprocal() : Interval.ONE, (x, y) -> {
            boolean straddles = x[0].signum() <= 0 && x[1].signum() >= 0;
            return straddles ? new BigFraction[] {BigFraction.ONE, BigFraction.ONE}
                    : new BigFraction[] {x[1].reciprocal(), x[0].reciprocal()};
        });
        assertThatThrownBy(() -> new Interval(-1, 2).reciprocal()).isInstanceOf(ArithmeticException.class);
    }

    @Test
    void expAndTanhEncloseHighPrecisionValues() {
        checkTranscendental("exp", Interval::exp, IntervalTest::exp, 40);
        checkTranscendental("tanh", Interval::tanh, x -> {
            BigDecimal e2 = exp(x.multiply(BigDecimal.valueOf(2)));
            return e2.subtract(BigDecimal.ONE).divide(e2.add(BigDecimal.ONE), MC);
        }, 20);
    }

    private static void checkTranscendental(String name, UnaryOperator<Interval> op,
            java.util.function.Function<BigDecimal, BigDecimal> reference, double range) {
        Outcome<List<Interval>> o = PropertyCheck.forAll(PAIRS).withTries(TRIES).withSeed(SEED).check(q -> {
            Interval[] p = q.toArray(new Interval[0]);
            Interval x = new Interval(Math.max(-range, Math.min(range, p[0].lo())),
                    Math.max(-range, Math.min(range, p[0].hi())));
            Interval r = op.apply(x);
            BigDecimal lo = reference.apply(new BigDecimal(x.lo()));
            BigDecimal hi = reference.apply(new BigDecimal(x.hi()));
            assertThat(new BigDecimal(r.lo()).compareTo(lo)).as("%s lo of %s = %s vs %s", name, x, r, lo)
                    .isLessThanOrEqualTo(0);
            assertThat(new BigDecimal(r.hi()).compareTo(hi)).as("%s hi of %s = %s vs %s", name, x, r, hi)
                    .isGreaterThanOrEqualTo(0);
        });
        assertThat(o.passed()).as(o.report(name)).isTrue();
    }

    /** e^x to 60 digits: e^(x/2^k) by its Taylor series, squared k times. */
    private static BigDecimal exp(BigDecimal x) {
        int k = 10;
        BigDecimal y = x.divide(BigDecimal.valueOf(1024), MC);
        BigDecimal term = BigDecimal.ONE;
        BigDecimal sum = BigDecimal.ONE;
        for (int i = 1; i < 60; i++) {
            term = term.multiply(y, MC).divide(BigDecimal.valueOf(i), MC);
            sum = sum.add(term, MC);
        }
        for (int i = 0; i < k; i++) {
            sum = sum.multiply(sum, MC);
        }
        return sum;
    }

    @Test
    void reluIsExactAndNaNIsRefused() {
        assertThat(new Interval(-2, 3).relu()).isEqualTo(new Interval(0, 3));
        assertThat(new Interval(-2, -1).relu()).isEqualTo(Interval.ZERO);
        assertThatThrownBy(() -> new Interval(Double.NaN, 1)).isInstanceOf(ArithmeticException.class);
        assertThatThrownBy(() -> new Interval(2, 1)).isInstanceOf(IllegalArgumentException.class);
        Interval inf = new Interval(Double.NEGATIVE_INFINITY, 0);
        assertThat(inf.isFinite()).isFalse();
    }
}
