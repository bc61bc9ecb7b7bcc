/**
 * What every language-model format shares: {@link dev.subliminal.lm.io.FormatException} (one line
 * naming file and entry), strict bounded JSON, and atomic writes that never replace a file unasked.
 */
package dev.subliminal.lm.io;
