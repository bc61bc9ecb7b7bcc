/**
 * Specifications: the one table of settings ({@link dev.subliminal.spec.Setting}, each declared once
 * with its name, type, default, range, help and unit) and the open registry of model families
 * ({@link dev.subliminal.spec.ModelFamily}, found with {@link java.util.ServiceLoader}). The command
 * line, sweep grids, result records, replay lines and the property engine's generators all read
 * them, so a new family is its {@code Model} class plus one {@code ModelFamily}, and a new setting is
 * one declaration.
 *
 * <p>Depends on {@code theory} (the model contract), {@code results} (how a value is quoted in a
 * message) and Jackson (the JSON form of values). Model
 * families live beside their models: {@code linear-models}, {@code simulation},
 * {@code language-models}.
 */
package dev.subliminal.spec;
