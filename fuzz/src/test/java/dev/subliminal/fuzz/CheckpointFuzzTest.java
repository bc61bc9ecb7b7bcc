package dev.subliminal.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.subliminal.lm.checkpoint.HfConfig;
import dev.subliminal.lm.io.StrictJson;
import dev.subliminal.lm.safetensors.DType;
import dev.subliminal.lm.safetensors.SafetensorsFile;
import dev.subliminal.lm.safetensors.TensorInfo;

/**
 * Checkpoint files through their byte entry points (docs/checkpoints.md): a safetensors file, every
 * tensor of which is then read in both precisions and as raw bytes; and a config.json, which must
 * read back to the same configuration from the JSON it writes.
 */
class CheckpointFuzzTest {

    private static final int MAX_INPUT = 1 << 16;

    @FuzzTest(maxDuration = "10m")
    void safetensors(byte[] data) throws Exception {
        if (data.length > MAX_INPUT) {
            return;
        }
        BadInput.allowed(() -> {
            try (SafetensorsFile file = SafetensorsFile.parse(data, "model.safetensors")) {
                file.metadata();
                for (TensorInfo t : file.tensors()) {
                    byte[] raw = file.bytes(t.name());
                    if (raw.length != t.end() - t.begin()) {
                        throw new AssertionError(t + " read as " + raw.length + " bytes");
                    }
                    if (t.dtype().isFloating()) {
                        file.read(t.name(), new double[(int) t.elements()], 0);
                        file.read(t.name(), new float[(int) t.elements()], 0);
                    }
                }
            }
        });
    }

    @FuzzTest(maxDuration = "10m")
    void hfConfig(byte[] data) throws Exception {
        if (data.length > MAX_INPUT) {
            return;
        }
        BadInput.allowed(() -> {
            HfConfig config = HfConfig.parse(data, "config.json");
            byte[] written = StrictJson.MAPPER.writeValueAsBytes(config.toJson(DType.F32));
            HfConfig again = HfConfig.parse(written, "config.json as written");
            if (!again.equals(config)) {
                throw new AssertionError(config + " written and read back is " + again);
            }
        });
    }
}
