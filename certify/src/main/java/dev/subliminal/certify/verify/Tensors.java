package dev.subliminal.certify.verify;

import dev.subliminal.certify.format.StrictJson.Node;
import dev.subliminal.theory.model.Batch;
import dev.subliminal.theory.param.ParameterLayout;
import dev.subliminal.theory.param.TensorSpec;
import java.util.Arrays;
import java.util.List;

/**
 * Strict reading of tensors {@code {"shape": [...], "data": [...]}}: positive integer dimensions
 * whose product is exactly the number of finite numbers in {@code data}, checked before anything the
 * size of the shape is allocated, so a shape of 65536×65536 with empty data is an error, not an
 * out-of-memory.
 */
final class Tensors {

    private Tensors() {
    }

    /** The shape of a tensor, after checking that its data holds exactly that many numbers. */
    static long[] shape(Node tensor) {
        tensor.object("shape", "data");
        List<Node> dims = tensor.get("shape").array(-1);
        if (dims.isEmpty()) {
            throw tensor.get("shape").bad("must hold at least one dimension");
        }
        long[] shape = new long[dims.size()];
        long count = 1;
        for (int i = 0; i < shape.length; i++) {
            shape[i] = dims.get(i).integer();
            if (shape[i] < 1) {
                throw dims.get(i).bad("must be a dimension ≥ 1");
            }
            count = shape[i] > Long.MAX_VALUE / count ? Long.MAX_VALUE : count * shape[i];
        }
        int have = tensor.get("data").array(-1).size();
        if (count != have) {
            throw tensor.bad("has shape " + Arrays.toString(shape) + ", which holds " + count + " numbers, but its data "
                    + "holds " + have);
        }
        return shape;
    }

    /** The data of a tensor whose shape must be {@code expected}. */
    static double[] data(Node tensor, long... expected) {
        long[] shape = shape(tensor);
        if (!Arrays.equals(shape, expected)) {
            throw tensor.get("shape").bad("is " + Arrays.toString(shape) + " where " + Arrays.toString(expected)
                    + " is expected");
        }
        List<Node> data = tensor.get("data").array(-1);
        double[] out = new double[data.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = data.get(i).number();
        }
        return out;
    }

    /** A batch of rows × cols (rows −1: any number of rows ≥ 1). */
    static Batch batch(Node tensor, long rows, long cols) {
        long[] shape = shape(tensor);
        if (shape.length != 2 || shape[1] != cols || (rows >= 0 && shape[0] != rows)) {
            throw tensor.get("shape").bad("is " + Arrays.toString(shape) + " where [" + (rows < 0 ? "N" : rows) + ", "
                    + cols + "] is expected");
        }
        return new Batch((int) shape[0], (int) cols, data(tensor, shape));
    }

    /** θ from named tensors, exactly the layout's names with its shapes. */
    static double[] named(Node node, ParameterLayout layout) {
        node.object(layout.names().toArray(new String[0]));
        double[] theta = new double[layout.size()];
        for (TensorSpec t : layout.tensors()) {
            double[] d = data(node.get(t.name()), Arrays.stream(t.shape()).asLongStream().toArray());
            System.arraycopy(d, 0, theta, t.offset(), d.length);
        }
        return theta;
    }
}
