package dev.subliminal.theory.interval;

/**
 * The rational form of a hidden activation φ, which the certificate verifier evaluates: enclosures
 * of φ(z) and φ′(z) for every z in a {@link RationalInterval} Z, exact where φ is piecewise linear
 * and rounded outward to doubles where it is transcendental. Where φ is not differentiable (ReLU at
 * 0) the derivative's enclosure holds both one-sided values. It is the verifier's twin of
 * {@link IntervalActivation}, kept apart so that the verifier does not share the certifier's
 * arithmetic; a model whose activation has none is refused by name.
 */
public interface RationalActivation {

    /** An enclosure of {φ(z) : z ∈ Z}. */
    RationalInterval value(RationalInterval z);

    /** An enclosure of {φ′(z) : z ∈ Z}, one-sided derivatives included. */
    RationalInterval derivative(RationalInterval z);
}
