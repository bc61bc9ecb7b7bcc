/**
 * Simulation: MLPs (and their interval evaluation), check configurations and their generator and
 * shrinker, the falsify claims, optimizers (SGD, Adam), sweeps (grids, regimes, the runner, shards,
 * merge) and the demo battery. Sweep records are written and read through the results layer.
 *
 * <p>Depends on {@code linear-models}, {@code spec}, {@code theory} and {@code results} (the
 * schemas, the store, the statistics), Jackson (YAML grids) and Commons Numbers.
 */
package dev.subliminal.simulation;
