/**
 * Reports: a self-contained HTML page of tables with intervals and plots (PNG and SVG, JFreeChart)
 * for any results files and records. Depends only on result types (the files' schemas) and on
 * {@code theory}, never on the code that produced the results.
 */
package dev.subliminal.reports;
