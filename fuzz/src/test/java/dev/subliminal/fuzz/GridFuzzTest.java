package dev.subliminal.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.subliminal.simulation.sweep.Shard;
import dev.subliminal.simulation.sweep.SweepGrid;
import java.nio.file.Path;

/** Sweep grid files, YAML and JSON, through {@link SweepGrid#read(Path)} as {@code sweep} reads them. */
class GridFuzzTest {

    /** Larger inputs are skipped; the reader's own limit (1 MiB) is tested by SweepGridTest. */
    private static final int MAX_INPUT = 1 << 16;

    /** An input starting with '{' is read as grid.json, anything else as grid.yaml. */
    @FuzzTest(maxDuration = "10m")
    void read(byte[] data) throws Exception {
        if (data.length > MAX_INPUT) {
            return;
        }
        Path file = Scratch.file(startsWithBrace(data) ? "grid.json" : "grid.yaml", data);
        BadInput.allowed(() -> {
            SweepGrid grid = SweepGrid.read(file);
            grid.config(new Shard(0, 1));
            if (grid.units() < 1 || grid.cells().isEmpty()) {
                throw new AssertionError("a grid read without error has cells and seeds: " + grid);
            }
        });
    }

    private static boolean startsWithBrace(byte[] data) {
        for (byte b : data) {
            if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
                return b == '{';
            }
        }
        return false;
    }
}
