package dev.subliminal.theory.interval;

import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * An enclosing form of a hidden activation φ over a kind T of intervals: Z ↦ an enclosure of
 * {φ(z) : z ∈ Z} and Z ↦ an enclosure of {φ′(z) : z ∈ Z}, with rounding accounted for. Where φ is
 * not differentiable (ReLU at 0) the derivative's enclosure holds both one-sided values, which the
 * integral form of the mean value theorem needs. The certifier evaluates the {@link Interval} form
 * (outward-rounded doubles); the independent verifier the {@link RationalInterval} form (exact where
 * φ is piecewise linear). An activation is certifiable when it gives both.
 *
 * @param value Z ↦ an enclosure of φ(Z)
 * @param derivative Z ↦ an enclosure of φ′(Z), one-sided derivatives included
 * @param <T> {@link Interval} or {@link RationalInterval}
 */
public record ActivationForm<T>(UnaryOperator<T> value, UnaryOperator<T> derivative) {

    public ActivationForm {
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(derivative, "derivative");
    }
}
