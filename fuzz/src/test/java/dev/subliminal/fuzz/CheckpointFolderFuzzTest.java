package dev.subliminal.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.subliminal.lm.checkpoint.Checkpoint;
import dev.subliminal.lm.safetensors.TensorInfo;
import dev.subliminal.lm.safetensors.TensorSource;
import dev.subliminal.theory.param.ParameterLayout;
import java.nio.file.Path;
import java.util.Map;

/**
 * Whole checkpoint folders (docs/checkpoints.md) as {@code Checkpoint.read} opens them and the
 * commands load them: {@code config.json}, then {@code model.safetensors} or
 * {@code model.safetensors.index.json} and its shards; θ is then loaded for the configuration's own
 * layout in both precisions (every tensor by name and exact shape), and every stored tensor of a
 * folder that opens is read. The input is the folder packed by {@link FolderArchive}.
 */
class CheckpointFolderFuzzTest {

    private static final int MAX_INPUT = 1 << 16;

    static {
        Warm.up(() -> Checkpoint.read(Scratch.folder("checkpoint")));
    }

    @FuzzTest(maxDuration = "10m")
    void folder(byte[] data) throws Exception {
        if (data.length > MAX_INPUT) {
            return;
        }
        Path folder = Scratch.folder("checkpoint");
        for (Map.Entry<String, byte[]> f : FolderArchive.unpack(data).entrySet()) {
            Scratch.file("checkpoint/" + f.getKey(), f.getValue());
        }
        BadInput.allowed(() -> {
            try (Checkpoint cp = Checkpoint.read(folder)) {
                TensorSource weights = cp.weights();
                for (TensorInfo t : weights.tensors()) {
                    if (t.dtype().isFloating()) {
                        weights.readDoubles(t.name());
                    }
                }
                ParameterLayout layout = cp.config().parameterLayout();
                double[] theta = cp.load(layout);
                float[] floats = cp.loadFloats(layout);
                for (int i = 0; i < theta.length; i++) {
                    if (Float.compare((float) theta[i], floats[i]) != 0) {
                        throw new AssertionError("θ[" + i + "] loads as " + theta[i] + " and as float " + floats[i]);
                    }
                }
            }
        });
    }
}
