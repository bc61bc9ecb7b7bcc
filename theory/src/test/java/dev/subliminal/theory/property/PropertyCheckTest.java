package dev.subliminal.theory.property;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.commons.rng.UniformRandomProvider;
import org.junit.jupiter.api.Test;

class PropertyCheckTest {

    /**
     * Lists of 0..8 integers in [0, 60]. Shrinking, most aggressive first: remove an element, merge two
     * adjacent elements into their sum, then for each element x > 0 halve it and move it closer to x−1.
     * Every candidate is shorter, or as long with a smaller sum, so shrinking terminates.
     */
    static final class IntLists implements Generator<List<Integer>> {
        static final List<List<Integer>> EDGES = List.of(List.of(), List.of(0), List.of(60));

        @Override
        public List<Integer> generate(UniformRandomProvider rng) {
            int n = rng.nextInt(9);
            List<Integer> out = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                out.add(rng.nextInt(61));
            }
            return List.copyOf(out);
        }

        @Override
        public List<List<Integer>> edgeCases() {
            return EDGES;
        }

        @Override
        public Stream<List<Integer>> shrink(List<Integer> value) {
            int n = value.size();
            Stream<List<Integer>> removals = IntStream.range(0, n).mapToObj(i -> {
                List<Integer> c = new ArrayList<>(value);
                c.remove(i);
                return List.copyOf(c);
            });
            Stream<List<Integer>> merges = IntStream.range(0, Math.max(0, n - 1)).mapToObj(i -> {
                List<Integer> c = new ArrayList<>(value);
                c.set(i, c.get(i) + c.remove(i + 1));
                return List.copyOf(c);
            });
            Stream<List<Integer>> smaller = IntStream.range(0, n).boxed().flatMap(i -> {
                int x = value.get(i);
                List<List<Integer>> cs = new ArrayList<>();
                // x − d for d = x − x/2 (halving), then halving d down to 1
                for (int d = x - x / 2; d >= 1; d /= 2) {
                    List<Integer> c = new ArrayList<>(value);
                    c.set(i, x - d);
                    cs.add(List.copyOf(c));
                }
                return cs.stream();
            });
            return Stream.concat(removals, Stream.concat(merges, smaller));
        }
    }

    /** The same generator without a shrinker, so the property runs exactly once per case. */
    static final class NoShrink implements Generator<List<Integer>> {
        final IntLists inner = new IntLists();

        @Override
        public List<Integer> generate(UniformRandomProvider rng) {
            return inner.generate(rng);
        }

        @Override
        public List<List<Integer>> edgeCases() {
            return inner.edgeCases();
        }
    }

    private static int sum(List<Integer> xs) {
        return xs.stream().mapToInt(Integer::intValue).sum();
    }

    private static final Property<List<Integer>> SUM_BELOW_100 = xs -> {
        if (sum(xs) >= 100) {
            throw new IllegalStateException("sum " + sum(xs) + " ≥ 100");
        }
    };

    @Test
    void falsifiedPropertyShrinksToAMinimalCounterexample() {
        PropertyCheck<List<Integer>> check = PropertyCheck.forAll(new IntLists()).withSeed(42);
        Outcome<List<Integer>> outcome = check.check(SUM_BELOW_100);
        System.out.println("expected counterexample (this test checks the shrinker on a claim false by design): "
                + outcome.report("sum < 100"));

        assertThat(outcome.passed()).isFalse();
        assertThat(outcome.failures()).isEqualTo(1);
        Counterexample<List<Integer>> c = outcome.falsified().orElseThrow();
        assertThat(sum(c.original())).isGreaterThanOrEqualTo(100);
        assertThat(c.shrunk()).containsExactly(100);
        assertThat(c.shrinkSteps()).isPositive();
        assertThat(c.reason()).isEqualTo("IllegalStateException: sum 100 ≥ 100");
        // the first failure was a random case (none of the edge cases fails), and it stopped there
        assertThat(c.caseIndex()).isGreaterThanOrEqualTo(IntLists.EDGES.size());
        assertThat(c.caseSeed()).isNotNegative();
        assertThat(outcome.casesRun()).isEqualTo(c.caseIndex() + 1);
        // replaying the case seed regenerates the original failing case
        assertThat(check.replay(c.caseSeed())).isEqualTo(c.original());
        // and so does a fresh check object with a different run seed: replay depends only on the case seed
        assertThat(PropertyCheck.forAll(new IntLists()).withSeed(7).replay(c.caseSeed())).isEqualTo(c.original());
    }

    @Test
    void runsReplayFromTheSeed() {
        Outcome<List<Integer>> a = PropertyCheck.forAll(new IntLists()).withSeed(42).check(SUM_BELOW_100);
        Outcome<List<Integer>> b = PropertyCheck.forAll(new IntLists()).withSeed(42).check(SUM_BELOW_100);
        assertThat(b).isEqualTo(a);
        // different run seeds draw different cases
        List<List<Integer>> seen1 = new ArrayList<>();
        List<List<Integer>> seen2 = new ArrayList<>();
        PropertyCheck.forAll(new NoShrink()).withSeed(1).withTries(20).check(seen1::add);
        PropertyCheck.forAll(new NoShrink()).withSeed(2).withTries(20).check(seen2::add);
        assertThat(seen1.subList(3, 20)).isNotEqualTo(seen2.subList(3, 20));
    }

    @Test
    void edgeCasesAreTriedFirst() {
        List<List<Integer>> seen = new ArrayList<>();
        Outcome<List<Integer>> outcome = PropertyCheck.forAll(new NoShrink()).withTries(10).check(seen::add);
        assertThat(outcome.passed()).isTrue();
        assertThat(seen).hasSize(10);
        assertThat(seen.subList(0, 3)).isEqualTo(IntLists.EDGES);

        // an edge case that fails is reported as one, with no case seed
        Outcome<List<Integer>> nonEmpty = PropertyCheck.forAll(new IntLists()).check(xs -> {
            if (xs.isEmpty()) {
                throw new AssertionError("empty list");
            }
        });
        Counterexample<List<Integer>> c = nonEmpty.falsified().orElseThrow();
        assertThat(c.caseIndex()).isZero();
        assertThat(c.caseSeed()).isEqualTo(-1);
        assertThat(c.original()).isEmpty();
        assertThat(c.shrunk()).isEmpty();
        assertThat(c.shrinkSteps()).isZero();
        assertThat(c.reason()).isEqualTo("AssertionError: empty list");
        assertThat(nonEmpty.report("non-empty")).contains("edge case 0").contains("seed 1");

        // with fewer tries than edge cases, only that many edge cases run
        List<List<Integer>> few = new ArrayList<>();
        assertThat(PropertyCheck.forAll(new NoShrink()).withTries(2).check(few::add).casesRun()).isEqualTo(2);
        assertThat(few).isEqualTo(IntLists.EDGES.subList(0, 2));
    }

    @Test
    void trueClaimPassesAfterEveryTry() {
        Outcome<List<Integer>> outcome = PropertyCheck.forAll(new IntLists()).withSeed(7).withTries(137)
                .check(xs -> {
                    if (sum(xs) < 0 || xs.size() > 8) {
                        throw new IllegalStateException("impossible");
                    }
                });
        assertThat(outcome.passed()).isTrue();
        assertThat(outcome.casesRun()).isEqualTo(137);
        assertThat(outcome.failures()).isZero();
        assertThat(outcome.falsified()).isEmpty();
        assertThat(outcome.seed()).isEqualTo(7);
        assertThat(outcome.report("bounded")).isEqualTo("claim 'bounded': no counterexample in 137 cases (seed 7)");
        assertThat(PropertyCheck.forAll(new IntLists()).check(xs -> { }).casesRun()).isEqualTo(200);
    }

    /**
     * A property "sum < 100" with the assumption "no element is 0": failing lists holding a 0 are
     * counted apart, shrunk among failing lists that still hold a 0, and are no counterexample; the
     * search goes on to the first failure inside the assumption, which shrinks as before.
     */
    @Test
    void failuresOutsideTheAssumptionsAreCountedApartAndAreNoCounterexample() {
        List<List<Integer>> seen = new ArrayList<>();
        Property<List<Integer>> recorded = xs -> {
            seen.add(xs);
            SUM_BELOW_100.check(xs);
        };
        java.util.function.Function<List<Integer>, String> zero = xs -> xs.contains(0) ? "holds a 0" : null;
        Outcome<List<Integer>> o = PropertyCheck.forAll(new NoShrink()).withSeed(3).withTries(300)
                .countingAllFailures().withAssumptions(zero).check(recorded);
        long outside = seen.stream().filter(xs -> sum(xs) >= 100 && xs.contains(0)).count();
        long inside = seen.stream().filter(xs -> sum(xs) >= 100 && !xs.contains(0)).count();
        assertThat(outside).isPositive();
        assertThat(inside).isPositive();
        assertThat(o.outside()).isEqualTo((int) outside);
        assertThat(o.failures()).isEqualTo((int) inside);
        assertThat(o.outsideExample().original()).contains(0);
        assertThat(o.outsideExample().reason()).endsWith("; outside the assumptions: holds a 0");
        assertThat(o.counterexample().original()).doesNotContain(0);
        assertThat(o.report("sum < 100")).contains(outside + " failing cases outside the claim's assumptions");

        // shrinking keeps each kind: the smallest failing list outside the assumption still holds a 0
        Outcome<List<Integer>> shrunk = PropertyCheck.forAll(new IntLists()).withSeed(3).withTries(300).countingAllFailures()
                .withAssumptions(zero).check(SUM_BELOW_100);
        List<Integer> small = shrunk.outsideExample().shrunk();
        assertThat(small).contains(0).hasSizeLessThanOrEqualTo(shrunk.outsideExample().original().size());
        assertThat(sum(small)).isGreaterThanOrEqualTo(100).isLessThanOrEqualTo(sum(shrunk.outsideExample().original()));
        assertThat(shrunk.counterexample().shrunk()).containsExactly(100);
        // a property that never fails reports nothing apart
        assertThat(PropertyCheck.forAll(new IntLists()).withAssumptions(zero).check(xs -> { }).outside()).isZero();
    }

    @Test
    void countingAllFailuresCountsEveryFailingCase() {
        List<List<Integer>> seen = new ArrayList<>();
        Property<List<Integer>> recorded = xs -> {
            seen.add(xs);
            SUM_BELOW_100.check(xs);
        };
        Outcome<List<Integer>> outcome = PropertyCheck.forAll(new NoShrink()).withSeed(3).withTries(300)
                .countingAllFailures().check(recorded);
        long expected = seen.stream().filter(xs -> sum(xs) >= 100).count();
        assertThat(seen).hasSize(300);
        assertThat(outcome.casesRun()).isEqualTo(300);
        assertThat(expected).isBetween(1L, 299L);
        assertThat(outcome.failures()).isEqualTo((int) expected);
        // the counterexample is still the first failure
        List<Integer> firstFailure = seen.stream().filter(xs -> sum(xs) >= 100).findFirst().orElseThrow();
        assertThat(outcome.falsified().orElseThrow().original()).isEqualTo(firstFailure);
        assertThat(outcome.falsified().orElseThrow().caseIndex()).isEqualTo(seen.indexOf(firstFailure));
        assertThat(outcome.report("sum < 100")).contains("falsified by " + expected + " of 300 cases");

        // by default the run stops at the first failure
        seen.clear();
        Outcome<List<Integer>> stopped = PropertyCheck.forAll(new NoShrink()).withSeed(3).withTries(300).check(recorded);
        assertThat(stopped.failures()).isEqualTo(1);
        assertThat(stopped.casesRun()).isEqualTo(seen.indexOf(firstFailure) + 1).isEqualTo(seen.size());
    }

    @Test
    void reportNamesTheSeedTheCaseSeedAndTheShrunkCase() {
        Outcome<List<Integer>> outcome = PropertyCheck.forAll(new IntLists()).withSeed(123_456_789L).check(SUM_BELOW_100);
        Counterexample<List<Integer>> c = outcome.falsified().orElseThrow();
        String report = outcome.report("sum < 100");
        assertThat(report).contains("claim 'sum < 100'").contains("seed 123456789")
                .contains("case seed " + c.caseSeed()).contains("case " + c.caseIndex())
                .contains("shrunk in " + c.shrinkSteps() + " steps to: [100]")
                .contains("because: IllegalStateException: sum 100 ≥ 100")
                .contains("first failure").contains(c.original().toString());
    }

    @Test
    void invalidTriesAreRejected() {
        assertThatThrownBy(() -> PropertyCheck.forAll(new IntLists()).withTries(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tries = 0");
        assertThatThrownBy(() -> PropertyCheck.forAll(null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("generator");
    }
}
