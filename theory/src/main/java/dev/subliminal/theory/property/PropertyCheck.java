package dev.subliminal.theory.property;

import dev.subliminal.theory.random.Seeds;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;

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

    private PropertyCheck(Generator<T> generator, int tries, long seed, boolean stopAtFirstFailure) {
        this.generator = Objects.requireNonNull(generator, "generator");
        if (tries < 1) {
            throw new IllegalArgumentException("tries = " + tries + " must be ≥ 1");
        }
        this.tries = tries;
        this.seed = seed;
        this.stopAtFirstFailure = stopAtFirstFailure;
    }

    /** 200 tries, seed 1, stop at the first failure. */
    public static <T> PropertyCheck<T> forAll(Generator<T> generator) {
        return new PropertyCheck<>(generator, 200, 1, true);
    }

    /** The number of cases to check, edge cases included. */
    public PropertyCheck<T> withTries(int n) {
        return new PropertyCheck<>(generator, n, seed, stopAtFirstFailure);
    }

    /** The run seed. */
    public PropertyCheck<T> withSeed(long s) {
        return new PropertyCheck<>(generator, tries, s, stopAtFirstFailure);
    }

    /** Keep checking after the first failure, so that the failure rate is counted over all tries. */
    public PropertyCheck<T> countingAllFailures() {
        return new PropertyCheck<>(generator, tries, seed, false);
    }

    /** The case with this case seed, as the run generated it. */
    public T replay(long caseSeed) {
        return generator.generate(Seeds.of(caseSeed));
    }

    /** Checks the property and shrinks the first failure. */
    public Outcome<T> check(Property<T> property) {
        List<T> edges = generator.edgeCases();
        int failures = 0;
        Counterexample<T> first = null;
        int run = 0;
        for (int i = 0; i < tries; i++) {
            long caseSeed = i < edges.size() ? -1 : Seeds.derive(seed, (long) (i - edges.size())) & Long.MAX_VALUE;
            T value = i < edges.size() ? edges.get(i) : replay(caseSeed);
            run++;
            String reason = failure(property, value);
            if (reason != null) {
                failures++;
                if (first == null) {
                    first = shrink(property, value, i, caseSeed, reason);
                }
                if (stopAtFirstFailure) {
                    break;
                }
            }
        }
        return new Outcome<>(seed, run, failures, first);
    }

    private Counterexample<T> shrink(Property<T> property, T value, int index, long caseSeed, String reason) {
        T current = value;
        String currentReason = reason;
        int steps = 0;
        boolean progressed = true;
        while (progressed && steps < MAX_SHRINK_STEPS) {
            progressed = false;
            Iterator<T> candidates = generator.shrink(current).iterator();
            while (candidates.hasNext()) {
                T candidate = candidates.next();
                String r = failure(property, candidate);
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
