package dev.subliminal.experiments.registry;

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
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.apache.commons.rng.UniformRandomProvider;

/**
 * The specification of {@link ResidualMlp}, registered from test resources only
 * ({@code META-INF/services/dev.subliminal.spec.ModelFamily}): it shares the {@code widths} and
 * {@code activation} settings with the MLP family and adds one of its own, {@code residualScale}.
 */
public final class ResidualMlpFamily implements ModelFamily {

    static final String NAME = "residual-mlp";

    /** s, the scale of the residual branch: a setting that no main file declares. */
    static final Setting<Double> SCALE = Setting.of("residualScale", SettingType.real(true), 1.0,
            "Scale s of the residual branches of a residual-mlp");

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String summary() {
        return "residual MLP (test family), widths d,h,...,h,n";
    }

    @Override
    public List<Setting<?>> settings() {
        return List.of(Layers.WIDTHS, MlpFamily.ACTIVATION, SCALE);
    }

    @Override
    public Architecture read(Values v) {
        return new Residual(v.get(Layers.WIDTHS).values(), v.get(MlpFamily.ACTIVATION), v.get(SCALE));
    }

    @Override
    public Architecture fromJson(JsonNode node) {
        return read(Values.empty().with(Layers.WIDTHS, Layers.WIDTHS.fromJson(node.get("sizes")))
                .with(MlpFamily.ACTIVATION, MlpFamily.ACTIVATION.fromJson(node.get("activation")))
                .with(SCALE, SCALE.fromJson(node.get("scale"))));
    }

    @Override
    public Architecture generate(UniformRandomProvider rng, ArchitectureSpace space, Io io) {
        List<Activation> acts = space.allowed(MlpFamily.ACTIVATION, List.of(Activation.values()));
        Activation act = acts.get(rng.nextInt(acts.size()));
        int d = io != null ? io.inputs() : 1 + rng.nextInt(space.maxInputs());
        int n = io != null ? io.outputs() : 1 + rng.nextInt(space.maxOutputs());
        int width = 1 + rng.nextInt(space.maxWidth());
        int blocks = 1 + rng.nextInt(space.maxDepth());
        int[] sizes = new int[blocks + 2];
        Arrays.fill(sizes, width);
        sizes[0] = d;
        sizes[blocks + 1] = n;
        return new Residual(sizes, act, rng.nextBoolean() ? 1 : 0.5);
    }

    @Override
    public Architecture smallest(ArchitectureSpace space, int d, int n) {
        return new Residual(new int[] {d, 1, n}, space.allowed(MlpFamily.ACTIVATION, List.of(Activation.values())).get(0),
                1);
    }

    @Override
    public Stream<Architecture> shrink(Architecture a, ArchitectureSpace space) {
        Residual r = (Residual) a;
        int[] s = r.sizes;
        if (s.length > 3) {
            int[] fewer = Arrays.copyOfRange(s, 1, s.length);
            fewer[0] = s[0];
            return Stream.of(new Residual(fewer, r.activation, r.scale));
        }
        return Stream.empty();
    }

    /** A residual architecture. */
    record Residual(int[] sizes, Activation activation, double scale) implements Architecture {

        Residual {
            sizes = sizes.clone();
            if (sizes.length < 3) {
                throw new IllegalArgumentException("widths " + new Sizes(sizes) + ": a residual-mlp takes at least three sizes");
            }
            for (int l = 2; l < sizes.length - 1; l++) {
                if (sizes[l] != sizes[1]) {
                    throw new IllegalArgumentException("widths " + new Sizes(sizes)
                            + ": the hidden widths of a residual-mlp must be equal");
                }
            }
        }

        @Override
        public ModelFamily family() {
            return new ResidualMlpFamily();
        }

        @Override
        public Values values() {
            return Values.empty().with(Layers.WIDTHS, new Sizes(sizes)).with(MlpFamily.ACTIVATION, activation)
                    .with(SCALE, scale);
        }

        @Override
        public int inputs() {
            return sizes[0];
        }

        @Override
        public int outputs() {
            return sizes[sizes.length - 1];
        }

        @Override
        public long parameterCount() {
            return Layers.parameters(sizes);
        }

        @Override
        public long memoryBytes(int rows) {
            return Layers.memoryBytes(sizes, rows);
        }

        @Override
        public Model build() {
            return new ResidualMlp(sizes, activation, scale);
        }

        @Override
        public Architecture withInputsOutputs(int d, int n) {
            int[] s = sizes.clone();
            s[0] = d;
            s[s.length - 1] = n;
            return new Residual(s, activation, scale);
        }

        @Override
        public ObjectNode toJson() {
            ObjectNode o = JsonNodeFactory.instance.objectNode();
            o.put("family", NAME);
            Arrays.stream(sizes).forEach(o.putArray("sizes")::add);
            o.put("activation", Names.of(activation));
            o.put("scale", scale);
            return o;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Residual r && Arrays.equals(r.sizes, sizes) && r.activation == activation
                    && r.scale == scale;
        }

        @Override
        public int hashCode() {
            return build().hashCode();
        }
    }
}
