package dev.subliminal.theory.property;

import java.util.List;
import java.util.stream.Stream;
import org.apache.commons.rng.UniformRandomProvider;

/**
 * A seeded generator of test cases with its own edge cases and shrinker.
 *
 * @param <T> the case type; its {@code toString()} is what a failure report prints
 */
public interface Generator<T> {

    /** A random case drawn from {@code rng}. */
    T generate(UniformRandomProvider rng);

    /** Cases tried before any random one: the smallest and most degenerate (width 1, one sample...). */
    default List<T> edgeCases() {
        return List.of();
    }

    /**
     * Candidates strictly simpler than {@code value}, most aggressive first. Shrinking must terminate:
     * every candidate is smaller in some well-founded order.
     */
    default Stream<T> shrink(T value) {
        return Stream.empty();
    }
}
