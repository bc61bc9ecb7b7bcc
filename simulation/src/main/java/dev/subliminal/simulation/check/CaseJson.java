package dev.subliminal.simulation.check;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.subliminal.theory.loss.CrossEntropyTrait;
import dev.subliminal.theory.loss.ImitationLoss;
import dev.subliminal.theory.loss.SoftCrossEntropy;
import dev.subliminal.theory.loss.SquaredErrorTrait;
import dev.subliminal.theory.loss.TraitLoss;
import dev.subliminal.theory.loss.WeightedSquaredError;
import dev.subliminal.theory.model.Batch;
import dev.subliminal.theory.param.ParameterLayout;
import dev.subliminal.theory.param.TensorSpec;
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

    /** The imitation loss ℓ: {@code {"kind": "mse", "weights"}} or {@code {"kind": "ce", "temperature", "logits"}}. */
    public static ObjectNode imitation(ImitationLoss loss) {
        ObjectNode o = NODES.objectNode();
        if (loss instanceof WeightedSquaredError w) {
            o.put("kind", "mse");
            ArrayNode ws = o.putArray("weights");
            for (double x : w.weights()) {
                ws.add(x);
            }
        } else if (loss instanceof SoftCrossEntropy ce) {
            o.put("kind", "ce");
            o.put("temperature", ce.temperature());
            int[] logits = ce.logits();
            if (logits == null) {
                o.putNull("logits");
            } else {
                ArrayNode idx = o.putArray("logits");
                for (int k : logits) {
                    idx.add(k);
                }
            }
        } else {
            throw new IllegalArgumentException("no record format for imitation loss " + loss.describe());
        }
        return o;
    }

    /** The trait loss: {@code {"kind": "ce", "inputs", "labels"}} or {@code {"kind": "mse", "inputs", "targets"}}. */
    public static ObjectNode trait(TraitLoss t) {
        ObjectNode o = NODES.objectNode();
        if (t instanceof CrossEntropyTrait ce) {
            o.put("kind", "ce");
            o.set("inputs", tensor(ce.inputs()));
            ArrayNode labels = o.putArray("labels");
            for (int l : ce.labels()) {
                labels.add(l);
            }
        } else if (t instanceof SquaredErrorTrait se) {
            o.put("kind", "mse");
            o.set("inputs", tensor(se.inputs()));
            o.set("targets", tensor(se.targets()));
        } else {
            throw new IllegalArgumentException("no record format for trait loss " + t.describe());
        }
        return o;
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
