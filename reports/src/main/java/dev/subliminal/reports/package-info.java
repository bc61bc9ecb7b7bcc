/**
 * Reports: text tables, plots (JFreeChart; PNG and SVG through Batik) and the self-contained HTML
 * report of any results files and records. It reads them only through the results layer (the one
 * reader and the one summary per kind), so it knows result types and nothing of the models.
 *
 * <p>Depends on {@code results}, Jackson, JFreeChart and Batik; never on {@code simulation}.
 */
package dev.subliminal.reports;
