/** The {@code subliminal.sweep/1} kind: its schema and its summary (rates per cell, orders of convergence). */
package dev.subliminal.results.sweep;
