/**
 * Hugging Face checkpoint folders: {@code config.json} as a transformer configuration and the
 * weights as a flat θ laid out by a parameter layout ({@link dev.subliminal.lm.checkpoint.Checkpoint}).
 */
package dev.subliminal.lm.checkpoint;
