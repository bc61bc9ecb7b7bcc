/** The {@code subliminal.check/1} record and the quantities every transmission result reports. */
package dev.subliminal.results.check;
