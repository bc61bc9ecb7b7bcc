package dev.subliminal.simulation.conv;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.subliminal.simulation.mlp.Activation;
import dev.subliminal.simulation.mlp.MlpFamily;
import dev.subliminal.spec.Architecture;
import dev.subliminal.spec.ArchitectureSpace;
import dev.subliminal.spec.Layers;
import dev.subliminal.spec.ModelFamily;
import dev.subliminal.spec.Names;
import dev.subliminal.spec.Setting;
import dev.subliminal.spec.SettingType;
import dev.subliminal.spec.SettingType.Sizes;
import dev.subliminal.spec.Values;
import dev.subliminal.theory.model.Model;
import dev.subliminal.theory.property.Shrink;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.apache.commons.rng.UniformRandomProvider;

/**
 * The family of small convolutional networks ({@link Cnn}), named {@code cnn}. Its settings: the shared
 * {@code widths} d,h_1,...,h_j,n (d the input size, h the dense hidden layers after the convolutions,
 * n the outputs: a CNN with {@code widths 784,256,13} has the same 256 → 13 head as the MLP
 * 784-256-256-13), the shared {@code activation}, and its own {@code inputChannels} C0 (the image is
 * C0 × H × W with H·W = d/C0, H the largest divisor of d/C0 not above its square root: 784 is 28 × 28),
 * {@code convChannels} C_1,...,C_L, {@code kernel} k (odd; zero padding (k − 1)/2) and {@code stride} s.
 */
public final class ConvFamily implements ModelFamily {

    /** The registered name. */
    public static final String NAME = "cnn";

    /** C0, the image's channels. */
    public static final Setting<Integer> INPUT_CHANNELS = Setting.of("inputChannels", SettingType.integer(1, 1 << 16), 1,
            "Image channels C0 of a cnn (the image is C0 × H × W with H·W = d/C0, as square as d allows)");
    /** C_1, ..., C_L. */
    public static final Setting<Sizes> CONV_CHANNELS = Setting.of("convChannels", SettingType.sizes(1, 1 << 16),
            new Sizes(new int[] {4}), "Output channels of each convolution of a cnn, first convolution first");
    /** k. */
    public static final Setting<Integer> KERNEL = Setting.of("kernel", SettingType.integer(1, 63), 3,
            "Kernel size k of a cnn's convolutions (odd; zero padding (k − 1)/2)");
    /** s. */
    public static final Setting<Integer> STRIDE = Setting.of("stride", SettingType.integer(1, 64), 2,
            "Stride s of a cnn's convolutions (each halves the image at s = 2)");

    private static final List<Activation> ACTIVATIONS = List.of(Activation.values());

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String summary() {
        return "convolutional network: k×k convolutions with stride s, then dense layers; widths d,h...,n";
    }

    @Override
    public List<Setting<?>> settings() {
        return List.of(Layers.WIDTHS, MlpFamily.ACTIVATION, INPUT_CHANNELS, CONV_CHANNELS, KERNEL, STRIDE);
    }

    @Override
    public Architecture read(Values values) {
        Sizes w = values.get(Layers.WIDTHS);
        int c0 = values.get(INPUT_CHANNELS);
        int d = w.get(0);
        if (d % c0 != 0) {
            throw new IllegalArgumentException(INPUT_CHANNELS.key() + " " + c0 + " does not divide the " + d
                    + " inputs of " + Layers.WIDTHS.key() + " " + w);
        }
        int kernel = values.get(KERNEL);
        if (kernel % 2 == 0) {
            throw new IllegalArgumentException(KERNEL.key() + " " + kernel + ": a cnn's kernel size must be odd");
        }
        int[] shape = ConvGeometry.shape(d, c0);
        int[] sizes = w.values();
        return new Convolutional(new ConvGeometry(c0, shape[0], shape[1], values.get(CONV_CHANNELS).values(), kernel,
                values.get(STRIDE), Arrays.copyOfRange(sizes, 1, sizes.length)), values.get(MlpFamily.ACTIVATION));
    }

    @Override
    public Architecture fromJson(JsonNode node) {
        Values v = Values.empty();
        for (Setting<?> s : settings()) {
            JsonNode f = node.get(field(s));
            if (f == null) {
                throw new IllegalArgumentException("a cnn model needs \"" + field(s) + "\"");
            }
            v = with(v, s, f);
        }
        return read(v);
    }

    private static <T> Values with(Values v, Setting<T> s, JsonNode node) {
        return v.with(s, s.fromJson(node));
    }

    /** The record field of a setting: {@code sizes} for the widths, as the mlp family writes them. */
    private static String field(Setting<?> s) {
        return s == Layers.WIDTHS ? "sizes" : s.key();
    }

    /**
     * Draws the activation, d and n (unless given), one or two convolutions of 1–3 channels, k ∈ {1, 3},
     * s ∈ {1, 2}, and no or one dense hidden layer of width 1..maxWidth.
     */
    @Override
    public Architecture generate(UniformRandomProvider rng, ArchitectureSpace space, Io io) {
        List<Activation> acts = space.allowed(MlpFamily.ACTIVATION, ACTIVATIONS);
        Activation act = acts.get(rng.nextInt(acts.size()));
        int d = io != null ? io.inputs() : 1 + rng.nextInt(space.maxInputs());
        int n = io != null ? io.outputs() : 1 + rng.nextInt(space.maxOutputs());
        int c0 = d % 2 == 0 && rng.nextBoolean() ? 2 : 1;
        int[] channels = new int[1 + rng.nextInt(Math.min(2, space.maxDepth()))];
        for (int l = 0; l < channels.length; l++) {
            channels[l] = 1 + rng.nextInt(Math.min(3, space.maxWidth()));
        }
        int kernel = rng.nextBoolean() ? 3 : 1;
        int stride = 1 + rng.nextInt(2);
        int[] dense = rng.nextBoolean() ? new int[] {1 + rng.nextInt(space.maxWidth()), n} : new int[] {n};
        int[] shape = ConvGeometry.shape(d, c0);
        return new Convolutional(new ConvGeometry(c0, shape[0], shape[1], channels, kernel, stride, dense), act);
    }

    @Override
    public Architecture smallest(ArchitectureSpace space, int d, int n) {
        int[] shape = ConvGeometry.shape(d, 1);
        return new Convolutional(new ConvGeometry(1, shape[0], shape[1], new int[] {1}, 1, 1, new int[] {n}),
                space.allowed(MlpFamily.ACTIVATION, ACTIVATIONS).get(0));
    }

    /**
     * Without a convolution or a dense hidden layer, with one narrower, with a 1 × 1 kernel, one input
     * channel, stride 1, then with tanh instead of another activation: every candidate has fewer
     * parameters or a simpler activation.
     */
    @Override
    public Stream<Architecture> shrink(Architecture a, ArchitectureSpace space) {
        Convolutional c = (Convolutional) a;
        ConvGeometry g = c.geometry();
        int[] ch = g.channels();
        int[] dense = g.dense();
        List<ConvGeometry> out = new ArrayList<>();
        for (int l = 0; l < ch.length; l++) {
            if (ch.length > 1) {
                int[] fewer = new int[ch.length - 1];
                System.arraycopy(ch, 0, fewer, 0, l);
                System.arraycopy(ch, l + 1, fewer, l, ch.length - l - 1);
                out.add(new ConvGeometry(g.inputChannels(), g.height(), g.width(), fewer, g.kernel(), g.stride(), dense));
            }
            for (int w : Shrink.fewer(ch[l])) {
                int[] narrower = ch.clone();
                narrower[l] = w;
                out.add(new ConvGeometry(g.inputChannels(), g.height(), g.width(), narrower, g.kernel(), g.stride(), dense));
            }
        }
        for (int j = 0; j < dense.length - 1; j++) {
            int[] fewer = new int[dense.length - 1];
            System.arraycopy(dense, 0, fewer, 0, j);
            System.arraycopy(dense, j + 1, fewer, j, dense.length - j - 1);
            out.add(new ConvGeometry(g.inputChannels(), g.height(), g.width(), ch, g.kernel(), g.stride(), fewer));
            for (int w : Shrink.fewer(dense[j])) {
                int[] narrower = dense.clone();
                narrower[j] = w;
                out.add(new ConvGeometry(g.inputChannels(), g.height(), g.width(), ch, g.kernel(), g.stride(), narrower));
            }
        }
        if (g.kernel() > 1) {
            out.add(new ConvGeometry(g.inputChannels(), g.height(), g.width(), ch, 1, g.stride(), dense));
        }
        if (g.inputChannels() > 1) {
            int[] shape = ConvGeometry.shape(g.inputs(), 1);
            out.add(new ConvGeometry(1, shape[0], shape[1], ch, g.kernel(), g.stride(), dense));
        }
        if (g.stride() > 1) {
            out.add(new ConvGeometry(g.inputChannels(), g.height(), g.width(), ch, g.kernel(), 1, dense));
        }
        List<Architecture> archs = new ArrayList<>();
        for (ConvGeometry s : out) {
            if (s.parameters() < g.parameters()) {
                archs.add(new Convolutional(s, c.activation()));
            }
        }
        if (c.activation() != Activation.TANH && space.allows(MlpFamily.ACTIVATION, Activation.TANH)) {
            archs.add(new Convolutional(g, Activation.TANH));
        }
        return archs.stream();
    }

    /**
     * A convolutional architecture: the {@link Cnn} it describes.
     *
     * @param geometry the shapes
     * @param activation φ
     */
    public record Convolutional(ConvGeometry geometry, Activation activation) implements Architecture {

        public Convolutional {
            if (geometry == null || activation == null) {
                throw new IllegalArgumentException("a cnn needs a geometry and an activation");
            }
            if (geometry.parameters() > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("a cnn " + geometry + " has " + geometry.parameters()
                        + " parameters; at most " + Integer.MAX_VALUE);
            }
        }

        /** d,h_1,...,n: the input size then the dense sizes. */
        public int[] widths() {
            int[] dense = geometry.dense();
            int[] s = new int[dense.length + 1];
            s[0] = geometry.inputs();
            System.arraycopy(dense, 0, s, 1, dense.length);
            return s;
        }

        @Override
        public ModelFamily family() {
            return new ConvFamily();
        }

        @Override
        public Values values() {
            return Values.empty().with(Layers.WIDTHS, new Sizes(widths())).with(MlpFamily.ACTIVATION, activation)
                    .with(INPUT_CHANNELS, geometry.inputChannels()).with(CONV_CHANNELS, new Sizes(geometry.channels()))
                    .with(KERNEL, geometry.kernel()).with(STRIDE, geometry.stride());
        }

        @Override
        public int inputs() {
            return geometry.inputs();
        }

        @Override
        public int outputs() {
            return geometry.outputs();
        }

        @Override
        public long parameterCount() {
            return geometry.parameters();
        }

        /**
         * θ-sized vectors as for dense layers (16 counted, {@link Layers#memoryBytes}) plus, per input,
         * every layer's activations, im2col patches, slopes and tangents (6 of each).
         */
        @Override
        public long memoryBytes(int rows) {
            return 8L * (16 * geometry.parameters() + 6L * rows * geometry.unitsPerRow());
        }

        @Override
        public Model build() {
            return new Cnn(geometry, activation);
        }

        @Override
        public Architecture withInputsOutputs(int d, int n) {
            int c0 = d % geometry.inputChannels() == 0 ? geometry.inputChannels() : 1;
            int[] shape = ConvGeometry.shape(d, c0);
            int[] dense = geometry.dense();
            dense[dense.length - 1] = n;
            return new Convolutional(new ConvGeometry(c0, shape[0], shape[1], geometry.channels(), geometry.kernel(),
                    geometry.stride(), dense), activation);
        }

        @Override
        public ObjectNode toJson() {
            ObjectNode o = JsonNodeFactory.instance.objectNode();
            o.put("family", NAME);
            for (Setting<?> s : new ConvFamily().settings()) {
                o.set(field(s), json(s, values()));
            }
            return o;
        }

        private static <T> JsonNode json(Setting<T> s, Values v) {
            return s == Layers.WIDTHS ? JsonNodeFactory.instance.arrayNode().addAll(
                    Arrays.stream(v.get(Layers.WIDTHS).values()).mapToObj(JsonNodeFactory.instance::numberNode).toList())
                    : s.toJson(v.get(s));
        }

        @Override
        public String toString() {
            return build().describe();
        }
    }
}
