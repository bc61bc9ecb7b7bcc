package dev.subliminal.simulation.sweep;

import java.util.Map;

/**
 * A deterministic 1/n of a sweep's work: shard k of n (0 ≤ k < n) runs the units u (in the order
 * cell-major, seed-minor) with u mod n = k, so every shard gets a share of every cell.
 *
 * @param index k, 0-based
 * @param count n ≥ 1
 */
public record Shard(int index, int count) {

    /** Slurm array jobs: the task's id, the array's smallest id and the number of tasks. */
    public static final String SLURM_ID = "SLURM_ARRAY_TASK_ID";
    public static final String SLURM_MIN = "SLURM_ARRAY_TASK_MIN";
    public static final String SLURM_COUNT = "SLURM_ARRAY_TASK_COUNT";
    /** Kubernetes indexed Jobs: the pod's completion index (the count is the Job's completions). */
    public static final String KUBERNETES_INDEX = "JOB_COMPLETION_INDEX";

    public Shard {
        if (count < 1 || index < 0 || index >= count) {
            throw new IllegalArgumentException("shard " + index + "/" + count + ": need n ≥ 1 and 0 ≤ k < n (k is 0-based)");
        }
    }

    /** The whole run. */
    public static Shard all() {
        return new Shard(0, 1);
    }

    /** True when this shard runs unit u. */
    public boolean contains(long unit) {
        return unit % count == index;
    }

    /** Parses {@code k/n}. */
    public static Shard parse(String text) {
        String[] parts = text.trim().split("/", -1);
        try {
            if (parts.length == 2) {
                return new Shard(Integer.parseInt(parts[0].trim()), Integer.parseInt(parts[1].trim()));
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("--shard '" + text + "': expected k/n with 0 ≤ k < n, e.g. 0/4");
    }

    /**
     * The shard given on the command line ({@code option}, may be null) or else by the environment:
     * a Slurm array task ({@value #SLURM_ID} − {@value #SLURM_MIN} of {@value #SLURM_COUNT}) or a
     * Kubernetes indexed Job ({@value #KUBERNETES_INDEX} of {@code shards}, which also selects this
     * case when both are set); the whole run otherwise.
     *
     * @param shards the number of shards of a Kubernetes indexed Job (its completions); may be null
     */
    public static Shard resolve(String option, Integer shards, Map<String, String> env) {
        if (option != null) {
            if (shards != null) {
                throw new IllegalArgumentException("give either --shard k/n or --shards n, not both");
            }
            return parse(option);
        }
        if (env.get(SLURM_ID) != null && shards == null) {
            String count = env.get(SLURM_COUNT);
            if (count == null) {
                throw new IllegalArgumentException(SLURM_ID + " is set but " + SLURM_COUNT + " is not; give --shard k/n");
            }
            int min = env.get(SLURM_MIN) == null ? 0 : integer(SLURM_MIN, env.get(SLURM_MIN));
            return new Shard(integer(SLURM_ID, env.get(SLURM_ID)) - min, integer(SLURM_COUNT, count));
        }
        if (env.get(KUBERNETES_INDEX) != null) {
            if (shards == null) {
                throw new IllegalArgumentException(KUBERNETES_INDEX + " is set: give the Job's completions with --shards n");
            }
            return new Shard(integer(KUBERNETES_INDEX, env.get(KUBERNETES_INDEX)), shards);
        }
        if (shards != null) {
            throw new IllegalArgumentException("--shards " + shards + " needs " + KUBERNETES_INDEX
                    + " (a Kubernetes indexed Job); elsewhere use --shard k/n");
        }
        return all();
    }

    private static int integer(String name, String value) {
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + "='" + value + "' is not an integer");
        }
    }

    @Override
    public String toString() {
        return index + "/" + count;
    }
}
