package dev.subliminal.simulation.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.subliminal.simulation.store.ResultStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Combines the results files of the shards 0..n−1 of one sweep into the file a single-machine run
 * writes: its header has the shards' configuration without {@code shard} (and the merge's
 * provenance), and its records are the shards' records, unchanged, in unit order. "The same file"
 * means: the same record lines byte for byte in the same order, and the same header except
 * {@code provenance}. Every shard must be complete.
 */
public final class SweepMerge {

    private SweepMerge() {
    }

    /**
     * The results files among {@code paths}: a folder stands for its {@code *.jsonl} files (sorted by
     * name), a file for itself; {@code exclude} (the output) is skipped.
     */
    public static List<Path> inputs(List<Path> paths, Path exclude) {
        List<Path> out = new ArrayList<>();
        for (Path p : paths) {
            if (Files.isDirectory(p)) {
                List<Path> files = new ArrayList<>();
                try (DirectoryStream<Path> ds = Files.newDirectoryStream(p, "*.jsonl")) {
                    ds.forEach(files::add);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot list " + p + ": " + e.getMessage(), e);
                }
                files.sort(null);
                out.addAll(files);
            } else if (Files.isRegularFile(p)) {
                out.add(p);
            } else {
                throw new IllegalArgumentException(p + " is neither a folder nor a file");
            }
        }
        out.removeIf(p -> p.toAbsolutePath().normalize().equals(exclude.toAbsolutePath().normalize()));
        if (out.isEmpty()) {
            throw new IllegalArgumentException("no results files (*.jsonl) in " + paths);
        }
        return out;
    }

    /**
     * Merges the shard files into {@code out}, a new or empty file (write it through a temporary file to
     * make the merge atomic); returns the number of records written. Nothing is written unless every
     * shard is present and complete.
     */
    public static long merge(List<Path> shards, Path out, JsonNode provenance) {
        if (Files.isRegularFile(out) && out.toFile().length() > 0) {
            throw new IllegalArgumentException(out + " already holds data; merge writes a new file");
        }
        ObjectNode config = null;
        Map<Integer, Path> byIndex = new TreeMap<>();
        int count = -1;
        for (Path p : shards) {
            ResultStore.Header h = ResultStore.header(p);
            if (!h.schema().equals(SweepRecord.SCHEMA)) {
                throw new IllegalArgumentException(p + " holds " + h.schema() + " results, not " + SweepRecord.SCHEMA);
            }
            ObjectNode c = h.config().deepCopy();
            JsonNode shard = c.remove("shard");
            int index = shard == null ? 0 : shard.get("index").asInt();
            int n = shard == null ? 1 : shard.get("count").asInt();
            if (config == null) {
                config = c;
                count = n;
            } else if (!config.equals(c)) {
                throw new IllegalArgumentException(p + " holds another sweep than " + shards.get(0)
                        + " (their configurations differ)");
            } else if (n != count) {
                throw new IllegalArgumentException(p + " is a shard of " + n + " but " + shards.get(0)
                        + " is a shard of " + count);
            }
            Path before = byIndex.put(index, p);
            if (before != null) {
                throw new IllegalArgumentException(before + " and " + p + " are both shard " + index + "/" + n);
            }
        }
        if (byIndex.size() != count) {
            List<Integer> missing = new ArrayList<>();
            for (int k = 0; k < count; k++) {
                if (!byIndex.containsKey(k)) {
                    missing.add(k);
                }
            }
            throw new IllegalArgumentException("shards " + missing + " of " + count + " are missing");
        }
        SweepGrid grid = SweepGrid.of(gridDocument(config));
        if (!grid.config(Shard.all()).equals(config)) {
            throw new IllegalArgumentException(shards.get(0) + ": its configuration does not match its own grid");
        }
        ObjectNode[] records = new ObjectNode[Math.toIntExact(grid.units())];
        Map<String, Long> unitOfKey = new TreeMap<>();
        for (long u = 0; u < grid.units(); u++) {
            unitOfKey.put(grid.key(u), u);
        }
        byIndex.forEach((index, p) -> {
            Shard shard = new Shard(index, byIndex.size());
            ResultStore.forEachRecord(p, r -> {
                Long u = unitOfKey.get(r.get("key").asText());
                if (u == null || !shard.contains(u)) {
                    throw new IllegalArgumentException(p + ": record " + r.get("key").asText()
                            + " does not belong to shard " + shard);
                }
                records[Math.toIntExact(u)] = r;
            });
            long expected = SweepRunner.units(grid, shard).length;
            long found = java.util.stream.LongStream.of(SweepRunner.units(grid, shard))
                    .filter(u -> records[Math.toIntExact(u)] != null).count();
            if (found != expected) {
                throw new IllegalArgumentException(p + " (shard " + shard + ") is incomplete: " + found + " of "
                        + expected + " records; rerun its sweep to finish it");
            }
        });
        try (ResultStore store = ResultStore.open(out, SweepRecord.SCHEMA, config, provenance)) {
            for (ObjectNode r : records) {
                store.append(r);
            }
        }
        return records.length;
    }

    /** The grid document that yields {@code config}: its axes and seeds. */
    private static ObjectNode gridDocument(ObjectNode config) {
        ObjectNode g = config.objectNode();
        g.set("seeds", config.get("seeds"));
        g.set("axes", config.get("axes"));
        return g;
    }
}
