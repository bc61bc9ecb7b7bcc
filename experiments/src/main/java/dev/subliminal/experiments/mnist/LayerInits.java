package dev.subliminal.experiments.mnist;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.subliminal.spec.SettingType;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Where each layer of a same-init student starts, and whether it trains ("Learning Through Noise",
 * arXiv 2605.23645): layer l of θ_S0 is θ0's layer l ({@link Source#TEACHER}, the teacher's own init),
 * the same layer of another init θ0′ ({@link Source#OTHER}, the cross students' init), or a fresh
 * N(0, 1/fan_in) draw ({@link Source#RANDOM}, its own seed stream per layer); a frozen layer keeps its
 * start. Written {@code teacher,teacher,teacher} (input layer first); a {@code -frozen} suffix freezes
 * a layer, e.g. {@code random-frozen,teacher,teacher}.
 *
 * @param layers one entry per dense layer, input layer first
 */
public record LayerInits(List<Layer> layers) {

    /** Where a layer starts. */
    public enum Source {
        /** θ0's layer: the teacher's own initialization. */
        TEACHER,
        /** The same layer of another init θ0′ (the one the cross students start from). */
        OTHER,
        /** A fresh draw, N(0, 1/fan_in) weights and zero biases. */
        RANDOM
    }

    /** One layer's start and whether it trains. */
    public record Layer(Source source, boolean trainable) {
        @Override
        public String toString() {
            return source.name().toLowerCase(Locale.ROOT) + (trainable ? "" : FROZEN);
        }
    }

    private static final String FROZEN = "-frozen";

    public LayerInits {
        layers = List.copyOf(layers);
        if (layers.isEmpty()) {
            throw new IllegalArgumentException("no layers");
        }
    }

    /** Every layer from θ0 and trainable: the paper's same-init student, for a network of {@code count} layers. */
    public static LayerInits teacher(int count) {
        List<Layer> l = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            l.add(new Layer(Source.TEACHER, true));
        }
        return new LayerInits(l);
    }

    /** True when every layer starts from θ0 and trains (the theorem's same init). */
    public boolean allTeacher() {
        return layers.stream().allMatch(l -> l.source() == Source.TEACHER && l.trainable());
    }

    /** Whether any layer is frozen. */
    public boolean anyFrozen() {
        return layers.stream().anyMatch(l -> !l.trainable());
    }

    @Override
    public String toString() {
        return layers.stream().map(Layer::toString).collect(Collectors.joining(","));
    }

    /** Reads {@code teacher,other-frozen,random}. */
    public static LayerInits parse(String text) {
        List<Layer> l = new ArrayList<>();
        for (String part : text.split(",", -1)) {
            String p = part.strip().toLowerCase(Locale.ROOT);
            boolean frozen = p.endsWith(FROZEN);
            String name = frozen ? p.substring(0, p.length() - FROZEN.length()) : p;
            Source s = switch (name) {
                case "teacher" -> Source.TEACHER;
                case "other" -> Source.OTHER;
                case "random" -> Source.RANDOM;
                default -> throw new IllegalArgumentException("layer " + SettingType.echo(part) + " in "
                        + SettingType.echo(text) + ": expected teacher, other or random, optionally with -frozen");
            };
            l.add(new Layer(s, !frozen));
        }
        return new LayerInits(l);
    }

    /** The setting type: a comma-separated list, one entry per layer. */
    public static final SettingType<LayerInits> TYPE = new SettingType<>() {
        @Override
        public LayerInits parse(String text) {
            return LayerInits.parse(text);
        }

        @Override
        public LayerInits fromJson(JsonNode node) {
            if (!node.isTextual()) {
                throw new IllegalArgumentException("expected " + describe() + ", got " + SettingType.echo(node));
            }
            return LayerInits.parse(node.textValue());
        }

        @Override
        public JsonNode toJson(LayerInits value) {
            return TextNode.valueOf(value.toString());
        }

        @Override
        public String format(LayerInits value) {
            return value.toString();
        }

        @Override
        public String describe() {
            return "a comma-separated list of teacher, other or random per layer (input first), each optionally -frozen";
        }

        @Override
        public String label() {
            return "LAYER,...";
        }
    };
}
