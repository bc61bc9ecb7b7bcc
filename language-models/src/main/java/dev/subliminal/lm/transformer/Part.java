package dev.subliminal.lm.transformer;

/**
 * One projection of a fused linear block (in either precision).
 *
 * @param out its output width
 * @param weight offset of its weight in θ
 * @param bias offset of its bias in θ, or −1 when it has none
 */
record Part(int out, int weight, int bias) {
}
