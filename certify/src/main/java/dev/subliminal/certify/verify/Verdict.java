package dev.subliminal.certify.verify;

import java.util.List;

/**
 * The outcome of verifying a well-formed certificate: whether everything it states re-checks, and one
 * line per check ({@code verified: ...}, {@code NOT verified: ...} or {@code note: ...}).
 *
 * @param verified true when every check passed and at least one claim is certified
 * @param lines what was checked, in order
 */
public record Verdict(boolean verified, List<String> lines) {

    public Verdict {
        lines = List.copyOf(lines);
    }
}
