/**
 * The safetensors format: a strict, memory-mapped reader ({@link dev.subliminal.lm.safetensors.SafetensorsFile}),
 * a writer with the reference layout, sharded checkpoint folders, and exact F16/BF16 conversions.
 */
package dev.subliminal.lm.safetensors;
