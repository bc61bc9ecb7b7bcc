/**
 * The statistics of results: proportions with Wilson intervals and the exact binomial test, means
 * with Student-t intervals (Commons Statistics), medians, least-squares lines and power laws,
 * histograms, geometric means and the scaling of first-order errors with ε. Depends on Commons
 * Statistics only.
 */
package dev.subliminal.results.stats;
