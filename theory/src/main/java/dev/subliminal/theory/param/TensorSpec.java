package dev.subliminal.theory.param;

import java.util.Arrays;

/**
 * One named tensor inside a flat parameter vector θ ∈ R^p, in PyTorch's layout: a weight named
 * {@code 0.weight} has shape [out, in] and is stored row-major, so element (i, j) sits at
 * {@code offset + i·in + j}.
 *
 * @param name PyTorch-style name, e.g. {@code 0.weight}, {@code 2.bias}
 * @param shape dimensions, outermost first
 * @param offset index of the first element in the flat vector
 */
public record TensorSpec(String name, int[] shape, int offset) {

    public TensorSpec {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("tensor name must not be blank");
        }
        shape = shape.clone();
        for (int d : shape) {
            if (d <= 0) {
                throw new IllegalArgumentException("tensor " + name + " has a non-positive dimension in "
                        + Arrays.toString(shape));
            }
        }
        if (offset < 0) {
            throw new IllegalArgumentException("tensor " + name + " has negative offset " + offset);
        }
    }

    /** Number of elements, the product of the dimensions. */
    public int size() {
        int n = 1;
        for (int d : shape) {
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    @Override
    public int[] shape() {
        return shape.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TensorSpec t && t.name.equals(name) && Arrays.equals(t.shape, shape) && t.offset == offset;
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(shape) * 17 + offset;
    }

    @Override
    public String toString() {
        return name + Arrays.toString(shape) + "@" + offset;
    }
}
