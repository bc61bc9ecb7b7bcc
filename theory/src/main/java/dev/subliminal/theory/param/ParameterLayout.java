package dev.subliminal.theory.param;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The layout of a flat parameter vector θ ∈ R^p as a sequence of named tensors, contiguous and in
 * order, exactly as PyTorch's {@code state_dict()} lists them for an {@code nn.Sequential}.
 */
public final class ParameterLayout {

    private final List<TensorSpec> tensors;
    private final int size;

    private ParameterLayout(List<TensorSpec> tensors, int size) {
        this.tensors = tensors;
        this.size = size;
    }

    /** Starts a layout; tensors are appended in the order they are added. */
    public static Builder builder() {
        return new Builder();
    }

    /** p, the total number of parameters. */
    public int size() {
        return size;
    }

    /** The tensors in storage order. */
    public List<TensorSpec> tensors() {
        return tensors;
    }

    /** The tensor with this name; an error naming the known names if there is none. */
    public TensorSpec tensor(String name) {
        for (TensorSpec t : tensors) {
            if (t.name().equals(name)) {
                return t;
            }
        }
        throw new IllegalArgumentException("no tensor named '" + name + "'; the layout has " + names());
    }

    /** Names in storage order. */
    public List<String> names() {
        return tensors.stream().map(TensorSpec::name).toList();
    }

    /** Splits θ into named tensors (each a flat, row-major copy), in storage order. */
    public Map<String, double[]> split(double[] theta) {
        requireVector(theta, "θ");
        Map<String, double[]> out = new LinkedHashMap<>();
        for (TensorSpec t : tensors) {
            out.put(t.name(), Arrays.copyOfRange(theta, t.offset(), t.offset() + t.size()));
        }
        return out;
    }

    /** Joins named tensors back into θ; every name must be present with the right number of elements. */
    public double[] join(Map<String, double[]> named) {
        double[] theta = new double[size];
        for (TensorSpec t : tensors) {
            double[] values = named.get(t.name());
            if (values == null) {
                throw new IllegalArgumentException("tensor '" + t.name() + "' is missing");
            }
            if (values.length != t.size()) {
                throw new IllegalArgumentException("tensor '" + t.name() + "' has " + values.length
                        + " elements, expected " + t.size() + " for shape " + Arrays.toString(t.shape()));
            }
            System.arraycopy(values, 0, theta, t.offset(), values.length);
        }
        if (named.size() != tensors.size()) {
            List<String> extra = new ArrayList<>(named.keySet());
            extra.removeAll(names());
            throw new IllegalArgumentException("unknown tensors " + extra + "; the layout has " + names());
        }
        return theta;
    }

    /** Throws if {@code v} is not a vector of length p. */
    public void requireVector(double[] v, String what) {
        requireLength(v, size, what);
    }

    /**
     * Throws if {@code v} is not a vector of length {@code p}: the check of {@link #requireVector} for a
     * caller that knows p without building the layout (a model's passes check θ on every call).
     */
    public static void requireLength(double[] v, int p, String what) {
        if (v == null || v.length != p) {
            throw new IllegalArgumentException(what + " has length " + (v == null ? "null" : v.length)
                    + ", expected " + p);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ParameterLayout l && l.tensors.equals(tensors);
    }

    @Override
    public int hashCode() {
        return tensors.hashCode();
    }

    @Override
    public String toString() {
        return tensors.toString();
    }

    /** Appends tensors one after another. */
    public static final class Builder {
        private final List<TensorSpec> tensors = new ArrayList<>();
        private int offset;

        private Builder() {
        }

        /** Appends a tensor of the given shape. */
        public Builder add(String name, int... shape) {
            for (TensorSpec t : tensors) {
                if (t.name().equals(name)) {
                    throw new IllegalArgumentException("duplicate tensor name '" + name + "'");
                }
            }
            TensorSpec t;
            int end;
            try {
                t = new TensorSpec(name, shape, offset);
                end = Math.addExact(offset, t.size());
            } catch (ArithmeticException e) {
                throw new IllegalArgumentException("tensor '" + name + "' of shape " + java.util.Arrays.toString(shape)
                        + " puts the layout over " + Integer.MAX_VALUE + " parameters");
            }
            tensors.add(t);
            offset = end;
            return this;
        }

        public ParameterLayout build() {
            return new ParameterLayout(Collections.unmodifiableList(new ArrayList<>(tensors)), offset);
        }
    }
}
