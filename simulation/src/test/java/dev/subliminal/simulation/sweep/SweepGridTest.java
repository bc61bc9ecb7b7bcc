package dev.subliminal.simulation.sweep;

import dev.subliminal.spec.Layers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SweepGridTest {

    @TempDir
    Path dir;

    static SweepGrid grid(String yaml) {
        try {
            JsonNode root = new YAMLMapper().readTree(yaml);
            return SweepGrid.of(root);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void cellsAreTheProductInAxisOrderWithoutNormalizedDuplicates() {
        // perturbation only matters under a perturbed init: same × {0.01, 0.1} is one cell
        SweepGrid g = grid("seeds: {first: 5, count: 3}\naxes:\n  epsilon: [1e-4, '1e-3']\n"
                + "  perturbation: [0.01, 0.1]\n  init: [same, perturbed]\n");
        assertThat(g.cells()).hasSize(6);
        List<String> labels = g.cells().stream().map(c -> c.axes().get("init").asText() + " "
                + c.axes().get("perturbation").asDouble() + " " + c.axes().get("epsilon").asDouble()).toList();
        // axis order: init, perturbation, ..., epsilon (the first varies slowest)
        assertThat(labels).containsExactly("same 0.0 1.0E-4", "same 0.0 0.001", "perturbed 0.01 1.0E-4",
                "perturbed 0.01 0.001", "perturbed 0.1 1.0E-4", "perturbed 0.1 0.001");
        assertThat(g.units()).isEqualTo(18);
        assertThat(g.key(4)).isEqualTo("1/6");
        assertThat(g.config(Shard.all()).get("axes").get("model").get(0).asText()).isEqualTo("mlp");
        assertThat(g.config(new Shard(1, 3)).get("shard").get("index").asInt()).isEqualTo(1);
    }

    @Test
    void widthsTakeTextOrAListAndStudentAxesDefaultToTheTeacher() {
        SweepGrid g = grid("axes:\n  widths: [[3, 5, 2], '3,7,2']\n  studentWidths: same\n");
        assertThat(g.cells()).hasSize(2);
        assertThat(g.cells().get(0).axes().get("studentWidths").asText()).isEqualTo("3,5,2");
        assertThat(g.cells().get(1).check().teacher().values().get(Layers.WIDTHS)).hasToString("3,7,2");
        assertThat(g.seedCount()).isEqualTo(100);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "axes: {widht: ['4,8,3']}|axes.widht: unknown axis; expected one of model, widths, activation",
        "axes: {epsilon: [1e-3, -1]}|axes.epsilon: expected a finite number ≥ 0, got -1",
        "axes: {epsilon: []}|axes.epsilon: empty list",
        "axes: {}|empty grid",
        "seeds: 10|empty grid",
        "axes: {optimizer: rmsprop}|axes.optimizer: unknown value 'rmsprop'; expected one of sgd, adam",
        "axes: {widths: '4,x,3'}|axes.widths: 'x' is not a size",
        "axes: {studentSteps: 1.5}|axes.studentSteps: expected an integer ≥ 1, got 1.5",
        "axes: {init: same}\\nsteps: 3|unknown field 'steps'",
        "seeds: {count: 0}\\naxes: {init: same}|seeds.count: expected an integer ≥ 1",
        "seeds: {frist: 1}\\naxes: {init: same}|unknown field 'seeds.frist'",
        "axes: {model: linear}|the cell (model=linear) is invalid: widths 4,8,3: a linear model takes two sizes",
        "axes: {init: same, studentWidths: '4,16,3'}|cannot use init same; use init independent",
    })
    void malformedGridsGiveOneLineNamingTheField(String yaml, String message) {
        assertThatThrownBy(() -> grid(yaml.replace("\\n", "\n"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message).message().doesNotContain("\n");
    }

    @Test
    void filesAreReadAsYamlOrJsonAndErrorsNameTheFile() throws IOException {
        Path json = Files.writeString(dir.resolve("g.json"), "{\"seeds\": 2, \"axes\": {\"init\": [\"same\"]}}");
        assertThat(SweepGrid.read(json).cells()).hasSize(1);
        Path empty = Files.writeString(dir.resolve("e.yaml"), "");
        assertThatThrownBy(() -> SweepGrid.read(empty)).hasMessage("grid " + empty
                + ": empty grid; expected the fields 'seeds' and 'axes'");
        Path broken = Files.writeString(dir.resolve("b.yaml"), "axes: [1, 2\n");
        assertThatThrownBy(() -> SweepGrid.read(broken)).hasMessageStartingWith("grid " + broken + " is not valid YAML");
        assertThatThrownBy(() -> SweepGrid.read(dir.resolve("none.yaml"))).hasMessageContaining(": no such file");
    }

    /** A grid file, read from disk as the command reads it. */
    private static Path file(Path dir, String name, String text) throws IOException {
        Path f = dir.resolve(name);
        java.nio.file.Files.writeString(f, text);
        return f;
    }

    static Stream<Arguments> malformedFiles() {
        String ten = "[1, 2, 3, 4, 5, 6, 7, 8, 9, 10]";
        return Stream.of(
            Arguments.of("alias.yaml", "seeds: 2\naxes:\n  loss: &l mse\n  trait: *l\n",
                "YAML anchors and aliases are not supported"),
            Arguments.of("duplicate.yaml", "seeds: 2\naxes:\n  init: same\n  init: independent\n",
                "Duplicate field 'init'"),
            Arguments.of("documents.yaml", "seeds: 2\naxes: {init: same}\n---\nseeds: 3\naxes: {init: same}\n",
                "a second YAML document"),
            Arguments.of("duplicate.json", "{\"seeds\": 2, \"seeds\": 3, \"axes\": {\"init\": \"same\"}}",
                "Duplicate field 'seeds'"),
            Arguments.of("trailing.json", "{\"seeds\": 2, \"axes\": {\"init\": \"same\"}} {}",
                "data after the grid's JSON object"),
            Arguments.of("huge.yaml", "seeds: 2\naxes:\n  samples: " + ten + "\n  traitSamples: " + ten
                + "\n  epsilon: " + ten + "\n  alpha: " + ten + "\n  temperature: " + ten + "\n",
                "more than 10000 cells"),
            Arguments.of("seeds.yaml", "seeds: {first: 9223372036854775800, count: 100}\naxes: {init: same}\n",
                "run past the largest seed"),
            // found by GridFuzzTest: line breaks in a value (YAML folds the three CRs into two line feeds) or a name
            // are quoted escaped, so the message stays one line
            Arguments.of("folded.yaml", "axes:\n  init: [same, perturbe\r\r\rd]\n",
                "axes.init: unknown value 'perturbe\\n\\nd'"),
            Arguments.of("key.json", "{\"axes\": {\"in\\nit\": \"same\"}}", "axes.in\\nit: unknown axis"),
            Arguments.of("field.json", "{\"se\\reds\": 2, \"axes\": {\"init\": \"same\"}}",
                "unknown field 'se\\reds'"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedFiles")
    void malformedFilesAreRefusedWithOneLine(String name, String text, String message, @TempDir Path dir)
            throws IOException {
        Path f = file(dir, name, text);
        long start = System.nanoTime();
        assertThatThrownBy(() -> SweepGrid.read(f)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message).message().doesNotContain("\n");
        assertThat((System.nanoTime() - start) / 1e9).as("refused before building cells").isLessThan(5);
    }

    @Test
    void aBillionCellGridIsRefusedAtOnceAndMaxCellsRaisesTheLimit(@TempDir Path dir) throws IOException {
        StringBuilder values = new StringBuilder("[");
        for (int i = 1; i <= 1000; i++) {
            values.append(i == 1 ? "" : ", ").append(i);
        }
        values.append(']');
        Path f = file(dir, "billion.yaml", "seeds: 1\naxes:\n  samples: " + values + "\n  traitSamples: " + values
                + "\n  epsilon: " + values + "\n");
        assertThatThrownBy(() -> SweepGrid.read(f)).hasMessageContaining("more than 10000 cells");
        Path small = file(dir, "small.yaml", "seeds: 1\naxes:\n  samples: [1, 2, 3]\n");
        assertThatThrownBy(() -> SweepGrid.read(small, 2)).hasMessageContaining("more than 2 cells");
        assertThat(SweepGrid.read(small, 3).cells()).hasSize(3);
    }

    @Test
    void aDistillOfOneIsRefusedInAGrid() {
        assertThatThrownBy(() -> grid("axes: {distill: 1}")).hasMessageContaining("distill 1: a softmax over one logit");
    }
}
