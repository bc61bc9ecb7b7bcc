package dev.subliminal.theory.property;

/**
 * A failing case and the smallest failing case shrinking reached from it.
 *
 * @param original the first failing case
 * @param caseIndex its index among the cases tried (edge cases first)
 * @param caseSeed the seed that regenerates it with {@link PropertyCheck#replay}, or -1 for an edge case
 * @param shrunk the smallest failing case found
 * @param shrinkSteps how many successful shrink steps led there
 * @param reason why {@code shrunk} fails
 * @param <T> the case type
 */
public record Counterexample<T>(T original, int caseIndex, long caseSeed, T shrunk, int shrinkSteps, String reason) {
}
