package dev.subliminal.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.subliminal.experiments.mnist.Idx;
import java.io.ByteArrayInputStream;

/** MNIST IDX files (plain or gzip) as {@code mnist --mnist-dir} reads them: {@link Idx#images} and {@link Idx#labels}. */
class IdxFuzzTest {

    private static final int MAX_INPUT = 1 << 16;

    @FuzzTest(maxDuration = "10m")
    void read(byte[] data) throws Exception {
        if (data.length > MAX_INPUT) {
            return;
        }
        BadInput.allowed(() -> {
            byte[] pixels = Idx.images(new ByteArrayInputStream(data), "images.idx");
            if (pixels.length % Idx.PIXELS != 0) {
                throw new AssertionError(pixels.length + " pixels are not whole images");
            }
        });
        BadInput.allowed(() -> {
            for (byte label : Idx.labels(new ByteArrayInputStream(data), "labels.idx")) {
                if ((label & 0xFF) >= Idx.CLASSES) {
                    throw new AssertionError("label " + (label & 0xFF) + " accepted");
                }
            }
        });
    }
}
