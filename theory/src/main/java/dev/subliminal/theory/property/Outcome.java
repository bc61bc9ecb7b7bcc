package dev.subliminal.theory.property;

import java.util.Optional;

/**
 * What a property run found.
 *
 * @param seed the run's seed: rerunning with it replays every case
 * @param casesRun cases checked
 * @param failures cases on which the property failed
 * @param counterexample the first failure, shrunk; null when every case passed
 * @param <T> the case type
 */
public record Outcome<T>(long seed, int casesRun, int failures, Counterexample<T> counterexample) {

    /** True when no case failed. */
    public boolean passed() {
        return failures == 0;
    }

    /** The shrunk counterexample, if any. */
    public Optional<Counterexample<T>> falsified() {
        return Optional.ofNullable(counterexample);
    }

    /** A human-readable report that names the seed so the run replays. */
    public String report(String claim) {
        if (counterexample == null) {
            return "claim '" + claim + "': no counterexample in " + casesRun + " cases (seed " + seed + ")";
        }
        Counterexample<T> c = counterexample;
        String origin = c.caseSeed() < 0 ? "edge case " + c.caseIndex()
                : "case " + c.caseIndex() + ", case seed " + c.caseSeed();
        return "claim '" + claim + "': falsified by " + failures + " of " + casesRun + " cases (seed " + seed + ")\n"
                + "  first failure (" + origin + "): " + c.original() + "\n"
                + "  shrunk in " + c.shrinkSteps() + " steps to: " + c.shrunk() + "\n"
                + "  because: " + c.reason();
    }
}
