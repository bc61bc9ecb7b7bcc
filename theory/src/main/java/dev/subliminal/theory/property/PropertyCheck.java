package dev.subliminal.theory.property;

import dev.subliminal.theory.random.Seeds;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * The property engine: checks a {@link Property} on a generator's edge cases, then on random cases
 * whose seeds derive from one run seed, and greedily shrinks the first failure to a smallest failing
 * case. Case i (after the edge cases) is generated from {@code Seeds.derive(seed, i)}, which is
 * printed with any failure, so one case replays on its own.
 *
 * <p>Immutable: {@code with...} methods return a new instance.
 *
 * @param <T> the case type
 */
public final class PropertyCheck<T> {

    private static final int MAX_SHRINK_STEPS = 10_000;

    private final Generator<T> generator;
    private final int tries;
    private final long seed;
    private final boolean stopAtFirstFailure;
    private final Function<T, String> outside;

    private PropertyCheck(Generator<T> generator, int tries, long seed, boolean stopAtFirstFailure,
            Function<T, String> outside) {
        this.generator = Objects.requireNonNull(generator, "generator");
        if (tries < 1) {
            throw new IllegalArgumentException("tries = " + tries + " must be ≥ 1");
        }
        this.tries = tries;
        this.seed = seed;
        this.stopAtFirstFailure = stopAtFirstFailure;
        this.outside = Objects.requireNonNull(outside, "assumptions");
    }

    /** 200 tries, seed 1, stop at the first failure, no assumptions. */
    public static <T> PropertyCheck<T> forAll(Generator<T> generator) {
        return new PropertyCheck<>(generator, 200, 1, true, c -> null);
    }

    /** The number of cases to check, edge cases included. */
    public PropertyCheck<T> withTries(int n) {
        return new PropertyCheck<>(generator, n, seed, stopAtFirstFailure, outside);
    }

    /** The run seed. */
    public PropertyCheck<T> withSeed(long s) {
        return new PropertyCheck<>(generator, tries, s, stopAtFirstFailure, outside);
    }

    /** Keep checking after the first failure, so that the failure rate is counted over all tries. */
    public PropertyCheck<T> countingAllFailures() {
        return new PropertyCheck<>(generator, tries, seed, false, outside);
    }

    /**
     * The property's assumptions: {@code outside} says why a case lies outside them (or returns null
     * when it does not), and is asked only about cases on which the property fails. Such a failure is
     * no counterexample: it is counted apart in {@link Outcome#outside()}, the search goes on, and the
     * first one is shrunk among cases that also fail outside the assumptions.
     */
    public PropertyCheck<T> withAssumptions(Function<T, String> outside) {
        return new PropertyCheck<>(generator, tries, seed, stopAtFirstFailure, outside);
    }

    /** The case with this case seed, as the run generated it. */
    public T replay(long caseSeed) {
        return generator.generate(Seeds.of(caseSeed));
    }

    /** Checks the property and shrinks the first failure (and the first failure outside the assumptions). */
    public Outcome<T> check(Property<T> property) {
        List<T> edges = generator.edgeCases();
        int failures = 0;
        int outsideFailures = 0;
        Counterexample<T> first = null;
        Counterexample<T> firstOutside = null;
        int run = 0;
        for (int i = 0; i < tries; i++) {
            long caseSeed = i < edges.size() ? -1 : Seeds.derive(seed, (long) (i - edges.size())) & Long.MAX_VALUE;
            T value = i < edges.size() ? edges.get(i) : replay(caseSeed);
            run++;
            String reason = failure(property, value);
            if (reason == null) {
                continue;
            }
            String why = outside.apply(value);
            if (why != null) {
                outsideFailures++;
                if (firstOutside == null) {
                    firstOutside = shrink(v -> outsideReason(property, v), value, i, caseSeed,
                            reason + "; outside the assumptions: " + why);
                }
                continue;
            }
            failures++;
            if (first == null) {
                first = shrink(v -> insideReason(property, v), value, i, caseSeed, reason);
            }
            if (stopAtFirstFailure) {
                break;
            }
        }
        return new Outcome<>(seed, run, failures, first, outsideFailures, firstOutside);
    }

    /** Why the property fails on a case inside the assumptions, or null. */
    private String insideReason(Property<T> property, T value) {
        String reason = failure(property, value);
        return reason != null && outside.apply(value) == null ? reason : null;
    }

    /** Why the property fails on a case outside the assumptions, or null. */
    private String outsideReason(Property<T> property, T value) {
        String reason = failure(property, value);
        if (reason == null) {
            return null;
        }
        String why = outside.apply(value);
        return why == null ? null : reason + "; outside the assumptions: " + why;
    }

    private Counterexample<T> shrink(Function<T, String> failing, T value, int index, long caseSeed, String reason) {
        T current = value;
        String currentReason = reason;
        int steps = 0;
        boolean progressed = true;
        while (progressed && steps < MAX_SHRINK_STEPS) {
            progressed = false;
            Iterator<T> candidates = generator.shrink(current).iterator();
            while (candidates.hasNext()) {
                T candidate = candidates.next();
                String r = failing.apply(candidate);
                if (r != null) {
                    current = candidate;
                    currentReason = r;
                    steps++;
                    progressed = true;
                    break;
                }
            }
        }
        return new Counterexample<>(value, index, caseSeed, current, steps, currentReason);
    }

    private static <T> String failure(Property<T> property, T value) {
        try {
            property.check(value);
            return null;
        } catch (Exception | AssertionError e) {
            String m = e.getMessage();
            return e.getClass().getSimpleName() + (m == null ? "" : ": " + m.strip());
        }
    }
}
