package dev.subliminal.spec;

import dev.subliminal.spec.SettingType.Sizes;

/**
 * The settings shared by every family of stacked dense layers (linear models, MLPs, and the test
 * families built like them): one instance each, so that a grid axis means the same in all of them.
 */
public final class Layers {

    /** The largest layer size any family accepts; memory estimates refuse far smaller models first. */
    public static final int MAX_SIZE = 1 << 30;

    /** Layer sizes (d, h_1, ..., n). */
    public static final Setting<Sizes> WIDTHS = Setting.of("widths", SettingType.sizes(2, MAX_SIZE),
            new Sizes(new int[] {4, 8, 3}), "Layer sizes, inputs first and outputs last");

    private Layers() {
    }

    /** p of dense layers with these sizes: Σ_l h_l·(h_{l−1} + 1). */
    public static long parameters(int[] sizes) {
        long p = 0;
        for (int l = 1; l < sizes.length; l++) {
            p += (long) sizes[l] * (sizes[l - 1] + 1L);
        }
        return p;
    }

    /**
     * Bytes of a check on dense layers: θ-sized vectors (θ0, Δ_T, θ_T, θ_S0, Δ_S, Δ_S^c, gradients and
     * their copies: up to 9 live at once, measured with a 4-2000-2000-3 MLP, counted as 16 because
     * each is one large array the collector must place whole) plus activations, their slopes and
     * tangents over the batch.
     */
    public static long memoryBytes(int[] sizes, int rows) {
        long units = 0;
        for (int s : sizes) {
            units += s;
        }
        return 8L * (16 * parameters(sizes) + 6L * rows * units);
    }
}
