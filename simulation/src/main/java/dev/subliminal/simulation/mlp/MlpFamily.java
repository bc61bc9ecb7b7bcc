package dev.subliminal.simulation.mlp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.subliminal.linear.IntervalDense;
import dev.subliminal.linear.RationalDense;
import dev.subliminal.spec.Architecture;
import dev.subliminal.spec.ArchitectureSpace;
import dev.subliminal.spec.Layers;
import dev.subliminal.spec.ModelFamily;
import dev.subliminal.spec.Names;
import dev.subliminal.spec.Setting;
import dev.subliminal.spec.SettingType;
import dev.subliminal.spec.SettingType.Sizes;
import dev.subliminal.spec.Values;
import dev.subliminal.theory.interval.IntervalModel;
import dev.subliminal.theory.interval.RationalModel;
import dev.subliminal.theory.model.Model;
import dev.subliminal.theory.property.Shrink;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.apache.commons.rng.UniformRandomProvider;

/**
 * The family of multilayer perceptrons ({@link Mlp}), named {@code mlp}: layer sizes
 * d,h_1,...,h_k,n with k ≥ 1 and a hidden activation.
 */
public final class MlpFamily implements ModelFamily {

    /** The registered name. */
    public static final String NAME = "mlp";

    /** The hidden activation φ. */
    public static final Setting<Activation> ACTIVATION = Setting.of("activation",
            SettingType.choice(Activation.class), Activation.TANH, "Hidden activation");

    private static final List<Activation> ACTIVATIONS = List.of(Activation.values());

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String summary() {
        return "multilayer perceptron, widths d,h1,...,n, hidden activation";
    }

    @Override
    public List<Setting<?>> settings() {
        return List.of(Layers.WIDTHS, ACTIVATION);
    }

    /** The widths and the certifiable activations (tanh, relu). */
    @Override
    public List<Setting<?>> certifiableSettings() {
        return List.of(Layers.WIDTHS, ACTIVATION.narrowed(SettingType.choice(Activation.class, Activation::certifiable)));
    }

    @Override
    public Architecture read(Values values) {
        Sizes s = values.get(Layers.WIDTHS);
        if (s.count() < 3) {
            throw new IllegalArgumentException(Layers.WIDTHS.key() + " " + s
                    + ": an mlp takes at least three sizes, inputs,hidden...,outputs");
        }
        return new Perceptron(s.values(), values.get(ACTIVATION));
    }

    @Override
    public Architecture fromJson(JsonNode node) {
        JsonNode sizes = node.get("sizes");
        JsonNode act = node.get("activation");
        if (sizes == null || act == null) {
            throw new IllegalArgumentException("an mlp model needs \"sizes\" and \"activation\"");
        }
        return read(Values.empty().with(Layers.WIDTHS, Layers.WIDTHS.fromJson(sizes))
                .with(ACTIVATION, ACTIVATION.fromJson(act)));
    }

    /** Draws the activation, then d and n (unless given), then 1..maxDepth hidden layers of width 1..maxWidth. */
    @Override
    public Architecture generate(UniformRandomProvider rng, ArchitectureSpace space, Io io) {
        List<Activation> acts = space.allowed(ACTIVATION, ACTIVATIONS);
        Activation act = acts.get(rng.nextInt(acts.size()));
        int d = io != null ? io.inputs() : 1 + rng.nextInt(space.maxInputs());
        int n = io != null ? io.outputs() : 1 + rng.nextInt(space.maxOutputs());
        int depth = 1 + rng.nextInt(space.maxDepth());
        int[] sizes = new int[depth + 2];
        sizes[0] = d;
        sizes[depth + 1] = n;
        for (int l = 1; l <= depth; l++) {
            sizes[l] = 1 + rng.nextInt(space.maxWidth());
        }
        return new Perceptron(sizes, act);
    }

    @Override
    public Architecture smallest(ArchitectureSpace space, int d, int n) {
        return new Perceptron(new int[] {d, 1, n}, space.allowed(ACTIVATION, ACTIVATIONS).get(0));
    }

    /** Without one hidden layer, with one layer narrower, then with tanh instead of another activation. */
    @Override
    public Stream<Architecture> shrink(Architecture a, ArchitectureSpace space) {
        Perceptron p = (Perceptron) a;
        int[] s = p.sizes();
        List<Architecture> out = new ArrayList<>();
        for (int l = 1; l < s.length - 1; l++) {
            if (s.length > 3) {
                int[] fewer = new int[s.length - 1];
                System.arraycopy(s, 0, fewer, 0, l);
                System.arraycopy(s, l + 1, fewer, l, s.length - l - 1);
                out.add(new Perceptron(fewer, p.activation()));
            }
            for (int w : Shrink.fewer(s[l])) {
                int[] narrower = s.clone();
                narrower[l] = w;
                out.add(new Perceptron(narrower, p.activation()));
            }
        }
        if (p.activation() != Activation.TANH && space.allows(ACTIVATION, Activation.TANH)) {
            out.add(new Perceptron(s, Activation.TANH));
        }
        return out.stream();
    }

    /** An MLP architecture: the {@link Mlp} it describes, with at least one hidden layer. */
    public static final class Perceptron implements Architecture {

        private final Mlp mlp;

        /** An MLP with sizes (d, h_1, ..., n), at least three, and activation φ. */
        public Perceptron(int[] sizes, Activation activation) {
            this.mlp = new Mlp(sizes, activation);
            if (sizes.length < 3) {
                throw new IllegalArgumentException("an mlp needs at least one hidden layer (three sizes), got "
                        + Arrays.toString(sizes));
            }
        }

        /** (d, h_1, ..., n). */
        public int[] sizes() {
            return mlp.sizes();
        }

        /** φ. */
        public Activation activation() {
            return mlp.activation();
        }

        @Override
        public ModelFamily family() {
            return new MlpFamily();
        }

        @Override
        public Values values() {
            return Values.empty().with(Layers.WIDTHS, new Sizes(mlp.sizes())).with(ACTIVATION, mlp.activation());
        }

        @Override
        public int inputs() {
            return mlp.inputSize();
        }

        @Override
        public int outputs() {
            return mlp.outputSize();
        }

        @Override
        public long parameterCount() {
            return Layers.parameters(mlp.sizes());
        }

        @Override
        public long memoryBytes(int rows) {
            return Layers.memoryBytes(mlp.sizes(), rows);
        }

        @Override
        public Model build() {
            return mlp;
        }

        @Override
        public Architecture withInputsOutputs(int d, int n) {
            int[] s = mlp.sizes();
            s[0] = d;
            s[s.length - 1] = n;
            return new Perceptron(s, mlp.activation());
        }

        @Override
        public ObjectNode toJson() {
            ObjectNode o = JsonNodeFactory.instance.objectNode();
            o.put("family", NAME);
            Arrays.stream(mlp.sizes()).forEach(o.putArray("sizes")::add);
            o.put("activation", Names.of(mlp.activation()));
            return o;
        }

        @Override
        public IntervalModel intervalForm() {
            return IntervalDense.of(mlp, mlp.sizes(), mlp.activation().intervalForm());
        }

        @Override
        public RationalModel rationalForm() {
            return RationalDense.of(mlp.layout(), mlp.sizes(), mlp.activation().rationalForm());
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Perceptron p && p.mlp.equals(mlp);
        }

        @Override
        public int hashCode() {
            return mlp.hashCode();
        }

        @Override
        public String toString() {
            return mlp.describe();
        }
    }
}
