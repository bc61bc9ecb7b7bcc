/** The soft-label leakage sweep's results ({@code subliminal.leakage-sweep/1}): its schema and its summary. */
package dev.subliminal.results.leakage;
