/**
 * Simulation of the theorem and of what it does not cover: the MLP and its model family
 * ({@code mlp}), the configuration of a check, its settings and cases and the property engine's space
 * of them ({@code check}), the named claims {@code falsify} searches ({@code claims}), the optimizers
 * and the one training loop ({@code optim}, {@code train}), sweeps over grids of settings × seeds with
 * their multi-step regimes, shards and merges ({@code sweep}) and the demo's battery
 * ({@code battery}). Depends on {@code theory}, {@code spec} and {@code linear-models}; language models
 * and the command line build on it.
 */
package dev.subliminal.simulation;
