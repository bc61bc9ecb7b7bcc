package dev.subliminal.simulation.leakage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.subliminal.results.leakage.LeakageSchema;
import dev.subliminal.results.leakage.LeakageSummary;
import dev.subliminal.results.store.Header;
import dev.subliminal.results.store.ResultStore;
import dev.subliminal.results.store.ResultsReader;
import dev.subliminal.simulation.sweep.Shard;
import dev.subliminal.simulation.sweep.SweepMerge;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Leakage sweeps are reproducible as check sweeps are: the same records for 1 and 2 threads, after a
 * kill and a resume, and for three shards merged ("the same": the record lines byte for byte in the
 * same order, the header equal except its provenance); the grid normalizes and refuses bad input.
 */
class LeakageSweepTest {

    private static final LeakageGrid GRID = grid("experiment: leakage\nseeds: {first: 3, count: 3}\naxes:\n"
            + "  model: [logistic, mlp]\n  dimension: 6\n  classes: 3\n  width: 8\n  samples: 12\n  heldOut: 10\n"
            + "  temperature: [0.5, 4]\n  teacherSteps: 60\n  studentSteps: 60\n  lr: 0.05\n");

    @TempDir
    Path dir;

    static LeakageGrid grid(String yaml) {
        try {
            return LeakageGrid.of(new ObjectMapper(new YAMLFactory()).readTree(yaml), 10_000);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static ObjectNode provenance(String run) {
        return JsonNodeFactory.instance.objectNode().put("run", run);
    }

    private Path run(String name, Shard shard, int threads) {
        Path file = dir.resolve(name);
        try (ResultStore store = ResultStore.open(file, LeakageSchema.SCHEMA, GRID.config(shard), provenance(name))) {
            LeakageSweep.run(GRID, shard, store, threads, (done, total) -> { });
        }
        return file;
    }

    private static List<String> records(Path file) {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            return lines.subList(1, lines.size());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static JsonNode headerWithoutProvenance(Path file) {
        Header h = ResultsReader.header(file, LeakageSchema.SCHEMA);
        return JsonNodeFactory.instance.objectNode().put("schema", h.schema()).set("config", h.config());
    }

    @Test
    void theGridIsTheProductOfItsAxesWithWidthNormalized() {
        assertThat(GRID.cells()).hasSize(4);
        assertThat(GRID.units()).isEqualTo(12);
        assertThat(GRID.cells().get(0).get(LeakageConfig.WIDTH)).isEqualTo(LeakageConfig.WIDTH.defaultValue());
        assertThat(GRID.cells().get(2).get(LeakageConfig.WIDTH)).isEqualTo(8);
        assertThat(grid("experiment: leakage\nseeds: 2\naxes:\n  model: logistic\n  width: [8, 16]\n").cells())
                .as("width does not apply to logistic regression: one cell").hasSize(1);
        assertThatThrownBy(() -> grid("experiment: leakage\nseeds: 2\naxes:\n  aux: 3\n"))
                .hasMessageContaining("axes.aux: unknown leakage setting");
        assertThatThrownBy(() -> grid("experiment: leakage\nseeds: 2\naxes:\n  temperature: -1\n"))
                .hasMessageContaining("temperature");
        assertThatThrownBy(() -> grid("experiment: leakage\nseeds: 2\ncells: 3\n")).hasMessageContaining("unknown field");
        assertThat(LeakageGrid.ofConfig(GRID.config(Shard.all())).config(Shard.all())).isEqualTo(GRID.config(Shard.all()));
    }

    @Test
    void oneAndTwoThreadsWriteTheSameRecordsAndTheSummaryKeepsCellsApart() {
        Path one = run("one.jsonl", Shard.all(), 1);
        Path two = run("two.jsonl", Shard.all(), 2);
        assertThat(records(one)).hasSize(12).isEqualTo(records(two));
        assertThat(records(one).get(0)).startsWith("{\"key\":\"0/3\",\"cell\":0,");
        LeakageSummary s = LeakageSummary.of(one);
        assertThat(s.varied()).containsExactly("model", "temperature");
        assertThat(s.cells()).hasSize(4).allSatisfy(c -> {
            assertThat(c.count()).isEqualTo(3);
            assertThat(c.chance()).isEqualTo(1.0 / 3);
            assertThat(c.studentHits().trials()).isEqualTo(30);
        });
    }

    @Test
    void aRunKilledMidWayAndResumedEqualsAnUninterruptedRun() throws IOException {
        Path whole = run("whole.jsonl", Shard.all(), 2);
        Path file = dir.resolve("killed.jsonl");
        try (ResultStore store = ResultStore.open(file, LeakageSchema.SCHEMA, GRID.config(Shard.all()), provenance("a"))) {
            assertThatThrownBy(() -> LeakageSweep.run(GRID, Shard.all(), store, 2, (done, total) -> {
                if (done == 5) {
                    throw new IllegalStateException("killed");
                }
            })).hasMessage("killed");
        }
        String tail = records(whole).get(5);
        Files.writeString(file, tail.substring(0, tail.length() / 2), StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        try (ResultStore store = ResultStore.open(file, LeakageSchema.SCHEMA, GRID.config(Shard.all()), provenance("b"))) {
            assertThat(store.keys()).hasSize(5);
            LeakageSweep.run(GRID, Shard.all(), store, 1, (done, total) -> { });
        }
        assertThat(records(file)).isEqualTo(records(whole));
        assertThat(headerWithoutProvenance(file)).isEqualTo(headerWithoutProvenance(whole));
    }

    @Test
    void threeShardsMergedEqualTheSingleRun() {
        Path whole = run("whole.jsonl", Shard.all(), 2);
        Path shards = dir.resolve("shards");
        shards.toFile().mkdir();
        for (int k = 2; k >= 0; k--) {
            run("shards/s" + k + ".jsonl", new Shard(k, 3), 1);
        }
        Path merged = dir.resolve("merged.jsonl");
        long n = SweepMerge.merge(SweepMerge.inputs(List.of(shards), merged), merged, provenance("merge"),
                LeakageSchema.SCHEMA, LeakageGrid::ofConfig);
        assertThat(n).isEqualTo(12);
        assertThat(records(merged)).isEqualTo(records(whole));
        assertThat(headerWithoutProvenance(merged)).isEqualTo(headerWithoutProvenance(whole));
        assertThat(ResultsReader.header(merged, LeakageSchema.SCHEMA).provenance().get("run").asText()).isEqualTo("merge");
        List<Path> wrong = new ArrayList<>(List.of(whole));
        assertThatThrownBy(() -> SweepMerge.merge(wrong, dir.resolve("x.jsonl"), provenance("m"))).isInstanceOf(
                IllegalArgumentException.class);
    }
}
