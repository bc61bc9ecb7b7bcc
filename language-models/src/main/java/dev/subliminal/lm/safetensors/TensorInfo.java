package dev.subliminal.lm.safetensors;

import java.util.Arrays;

/**
 * One tensor of a safetensors file as its header describes it: row-major, little-endian elements of
 * {@code dtype} at bytes [begin, end) of the data section (which starts after the 8-byte length and
 * the header).
 *
 * @param name the tensor's name, e.g. {@code h.0.attn.c_attn.weight}
 * @param dtype element type
 * @param shape dimensions, outermost first ([] for a scalar)
 * @param begin first byte, relative to the data section
 * @param end one past the last byte; end − begin = dtype.size · Π shape
 */
public record TensorInfo(String name, DType dtype, long[] shape, long begin, long end) {

    public TensorInfo {
        shape = shape.clone();
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    /** Number of elements, Π shape (1 for a scalar). */
    public long elements() {
        long n = 1;
        for (long d : shape) {
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    /** Whether the shape equals {@code dims}. */
    public boolean hasShape(int... dims) {
        if (dims.length != shape.length) {
            return false;
        }
        for (int i = 0; i < dims.length; i++) {
            if (dims[i] != shape[i]) {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TensorInfo t && t.name.equals(name) && t.dtype == dtype && Arrays.equals(t.shape, shape)
                && t.begin == begin && t.end == end;
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
        return name + " " + dtype + Arrays.toString(shape) + " @[" + begin + ", " + end + ")";
    }
}
