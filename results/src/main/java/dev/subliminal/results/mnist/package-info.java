/** The {@code subliminal.mnist/1} kind: its arms, its schema and its summary (accuracy per arm). */
package dev.subliminal.results.mnist;
