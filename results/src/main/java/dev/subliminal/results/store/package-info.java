/**
 * The one writer ({@link dev.subliminal.results.store.ResultStore}: append-only, resumable after a
 * kill, one process at a time) and the one reader ({@link dev.subliminal.results.store.ResultsReader}:
 * one streaming pass, every record checked against its schema, errors naming file and line) of
 * results files. Depends on the schemas and the output rules of {@code results.io}.
 */
package dev.subliminal.results.store;
