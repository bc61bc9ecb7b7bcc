package dev.subliminal.theory.property;

import java.util.Optional;

/**
 * What a property run found.
 *
 * @param seed the run's seed: rerunning with it replays every case
 * @param casesRun cases checked
 * @param failures cases on which the property failed
 * @param counterexample the first failure, shrunk; null when every case passed
 * @param outside cases on which the property failed but which lie outside its assumptions (see
 *     {@link PropertyCheck#withAssumptions}): not counterexamples, counted apart
 * @param outsideExample the first of those, shrunk among cases that also fail outside the
 *     assumptions; null when there is none
 * @param <T> the case type
 */
public record Outcome<T>(long seed, int casesRun, int failures, Counterexample<T> counterexample, int outside,
        Counterexample<T> outsideExample) {

    /** An outcome of a property without assumptions. */
    public Outcome(long seed, int casesRun, int failures, Counterexample<T> counterexample) {
        this(seed, casesRun, failures, counterexample, 0, null);
    }

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
        String apart = outside == 0 ? "" : "; " + outside + " failing cases outside the claim's assumptions (first: "
                + outsideExample.shrunk() + ", because " + outsideExample.reason() + ")";
        if (counterexample == null) {
            return "claim '" + claim + "': no counterexample in " + casesRun + " cases (seed " + seed + ")" + apart;
        }
        Counterexample<T> c = counterexample;
        String origin = c.caseSeed() < 0 ? "edge case " + c.caseIndex()
                : "case " + c.caseIndex() + ", case seed " + c.caseSeed();
        return "claim '" + claim + "': falsified by " + failures + " of " + casesRun + " cases (seed " + seed + ")\n"
                + "  first failure (" + origin + "): " + c.original() + "\n"
                + "  shrunk in " + c.shrinkSteps() + " steps to: " + c.shrunk() + "\n"
                + "  because: " + c.reason() + apart;
    }
}
