package dev.subliminal.linear;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.subliminal.spec.Architecture;
import dev.subliminal.spec.ArchitectureSpace;
import dev.subliminal.spec.Layers;
import dev.subliminal.spec.ModelFamily;
import dev.subliminal.spec.Setting;
import dev.subliminal.spec.SettingType.Sizes;
import dev.subliminal.spec.Values;
import dev.subliminal.theory.interval.IntervalModel;
import dev.subliminal.theory.interval.RationalModel;
import dev.subliminal.theory.model.Model;
import java.util.List;
import java.util.stream.Stream;
import org.apache.commons.rng.UniformRandomProvider;

/**
 * The family of affine models f(x) = W x + b ({@link AffineModel}), named {@code linear}: one
 * setting, {@code widths} = d,n. Its Jacobian does not depend on θ, the degenerate case of the
 * theorem.
 */
public final class LinearFamily implements ModelFamily {

    /** The registered instance's name. */
    public static final String NAME = "linear";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String summary() {
        return "affine model f(x) = W x + b, widths d,n";
    }

    @Override
    public List<Setting<?>> settings() {
        return List.of(Layers.WIDTHS);
    }

    /** Every affine model has an interval form. */
    @Override
    public List<Setting<?>> certifiableSettings() {
        return settings();
    }

    @Override
    public Architecture read(Values values) {
        Sizes s = values.get(Layers.WIDTHS);
        if (s.count() != 2) {
            throw new IllegalArgumentException(Layers.WIDTHS.key() + " " + s + ": a linear model takes two sizes, "
                    + "inputs,outputs");
        }
        return new Linear(s.get(0), s.get(1));
    }

    @Override
    public Architecture fromJson(JsonNode node) {
        JsonNode sizes = node.get("sizes");
        if (sizes == null) {
            throw new IllegalArgumentException("model.sizes is missing");
        }
        return read(Values.empty().with(Layers.WIDTHS, Layers.WIDTHS.fromJson(sizes)));
    }

    @Override
    public Architecture generate(UniformRandomProvider rng, ArchitectureSpace space, Io io) {
        int d = io != null ? io.inputs() : 1 + rng.nextInt(space.maxInputs());
        int n = io != null ? io.outputs() : 1 + rng.nextInt(space.maxOutputs());
        return new Linear(d, n);
    }

    @Override
    public Architecture smallest(ArchitectureSpace space, int d, int n) {
        return new Linear(d, n);
    }

    @Override
    public Stream<Architecture> shrink(Architecture a, ArchitectureSpace space) {
        return Stream.empty();
    }

    /**
     * A linear architecture.
     *
     * @param inputs d
     * @param outputs n
     */
    public record Linear(int inputs, int outputs) implements Architecture {

        public Linear {
            if (inputs < 1 || outputs < 1) {
                throw new IllegalArgumentException("a linear model needs d ≥ 1 and n ≥ 1, got " + inputs + "," + outputs);
            }
        }

        @Override
        public ModelFamily family() {
            return new LinearFamily();
        }

        @Override
        public Values values() {
            return Values.empty().with(Layers.WIDTHS, new Sizes(new int[] {inputs, outputs}));
        }

        @Override
        public long parameterCount() {
            return Layers.parameters(new int[] {inputs, outputs});
        }

        @Override
        public long memoryBytes(int rows) {
            return Layers.memoryBytes(new int[] {inputs, outputs}, rows);
        }

        @Override
        public Model build() {
            return new AffineModel(inputs, outputs);
        }

        @Override
        public Architecture withInputsOutputs(int d, int n) {
            return new Linear(d, n);
        }

        @Override
        public ObjectNode toJson() {
            ObjectNode o = JsonNodeFactory.instance.objectNode();
            o.put("family", NAME);
            o.putArray("sizes").add(inputs).add(outputs);
            return o;
        }

        @Override
        public IntervalModel intervalForm() {
            return IntervalDense.of(build(), new int[] {inputs, outputs}, null);
        }

        @Override
        public RationalModel rationalForm() {
            return RationalDense.of(build().layout(), new int[] {inputs, outputs}, null);
        }
    }
}
