package dev.subliminal.simulation.sweep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.subliminal.results.store.Header;
import dev.subliminal.results.store.ResultStore;
import dev.subliminal.results.store.ResultsReader;
import dev.subliminal.results.sweep.SweepSchema;
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
 * Runs are reproducible: the same records for 1 and 2 threads, after a kill and a resume, and for
 * three shards merged. "The same" is the record lines byte for byte in the same order and the header
 * equal except its provenance.
 */
class SweepRunnerTest {

    private static final SweepGrid GRID = SweepGridTest.grid("seeds: {first: 3, count: 7}\naxes:\n"
            + "  init: [same, independent]\n  samples: 16\n  optimizer: [sgd, adam]\n  studentSteps: 2\n");

    @TempDir
    Path dir;

    private static ObjectNode provenance(String run) {
        return JsonNodeFactory.instance.objectNode().put("run", run);
    }

    private Path run(String name, Shard shard, int threads) {
        Path file = dir.resolve(name);
        try (ResultStore store = ResultStore.open(file, SweepSchema.SCHEMA, GRID.config(shard), provenance(name))) {
            SweepRunner.run(GRID, shard, store, threads, (done, total) -> { });
        }
        return file;
    }

    /** The record lines (all but the header), as written. */
    static List<String> records(Path file) {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            return lines.subList(1, lines.size());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static JsonNode headerWithoutProvenance(Path file) {
        Header h = ResultsReader.header(file, SweepSchema.SCHEMA);
        return JsonNodeFactory.instance.objectNode().put("schema", h.schema()).set("config", h.config());
    }

    @Test
    void oneAndTwoThreadsWriteTheSameRecords() {
        Path one = run("one.jsonl", Shard.all(), 1);
        Path two = run("two.jsonl", Shard.all(), 2);
        assertThat(records(one)).hasSize(28).isEqualTo(records(two));
        assertThat(records(one).get(0)).startsWith("{\"key\":\"0/3\",\"cell\":0,");
    }

    @Test
    void aRunKilledMidWayAndResumedEqualsAnUninterruptedRun() throws IOException {
        Path whole = run("whole.jsonl", Shard.all(), 2);
        Path file = dir.resolve("killed.jsonl");
        // stop after 9 records, then tear the last line as a kill during a write would
        try (ResultStore store = ResultStore.open(file, SweepSchema.SCHEMA, GRID.config(Shard.all()), provenance("a"))) {
            assertThatThrownBy(() -> SweepRunner.run(GRID, Shard.all(), store, 2, (done, total) -> {
                if (done == 9) {
                    throw new IllegalStateException("killed");
                }
            })).hasMessage("killed");
        }
        String tail = records(whole).get(9);
        Files.writeString(file, tail.substring(0, tail.length() / 2), StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        assertThat(records(file)).hasSize(10);

        try (ResultStore store = ResultStore.open(file, SweepSchema.SCHEMA, GRID.config(Shard.all()), provenance("b"))) {
            assertThat(store.keys()).hasSize(9);
            List<Long> progress = new ArrayList<>();
            SweepRunner.run(GRID, Shard.all(), store, 1, (done, total) -> progress.add(done));
            assertThat(progress.get(0)).isEqualTo(9);
        }
        assertThat(records(file)).isEqualTo(records(whole));
        assertThat(headerWithoutProvenance(file)).isEqualTo(headerWithoutProvenance(whole));
        assertThat(ResultsReader.header(file, SweepSchema.SCHEMA).provenance().get("run").asText()).isEqualTo("a");
    }

    @Test
    void threeShardsMergedEqualTheSingleRun() {
        Path whole = run("whole.jsonl", Shard.all(), 2);
        Path shards = dir.resolve("shards");
        shards.toFile().mkdir();
        List<Path> files = new ArrayList<>();
        for (int k = 2; k >= 0; k--) {
            files.add(run("shards/s" + k + ".jsonl", new Shard(k, 3), 1));
        }
        assertThat(records(files.get(0))).hasSize(9); // units 2, 5, ..., 26
        Path merged = dir.resolve("merged.jsonl");
        long n = SweepMerge.merge(SweepMerge.inputs(List.of(shards), merged), merged, provenance("merge"));
        assertThat(n).isEqualTo(28);
        assertThat(records(merged)).isEqualTo(records(whole));
        assertThat(headerWithoutProvenance(merged)).isEqualTo(headerWithoutProvenance(whole));
        assertThat(ResultsReader.header(merged, SweepSchema.SCHEMA).provenance().get("run").asText()).isEqualTo("merge");
    }

    @Test
    void mergeRefusesMissingIncompleteOrForeignShards() throws IOException {
        Path s0 = run("s0.jsonl", new Shard(0, 2), 1);
        Path out = dir.resolve("out.jsonl");
        assertThatThrownBy(() -> SweepMerge.merge(List.of(s0), out, provenance("m")))
                .hasMessage("shards [1] of 2 are missing");
        Path s1 = dir.resolve("s1.jsonl");
        try (ResultStore store = ResultStore.open(s1, SweepSchema.SCHEMA, GRID.config(new Shard(1, 2)), provenance("x"))) {
            store.append(SweepRunner.record(GRID, 1));
        }
        assertThatThrownBy(() -> SweepMerge.merge(List.of(s0, s1), out, provenance("m")))
                .hasMessage(s1 + " (shard 1/2) is incomplete: 1 of 14 records; rerun its sweep to finish it");
        assertThat(out).doesNotExist();
        assertThatThrownBy(() -> SweepMerge.merge(List.of(s0, s0), out, provenance("m")))
                .hasMessageContaining("are both shard 0/2");
    }
}
