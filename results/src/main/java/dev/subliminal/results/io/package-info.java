/**
 * How commands touch files: the output rules ({@link dev.subliminal.results.io.Outputs}), the one
 * writer per file ({@link dev.subliminal.results.io.Locks}), inputs opened with messages that tell
 * a missing file from an unreadable one ({@link dev.subliminal.results.io.Inputs}) and I/O errors
 * in the operating system's words ({@link dev.subliminal.results.io.IoErrors}). Depends on the JDK.
 */
package dev.subliminal.results.io;
