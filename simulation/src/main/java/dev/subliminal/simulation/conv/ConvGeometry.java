package dev.subliminal.simulation.conv;

import dev.subliminal.theory.param.ParameterLayout;
import java.util.Arrays;

/**
 * The shapes of a small convolutional network on images of C0 channels, H × W pixels (an input row
 * holds d = C0·H·W values in PyTorch's channel-first order): L convolutions of k × k kernels with
 * stride s and zero padding p = (k − 1)/2, conv l mapping C_{l−1} channels of H_{l−1} × W_{l−1} to C_l
 * channels of H_l × W_l with H_l = ⌊(H_{l−1} + 2p − k)/s⌋ + 1 = ⌈H_{l−1}/s⌉ (likewise W), each followed
 * by the activation; then the flatten to F = C_L·H_L·W_L values (channel first, as
 * {@code nn.Flatten}) and dense layers F, h_1, ..., h_j, n (activation after each but the last).
 *
 * <p>θ is laid out as PyTorch's {@code nn.Sequential(Conv2d, φ, ..., Conv2d, φ, Flatten, Linear, φ,
 * ..., Linear)}: conv l's {@code (2l).weight} [C_l, C_{l−1}, k, k] and {@code (2l).bias} [C_l], then
 * dense layer j's {@code (2L+1+2j).weight} [out, in] and {@code (2L+1+2j).bias}. A conv weight read as
 * the matrix [C_l, C_{l−1}·k·k] acts on im2col patches ordered (channel, ky, kx), so each convolution
 * is one dense product over the batch's output positions.
 *
 * @param inputChannels C0
 * @param height H
 * @param width W
 * @param channels C_1, ..., C_L (L ≥ 1)
 * @param kernel k, odd
 * @param stride s
 * @param dense the dense part after the flatten: h_1, ..., h_j, n (at least n)
 */
public record ConvGeometry(int inputChannels, int height, int width, int[] channels, int kernel, int stride,
        int[] dense) {

    public ConvGeometry {
        channels = channels.clone();
        dense = dense.clone();
        if (inputChannels < 1 || height < 1 || width < 1) {
            throw new IllegalArgumentException("an image needs at least one channel and one pixel, got "
                    + inputChannels + " × " + height + " × " + width);
        }
        if (channels.length < 1) {
            throw new IllegalArgumentException("a convolutional network needs at least one convolution");
        }
        if (kernel < 1 || kernel % 2 == 0) {
            throw new IllegalArgumentException("kernel " + kernel + ": expected an odd size ≥ 1");
        }
        if (stride < 1) {
            throw new IllegalArgumentException("stride " + stride + ": expected ≥ 1");
        }
        if (dense.length < 1) {
            throw new IllegalArgumentException("a convolutional network needs an output layer");
        }
        for (int c : channels) {
            if (c < 1) {
                throw new IllegalArgumentException("conv channels " + Arrays.toString(channels) + " must be ≥ 1");
            }
        }
        for (int h : dense) {
            if (h < 1) {
                throw new IllegalArgumentException("dense sizes " + Arrays.toString(dense) + " must be ≥ 1");
            }
        }
        long d = (long) inputChannels * height * width;
        if (d > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("an image of " + d + " values is too large");
        }
    }

    /**
     * The image shape of d inputs in C0 channels: H the largest divisor of d/C0 not above √(d/C0),
     * W = d/(C0·H) (784 = 28 × 28; a prime d/C0 gives one row).
     */
    public static int[] shape(int d, int inputChannels) {
        if (inputChannels < 1 || d < 1 || d % inputChannels != 0) {
            throw new IllegalArgumentException(d + " inputs do not split into " + inputChannels + " channels");
        }
        int pixels = d / inputChannels;
        int h = 1;
        for (int i = 1; (long) i * i <= pixels; i++) {
            if (pixels % i == 0) {
                h = i;
            }
        }
        return new int[] {h, pixels / h};
    }

    /** L, the number of convolutions. */
    public int convolutions() {
        return channels.length;
    }

    /** Dense layers after the flatten. */
    public int denseLayers() {
        return dense.length;
    }

    /** p, the zero padding on each side. */
    public int padding() {
        return (kernel - 1) / 2;
    }

    /** Channels entering conv l (C0 for l = 0). */
    public int channelsIn(int l) {
        return l == 0 ? inputChannels : channels[l - 1];
    }

    /** Channels leaving conv l. */
    public int channelsOut(int l) {
        return channels[l];
    }

    /** Image height entering conv l (H for l = 0; l = L gives the last conv's output). */
    public int heightIn(int l) {
        int h = height;
        for (int i = 0; i < l; i++) {
            h = (h - 1) / stride + 1;
        }
        return h;
    }

    /** Image width entering conv l (W for l = 0; l = L gives the last conv's output). */
    public int widthIn(int l) {
        int w = width;
        for (int i = 0; i < l; i++) {
            w = (w - 1) / stride + 1;
        }
        return w;
    }

    /** Output positions of conv l, H_l·W_l. */
    public int positions(int l) {
        return heightIn(l + 1) * widthIn(l + 1);
    }

    /** The length of one im2col patch of conv l, C_{l−1}·k·k. */
    public int patch(int l) {
        return Math.multiplyExact(channelsIn(l), kernel * kernel);
    }

    /** d = C0·H·W. */
    public int inputs() {
        return inputChannels * height * width;
    }

    /** F = C_L·H_L·W_L, the flattened size. */
    public int flat() {
        return Math.multiplyExact(channels[channels.length - 1], positions(channels.length - 1));
    }

    /** n. */
    public int outputs() {
        return dense[dense.length - 1];
    }

    /** The dense part's sizes F, h_1, ..., n. */
    public int[] denseSizes() {
        int[] s = new int[dense.length + 1];
        s[0] = flat();
        System.arraycopy(dense, 0, s, 1, dense.length);
        return s;
    }

    /** Where conv l's weight starts in θ (its bias follows at + C_l·patch). */
    public int convOffset(int l) {
        int p = 0;
        for (int i = 0; i < l; i++) {
            p = Math.addExact(p, convParameters(i));
        }
        return p;
    }

    private int convParameters(int l) {
        return Math.multiplyExact(channels[l], patch(l) + 1);
    }

    /** Where dense layer j's weight starts in θ (its bias follows at + out·in). */
    public int denseOffset(int j) {
        int p = convOffset(channels.length);
        int[] s = denseSizes();
        for (int i = 0; i < j; i++) {
            p = Math.addExact(p, Math.multiplyExact(s[i + 1], s[i] + 1));
        }
        return p;
    }

    /** The number of parameters of layer i, convolutions first then the dense layers. */
    public int layerParameters(int i) {
        if (i < channels.length) {
            return convParameters(i);
        }
        int[] s = denseSizes();
        int j = i - channels.length;
        return Math.multiplyExact(s[j + 1], s[j] + 1);
    }

    /** p, the number of parameters (overflow is refused). */
    public int parameterCount() {
        return denseOffset(dense.length);
    }

    /** p as a long, without the int range check: what a memory estimate compares before building. */
    public long parameters() {
        long p = 0;
        for (int l = 0; l < channels.length; l++) {
            p += (long) channels[l] * ((long) channelsIn(l) * kernel * kernel + 1);
        }
        long in = (long) channels[channels.length - 1] * heightIn(channels.length) * widthIn(channels.length);
        for (int h : dense) {
            p += (long) h * (in + 1);
            in = h;
        }
        return p;
    }

    /** Activations of one input over every layer (conv outputs, their patches, the dense layers). */
    public long unitsPerRow() {
        long u = inputs();
        for (int l = 0; l < channels.length; l++) {
            long pos = (long) heightIn(l + 1) * widthIn(l + 1);
            u += pos * channels[l] + pos * channelsIn(l) * kernel * kernel;
        }
        long in = (long) channels[channels.length - 1] * heightIn(channels.length) * widthIn(channels.length);
        u += in;
        for (int h : dense) {
            u += h;
        }
        return u;
    }

    /** The named tensors of θ, PyTorch's layout. */
    public ParameterLayout layout() {
        ParameterLayout.Builder b = ParameterLayout.builder();
        for (int l = 0; l < channels.length; l++) {
            b.add((2 * l) + ".weight", channels[l], channelsIn(l), kernel, kernel).add((2 * l) + ".bias", channels[l]);
        }
        int[] s = denseSizes();
        for (int j = 0; j < dense.length; j++) {
            int index = 2 * channels.length + 1 + 2 * j;
            b.add(index + ".weight", s[j + 1], s[j]).add(index + ".bias", s[j + 1]);
        }
        return b.build();
    }

    @Override
    public int[] channels() {
        return channels.clone();
    }

    @Override
    public int[] dense() {
        return dense.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ConvGeometry g && g.inputChannels == inputChannels && g.height == height
                && g.width == width && Arrays.equals(g.channels, channels) && g.kernel == kernel && g.stride == stride
                && Arrays.equals(g.dense, dense);
    }

    @Override
    public int hashCode() {
        return ((Arrays.hashCode(channels) * 31 + Arrays.hashCode(dense)) * 31 + kernel * 7 + stride) * 31
                + inputChannels * 1_000_003 + height * 1009 + width;
    }

    @Override
    public String toString() {
        return inputChannels + "x" + height + "x" + width + " conv" + Arrays.toString(channels) + " k" + kernel + " s"
                + stride + " dense" + Arrays.toString(dense);
    }
}
