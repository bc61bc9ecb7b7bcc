/**
 * The results layer: everything a run writes and everything that reads it back, written once.
 *
 * <ul>
 *   <li>{@link dev.subliminal.results.schema}: the fields and schemas of every kind of result
 *       ({@code subliminal.sweep/1}, {@code subliminal.mnist/1}, {@code subliminal.certify/1},
 *       {@code subliminal.check/1}, certificates) and their registry;
 *   <li>{@link dev.subliminal.results.sweep}, {@link dev.subliminal.results.mnist},
 *       {@link dev.subliminal.results.check}, {@link dev.subliminal.results.certify}: each kind's
 *       schema and its one summary, read by the terminal tables and by the HTML report alike;
 *   <li>{@link dev.subliminal.results.store}: the one JSON Lines writer (resumable, locked) and the
 *       one streaming reader, which checks every record against its schema;
 *   <li>{@link dev.subliminal.results.stats}: the statistics (Wilson, Student-t and exact binomial
 *       intervals and tests through Commons Statistics, medians, least squares, histograms);
 *   <li>{@link dev.subliminal.results.io}: the rules every output follows (no replacing what the
 *       command did not write, no writing through special files, outputs distinct from inputs,
 *       one writer per file, default permissions, temporary files cleaned on every exit path).
 * </ul>
 *
 * <p>Depends only on Jackson and Apache Commons Statistics; {@code simulation}, {@code experiments}
 * and {@code reports} depend on it, and reports need nothing else of the toolkit.
 */
package dev.subliminal.results;
