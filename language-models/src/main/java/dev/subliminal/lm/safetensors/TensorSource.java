package dev.subliminal.lm.safetensors;

import java.util.List;
import java.util.Map;

/**
 * Named tensors that can be read as numbers: one safetensors file, or the shards of a checkpoint
 * folder seen as one. Values convert on demand from the stored type (F16, BF16, F32, F64) to
 * {@code double} or {@code float}; F16 and BF16 convert exactly, F64 to float rounds to nearest.
 */
public interface TensorSource extends AutoCloseable {

    /** What errors name: the file or folder this source was read from. */
    String source();

    /** Every tensor, in a stable order (file order for one file; shard by shard for a folder). */
    List<TensorInfo> tensors();

    /** The tensor with this name, or {@code null}. */
    TensorInfo find(String name);

    /** The file (a shard's path for a folder) that holds {@code name}, for error messages. */
    String fileOf(String name);

    /** The string metadata stored with the weights ({@code __metadata__} of the first file). */
    Map<String, String> metadata();

    /** Converts every element of tensor {@code name} into {@code dst[offset ...]}. */
    void read(String name, double[] dst, int offset);

    /** Converts every element of tensor {@code name} into {@code dst[offset ...]} (F64 rounds). */
    void read(String name, float[] dst, int offset);

    /** The elements of {@code name} as a new array. */
    default double[] readDoubles(String name) {
        TensorInfo t = require(name);
        double[] out = new double[Math.toIntExact(t.elements())];
        read(name, out, 0);
        return out;
    }

    /** The tensor with this name; a {@link dev.subliminal.lm.io.FormatException} if there is none. */
    default TensorInfo require(String name) {
        TensorInfo t = find(name);
        if (t == null) {
            throw new dev.subliminal.lm.io.FormatException(source(), name, "no such tensor");
        }
        return t;
    }

    @Override
    void close();
}
