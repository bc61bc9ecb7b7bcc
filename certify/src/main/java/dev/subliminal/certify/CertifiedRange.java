package dev.subliminal.certify;

import dev.subliminal.theory.interval.Interval;

/**
 * A range (0, ε*] of the teacher's step on which a claim is proved, with the enclosure that proves
 * it.
 *
 * @param epsilon ε*, the right end of the range; 0 when nothing could be certified
 * @param enclosure the enclosure, valid for every ε in (0, ε*], whose sign proves the claim (for
 *     ε* = 0, the enclosure of the limit ε → 0)
 * @param limit the enclosure of the same quantity in the limit ε → 0 (the first-order term)
 */
public record CertifiedRange(double epsilon, Interval enclosure, Interval limit) {

    /** True when a non-empty range was certified. */
    public boolean certified() {
        return epsilon > 0;
    }
}
