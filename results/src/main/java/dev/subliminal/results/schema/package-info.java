/**
 * Fields ({@link dev.subliminal.results.schema.Field}: a name and a JSON type, through which
 * writers put values and readers get them checked), schemas ({@link dev.subliminal.results.schema.Schema}:
 * a results file or a single record, with the checks of its header and records) and the registry
 * of every kind ({@link dev.subliminal.results.schema.Schemas}). Depends on Jackson.
 */
package dev.subliminal.results.schema;
