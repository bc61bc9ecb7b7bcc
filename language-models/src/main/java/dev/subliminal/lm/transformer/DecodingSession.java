package dev.subliminal.lm.transformer;

import java.util.Arrays;

/**
 * Incremental decoding with a key/value cache: tokens are fed in order (a prompt at once, then one at
 * a time) and each call returns the next-token logits at the fed positions. Every layer keeps the
 * keys and values (after RoPE) of all positions so far, so a new token costs one row through the
 * network plus attention against the stored rows. The logits equal those of a full forward pass of
 * the same prefix. Not thread-safe: one session per sequence.
 */
public final class DecodingSession {

    private final DoubleNetwork net;
    private final double[] theta;
    private final int capacity;
    private final int kvWidth;
    private final double[][] keys;
    private final double[][] values;
    private int length;

    DecodingSession(DoubleNetwork net, double[] theta) {
        net.plan.layout.requireVector(theta, "θ");
        this.net = net;
        this.theta = theta;
        this.capacity = net.config.contextLength();
        this.kvWidth = net.config.kvHeads() * net.config.headDim();
        this.keys = new double[net.layers.size()][];
        this.values = new double[net.layers.size()][];
    }

    /** Tokens fed so far. */
    public int length() {
        return length;
    }

    /** The most tokens a session can hold: the context length. */
    public int capacity() {
        return capacity;
    }

    /**
     * Feeds tokens at positions length..length+n−1 and returns their next-token logits, n × V row-major
     * (the last row predicts the token after the last one fed).
     */
    public double[] feed(int... tokens) {
        TransformerConfig c = net.config;
        int n = tokens.length;
        if (n == 0) {
            throw new IllegalArgumentException("feed at least one token");
        }
        if (length + n > capacity) {
            throw new IllegalArgumentException("feeding " + n + " tokens after " + length
                    + " would exceed the context length " + capacity);
        }
        for (int i = 0; i < n; i++) {
            if (tokens[i] < 0 || tokens[i] >= c.vocabSize()) {
                throw new IllegalArgumentException("token " + tokens[i] + " at position " + (length + i)
                        + " is out of range for a vocabulary of " + c.vocabSize());
            }
        }
        int d = c.hiddenSize();
        int hd = c.headDim();
        int heads = c.heads();
        int p0 = length;
        Segments seg = Segments.continuing(n, p0);
        double[] h = new double[n * d];
        net.embedding.forward(theta, tokens.clone(), seg.positions(), h);
        for (int l = 0; l < net.layers.size(); l++) {
            DoubleDecoderLayer layer = net.layers.get(l);
            double[] a = new double[n * d];
            layer.attentionNorm.forward(theta, seg, h, a);
            int w = layer.qkv.outputWidth();
            double[] qkv = new double[n * w];
            layer.qkv.forward(theta, seg, a, qkv);
            if (layer.rope != null) {
                double[] rotated = new double[qkv.length];
                layer.rope.forward(theta, seg, qkv, rotated);
                qkv = rotated;
            }
            store(l, qkv, w, n, p0, heads * hd);
            double[] o = new double[n * heads * hd];
            double[] probs = new double[n * (p0 + n)];
            for (int q = 0; q < heads; q++) {
                int g = q / (heads / c.kvHeads());
                layer.attention.attend(qkv, q * hd, w, keys[l], g * hd, kvWidth, values[l], g * hd, kvWidth, n, p0,
                        probs, 0, o, q * hd, heads * hd);
            }
            double[] y = new double[n * d];
            layer.attentionOut.forward(theta, seg, o, y);
            for (int i = 0; i < y.length; i++) {
                y[i] += h[i];
            }
            h = new double[n * d];
            layer.mlp.forward(theta, seg, y, h);
        }
        double[] hf = new double[n * d];
        net.finalNorm.forward(theta, seg, h, hf);
        double[] logits = new double[n * c.vocabSize()];
        net.logits(theta, hf, 0, n, logits, 0);
        length += n;
        return logits;
    }

    /** Appends the key and value columns of the fed rows to layer l's cache. */
    private void store(int l, double[] qkv, int w, int n, int p0, int qWidth) {
        int need = (p0 + n) * kvWidth;
        if (keys[l] == null || keys[l].length < need) {
            int size = Math.max(need, Math.min(capacity * kvWidth, Math.max(2 * need, 16 * kvWidth)));
            keys[l] = keys[l] == null ? new double[size] : Arrays.copyOf(keys[l], size);
            values[l] = values[l] == null ? new double[size] : Arrays.copyOf(values[l], size);
        }
        for (int i = 0; i < n; i++) {
            System.arraycopy(qkv, i * w + qWidth, keys[l], (p0 + i) * kvWidth, kvWidth);
            System.arraycopy(qkv, i * w + qWidth + kvWidth, values[l], (p0 + i) * kvWidth, kvWidth);
        }
    }
}
