/** The {@code subliminal.certify/1} kind and certificates, as far as results files and reports read them. */
package dev.subliminal.results.certify;
