package dev.subliminal.theory.interval;

import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * An enclosing form of a hidden activation φ over a kind T of intervals: enclosures of φ(z) and of
 * φ′(z) for every z in an interval Z, with rounding accounted for. Where φ is not differentiable
 * (ReLU at 0) the derivative's enclosure holds both one-sided values, which the integral form of the
 * mean value theorem needs. The certifier evaluates the {@link Interval} form (T = {@code Interval},
 * outward-rounded doubles); the independent verifier the {@link RationalInterval} form (exact where
 * φ is piecewise linear). An activation is certifiable when it gives both.
 *
 * @param <T> {@link Interval} or {@link RationalInterval}
 */
public interface ActivationForm<T> {

    /** An enclosure of {φ(z) : z ∈ Z}. */
    T value(T z);

    /** An enclosure of {φ′(z) : z ∈ Z}, one-sided derivatives included. */
    T derivative(T z);

    /** The form with these two enclosures. */
    static <T> ActivationForm<T> of(UnaryOperator<T> value, UnaryOperator<T> derivative) {
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(derivative, "derivative");
        return new ActivationForm<>() {
            @Override
            public T value(T z) {
                return value.apply(z);
            }

            @Override
            public T derivative(T z) {
                return derivative.apply(z);
            }
        };
    }
}
