package dev.subliminal.theory.property;

/**
 * A claim about one case. It holds when {@link #check} returns normally and fails when it throws;
 * the exception's message says why.
 *
 * @param <T> the case type
 */
@FunctionalInterface
public interface Property<T> {

    /** Returns normally if the claim holds for {@code value}, throws otherwise. */
    void check(T value) throws Exception;
}
