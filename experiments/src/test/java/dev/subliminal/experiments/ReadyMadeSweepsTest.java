package dev.subliminal.experiments;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.subliminal.experiments.mnist.MnistGrid;
import dev.subliminal.simulation.leakage.LeakageGrid;
import dev.subliminal.simulation.sweep.SweepGrid;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every ready-made grid in {@code sweeps/} is valid and has its line in {@code sweeps/README.md}. */
class ReadyMadeSweepsTest {

    private static Path root() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !(Files.exists(p.resolve("README.md")) && Files.isDirectory(p.resolve("sweeps")))) {
            p = p.getParent();
        }
        return p;
    }

    @Test
    void everyGridParsesAndTheReadmeSaysWhatItReproduces() throws IOException {
        Path sweeps = root().resolve("sweeps");
        String readme = Files.readString(sweeps.resolve("README.md"));
        List<Path> grids;
        try (Stream<Path> s = Files.list(sweeps)) {
            grids = s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
        assertThat(grids).hasSizeGreaterThanOrEqualTo(12);
        int mnist = 0;
        int leakage = 0;
        for (Path g : grids) {
            JsonNode root = SweepGrid.readDocument(g);
            if (LeakageGrid.isLeakage(root)) {
                assertThat(LeakageGrid.of(root, SweepGrid.MAX_CELLS).units()).as(g.toString()).isPositive();
                leakage++;
            } else if (MnistGrid.isMnist(root)) {
                MnistGrid grid = MnistGrid.of(root, SweepGrid.MAX_CELLS, "bundled");
                assertThat(grid.units()).as(g.toString()).isPositive();
                mnist++;
            } else {
                assertThat(SweepGrid.of(root).units()).as(g.toString()).isPositive();
            }
            assertThat(readme).as("sweeps/README.md has a line for " + g.getFileName())
                    .contains("- `" + g.getFileName() + "`: ");
        }
        assertThat(mnist).isEqualTo(5);
        assertThat(leakage).isEqualTo(1);
        MnistGrid cnn = MnistGrid.of(SweepGrid.readDocument(sweeps.resolve("mnist-cnn.yaml")), SweepGrid.MAX_CELLS,
                "bundled");
        assertThat(cnn.cells()).hasSize(2 * 2);
        MnistGrid pattern = MnistGrid.of(SweepGrid.readDocument(sweeps.resolve("mnist-init-pattern.yaml")),
                SweepGrid.MAX_CELLS, "bundled");
        assertThat(pattern.cells()).hasSize(2 * 6 * 4);
    }
}
