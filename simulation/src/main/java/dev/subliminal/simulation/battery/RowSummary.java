package dev.subliminal.simulation.battery;

import dev.subliminal.simulation.stats.Proportion;

/**
 * What a battery row found over its seeds.
 *
 * @param row the row
 * @param seeds number of seeds run
 * @param positiveDot seeds with Δ_S·Δ_T > 0 (no trials across architectures)
 * @param positiveTraitPart seeds with (Δ_S − Δ_S^c)·Δ_T > 0 (no trials across architectures)
 * @param medianCosine median cos(Δ_S, Δ_T)
 * @param medianRelativeError median |trait part − first order| / |first order|
 * @param dropsBelowControl seeds where L_T(θ_S) < L_T(θ_control)
 */
public record RowSummary(BatteryRow row, int seeds, Proportion positiveDot, Proportion positiveTraitPart,
        double medianCosine, double medianRelativeError, Proportion dropsBelowControl) {
}
