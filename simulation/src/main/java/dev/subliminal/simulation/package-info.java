/**
 * Simulation of the theorem and of what it does not cover: the MLP and its model family
 * ({@code mlp}), the configuration of a check, its settings, cases, replay lines and the property
 * engine's space of them ({@code check}), the named claims {@code falsify} searches ({@code claims}),
 * the optimizers, the one training loop and the gradient flow ({@code optim}, {@code train}), sweeps over
 * grids of settings × seeds with their multi-step regimes, shards and merges ({@code sweep}), soft-label
 * leakage on random data ({@code leakage}) and the demo's battery ({@code battery}). Sweep records are written and read through the results layer.
 *
 * <p>Depends on {@code theory}, {@code spec}, {@code linear-models} and {@code results}, Jackson (YAML
 * grids), Commons RNG and Hipparchus (the gradient flow's ODE integrator); {@code certify}, {@code language-models} and the command line build on it.
 */
package dev.subliminal.simulation;
