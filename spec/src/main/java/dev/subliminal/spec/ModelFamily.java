package dev.subliminal.spec;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.stream.Stream;
import org.apache.commons.rng.UniformRandomProvider;

/**
 * The specification of a model family (linear, MLP, transformer, ...): its name, its settings, how
 * a configuration of them becomes an {@link Architecture}, how records store one, and how the
 * property engine draws and shrinks them. Families are found with {@link java.util.ServiceLoader}
 * (a line in {@code META-INF/services/dev.subliminal.spec.ModelFamily}); see {@link ModelFamilies}.
 * Nothing else in the toolkit names a family.
 */
public interface ModelFamily {

    /** The name in settings and records, e.g. {@code mlp}. */
    String name();

    /** One line for help texts. */
    String summary();

    /**
     * The family's settings, in record order. A setting that means the same thing in several families
     * (the layer sizes {@code widths}) is one shared {@link Setting} instance.
     */
    List<Setting<?>> settings();

    /** The architecture these values describe; errors name the setting's flag and say what is wrong. */
    Architecture read(Values values);

    /** The architecture of a record's {@code {"family": ..., ...}} object; errors name the field. */
    Architecture fromJson(JsonNode node);

    /**
     * A random architecture inside {@code space}. With {@code io} null the family draws d and n from
     * the space's bounds; otherwise it keeps them. Draws come from {@code rng} only.
     */
    Architecture generate(UniformRandomProvider rng, ArchitectureSpace space, Io io);

    /** The smallest architecture of the family with d inputs and n outputs inside {@code space}. */
    Architecture smallest(ArchitectureSpace space, int d, int n);

    /**
     * Architectures strictly simpler than {@code a} with the same inputs and outputs, most aggressive
     * first (fewer layers, narrower layers, simpler choices), inside {@code space}.
     */
    Stream<Architecture> shrink(Architecture a, ArchitectureSpace space);

    /**
     * The family's settings as interval certificates support them (an MLP's activation narrowed to
     * those with interval and rational forms), or an empty list when the family has no interval form
     * ({@link Architecture#intervalForm}). Command-line help of {@code certify} lists only these.
     */
    default List<Setting<?>> certifiableSettings() {
        return List.of();
    }

    /** Input and output sizes. */
    record Io(int inputs, int outputs) {
    }
}
