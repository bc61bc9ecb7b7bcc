package dev.subliminal.theory.interval;

/**
 * The interval form of a hidden activation φ: enclosures of φ(z) and φ′(z) for every z in an
 * interval Z, with rounding accounted for. Where φ is not differentiable (ReLU at 0) the derivative's
 * enclosure holds both one-sided values, which the integral form of the mean value theorem needs.
 * An activation is certifiable by implementing this and {@link RationalActivation} (the verifier's
 * form).
 */
public interface IntervalActivation {

    /** An enclosure of {φ(z) : z ∈ Z}. */
    Interval value(Interval z);

    /** An enclosure of {φ′(z) : z ∈ Z}, one-sided derivatives included. */
    Interval derivative(Interval z);
}
