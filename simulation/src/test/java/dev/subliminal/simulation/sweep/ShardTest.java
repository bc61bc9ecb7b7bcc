package dev.subliminal.simulation.sweep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class ShardTest {

    @Test
    void shardsPartitionTheUnits() {
        for (int n = 1; n <= 4; n++) {
            int shards = n;
            long[] counts = LongStream.range(0, 23).map(u -> LongStream.range(0, shards)
                    .filter(k -> new Shard((int) k, shards).contains(u)).count()).toArray();
            assertThat(counts).containsOnly(1);
        }
    }

    @Test
    void theOptionWinsThenSlurmThenKubernetes() {
        Map<String, String> slurm = Map.of(Shard.SLURM_ID, "5", Shard.SLURM_MIN, "3", Shard.SLURM_COUNT, "4");
        assertThat(Shard.resolve("1/2", null, slurm)).isEqualTo(new Shard(1, 2));
        assertThat(Shard.resolve(null, null, slurm)).isEqualTo(new Shard(2, 4));
        assertThat(Shard.resolve(null, null, Map.of(Shard.SLURM_ID, "0", Shard.SLURM_COUNT, "3")))
                .isEqualTo(new Shard(0, 3));
        assertThat(Shard.resolve(null, 8, Map.of(Shard.KUBERNETES_INDEX, "7"))).isEqualTo(new Shard(7, 8));
        assertThat(Shard.resolve(null, null, Map.of())).isEqualTo(Shard.all());
    }

    @Test
    void badShardsGiveOneLineNamingTheProblem() {
        assertThatThrownBy(() -> Shard.parse("3/3")).hasMessageContaining("0 ≤ k < n");
        assertThatThrownBy(() -> Shard.parse("a/3")).hasMessage("--shard 'a/3': expected k/n with 0 ≤ k < n, e.g. 0/4");
        assertThatThrownBy(() -> Shard.resolve(null, null, Map.of(Shard.KUBERNETES_INDEX, "2")))
                .hasMessageContaining("--shards n");
        assertThatThrownBy(() -> Shard.resolve(null, null, Map.of(Shard.SLURM_ID, "2")))
                .hasMessageContaining(Shard.SLURM_COUNT + " is not");
        assertThatThrownBy(() -> Shard.resolve(null, 3, Map.of())).hasMessageContaining("needs JOB_COMPLETION_INDEX");
        assertThatThrownBy(() -> Shard.resolve("0/2", 3, Map.of())).hasMessageContaining("not both");
        assertThatThrownBy(() -> Shard.resolve(null, null, Map.of(Shard.SLURM_ID, "x", Shard.SLURM_COUNT, "2")))
                .hasMessage("SLURM_ARRAY_TASK_ID='x' is not an integer");
    }
}
