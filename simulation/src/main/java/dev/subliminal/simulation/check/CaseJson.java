package dev.subliminal.simulation.check;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.subliminal.theory.loss.ImitationLoss;
import dev.subliminal.theory.loss.TraitLoss;
import dev.subliminal.theory.model.Batch;
import dev.subliminal.theory.param.ParameterLayout;
import dev.subliminal.theory.param.TensorSpec;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * The JSON forms of a check case's parts, shared by check records and certificates
 * ({@code docs/check-record.md}): a tensor is {@code {"shape": [...], "data": [...]}} with data
 * row-major, a parameter vector is named tensors in PyTorch's layout, and the losses are
 * {@code {"kind": ...}} objects. Doubles are written in their shortest exact decimal form.
 */
public final class CaseJson {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private CaseJson() {
    }

    /** The imitation loss ℓ: its {@link ImitationLoss#record()}, e.g. {@code {"kind": "ce", "temperature", "logits"}}. */
    public static ObjectNode imitation(ImitationLoss loss) {
        return (ObjectNode) json(loss.record());
    }

    /** The trait loss: its {@link TraitLoss#record()}, e.g. {@code {"kind": "ce", "inputs", "labels"}}. */
    public static ObjectNode trait(TraitLoss t) {
        return (ObjectNode) json(t.record());
    }

    /** A record value as JSON: maps and lists in order, arrays, batches as tensors, NaN and infinities as null. */
    private static JsonNode json(Object v) {
        if (v == null) {
            return NODES.nullNode();
        } else if (v instanceof Map<?, ?> m) {
            ObjectNode o = NODES.objectNode();
            m.forEach((k, x) -> o.set((String) k, json(x)));
            return o;
        } else if (v instanceof List<?> l) {
            ArrayNode a = NODES.arrayNode();
            l.forEach(x -> a.add(json(x)));
            return a;
        } else if (v instanceof Batch b) {
            return tensor(b);
        } else if (v instanceof int[] ints) {
            ArrayNode a = NODES.arrayNode();
            for (int x : ints) {
                a.add(x);
            }
            return a;
        } else if (v instanceof double[] doubles) {
            ArrayNode a = NODES.arrayNode();
            for (double x : doubles) {
                a.add(x);
            }
            return a;
        } else if (v instanceof Double d) {
            return Double.isFinite(d) ? NODES.numberNode(d) : NODES.nullNode();
        } else if (v instanceof Integer i) {
            return NODES.numberNode(i);
        } else if (v instanceof Long l) {
            return NODES.numberNode(l);
        } else if (v instanceof Boolean b) {
            return NODES.booleanNode(b);
        } else if (v instanceof String s) {
            return NODES.textNode(s);
        }
        throw new IllegalArgumentException("no JSON form for a record value of " + v.getClass().getSimpleName());
    }

    /** θ as named tensors in PyTorch's layout. */
    public static ObjectNode named(ParameterLayout layout, double[] theta) {
        ObjectNode o = NODES.objectNode();
        Map<String, double[]> split = layout.split(theta);
        for (TensorSpec t : layout.tensors()) {
            o.set(t.name(), tensor(t.shape(), split.get(t.name())));
        }
        return o;
    }

    /** A batch as a tensor {@code {"shape": [rows, cols], "data": [...]}}. */
    public static ObjectNode tensor(Batch b) {
        return tensor(new int[] {b.rows(), b.cols()}, b.data());
    }

    /** A tensor {@code {"shape": shape, "data": data}}. */
    public static ObjectNode tensor(int[] shape, double[] data) {
        ObjectNode o = NODES.objectNode();
        ArrayNode s = o.putArray("shape");
        for (int d : shape) {
            s.add(d);
        }
        ArrayNode values = o.putArray("data");
        for (double x : data) {
            values.add(x);
        }
        return o;
    }

    /** Puts a double, or null for NaN and infinities. */
    public static void number(ObjectNode o, String name, double v) {
        if (Double.isFinite(v)) {
            o.put(name, v);
        } else {
            o.putNull(name);
        }
    }
}
