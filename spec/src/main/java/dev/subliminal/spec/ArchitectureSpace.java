package dev.subliminal.spec;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where the property engine draws architectures: bounds on d, n, hidden widths and depth, and, for
 * choice settings, the values allowed (for example only tanh and ReLU activations). A family reads
 * the bounds that mean something for it and ignores the others.
 *
 * @param maxInputs largest d
 * @param maxOutputs largest n
 * @param maxWidth largest hidden width
 * @param maxDepth largest number of hidden layers
 * @param allowed allowed values of restricted settings (others take any value)
 */
public record ArchitectureSpace(int maxInputs, int maxOutputs, int maxWidth, int maxDepth,
        Map<Setting<?>, List<?>> allowed) {

    public ArchitectureSpace {
        if (maxInputs < 1 || maxOutputs < 1 || maxWidth < 1 || maxDepth < 1) {
            throw new IllegalArgumentException("architecture bounds must be ≥ 1");
        }
        allowed = Map.copyOf(allowed);
    }

    /** Small models: d ≤ 5, widths ≤ 8, depth ≤ 3, n ≤ 4, any choice. */
    public static ArchitectureSpace small() {
        return new ArchitectureSpace(5, 4, 8, 3, Map.of());
    }

    /** This space with only {@code values} allowed for {@code s}. */
    @SafeVarargs
    public final <T> ArchitectureSpace restrict(Setting<T> s, T... values) {
        if (values.length == 0) {
            throw new IllegalArgumentException("restricting " + s.key() + " to no value");
        }
        Map<Setting<?>, List<?>> copy = new LinkedHashMap<>(allowed);
        copy.put(s, List.of(values));
        return new ArchitectureSpace(maxInputs, maxOutputs, maxWidth, maxDepth, copy);
    }

    /** The allowed values of {@code s} in the given order of all its values. */
    public <T> List<T> allowed(Setting<T> s, List<T> all) {
        List<?> only = allowed.get(s);
        return only == null ? all : all.stream().filter(only::contains).toList();
    }

    /** Whether {@code value} is allowed for {@code s}. */
    public boolean allows(Setting<?> s, Object value) {
        List<?> only = allowed.get(s);
        return only == null || only.contains(value);
    }
}
