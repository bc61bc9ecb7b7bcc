package dev.subliminal.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.subliminal.experiments.io.DataFiles;
import java.nio.file.Path;

/** Data files of student inputs ({@code check --data FILE}) through {@link DataFiles#read}. */
class DataFileFuzzTest {

    private static final int MAX_INPUT = 1 << 16;

    @FuzzTest(maxDuration = "10m")
    void read(byte[] data) throws Exception {
        if (data.length > MAX_INPUT) {
            return;
        }
        Path file = Scratch.file("data.txt", data);
        BadInput.allowed(() -> {
            DataFiles.DataSet set = DataFiles.read(file);
            for (int r = 0; r < set.batch().rows(); r++) {
                for (double x : set.batch().row(r)) {
                    if (!Double.isFinite(x)) {
                        throw new AssertionError("a data file with " + x + " was accepted");
                    }
                }
            }
        });
    }
}
