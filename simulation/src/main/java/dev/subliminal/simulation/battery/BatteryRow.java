package dev.subliminal.simulation.battery;

import dev.subliminal.simulation.check.CheckConfig;

/**
 * One row of a battery: a labelled configuration run over many seeds.
 *
 * @param label what the row shows, e.g. {@code mlp tanh, independent init}
 * @param config the configuration
 */
public record BatteryRow(String label, CheckConfig config) {
}
