package dev.subliminal.simulation.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.subliminal.results.io.IoErrors;
import dev.subliminal.results.store.Header;
import dev.subliminal.results.store.ResultStore;
import dev.subliminal.results.store.ResultsReader;
import dev.subliminal.results.sweep.SweepSchema;
import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.StandardOpenOption;
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
 * {@code provenance}. Every shard must be complete. The merge streams: it checks every shard, then
 * copies their record lines verbatim, interleaved in unit order.
 */
public final class SweepMerge {

    private SweepMerge() {
    }

    /**
     * The results files among {@code paths}: a folder stands for its {@code *.jsonl} files (sorted by
     * name) except {@code exclude} (the output), a file for itself.
     */
    public static List<Path> inputs(List<Path> paths, Path exclude) {
        List<Path> out = new ArrayList<>();
        for (Path p : paths) {
            if (Files.isDirectory(p)) {
                List<Path> files = new ArrayList<>();
                try (DirectoryStream<Path> ds = Files.newDirectoryStream(p, "*.jsonl")) {
                    ds.forEach(files::add);
                } catch (IOException e) {
                    throw IoErrors.unchecked("cannot list " + p, p, e);
                }
                files.sort(null);
                files.removeIf(f -> same(f, exclude));
                out.addAll(files);
            } else if (Files.exists(p)) {
                out.add(p);
            } else {
                throw new IllegalArgumentException(p + ": no such file or folder");
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("no results files (*.jsonl) in " + paths);
        }
        return out;
    }

    private static boolean same(Path a, Path b) {
        return a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
    }

    /**
     * Merges the shard files into {@code out}, a new or empty file (write it through a temporary file to
     * make the merge atomic); returns the number of records written. Nothing is written unless every
     * shard is present and complete.
     */
    public static long merge(List<Path> shards, Path out, JsonNode provenance) {
        return merge(shards, out, provenance, SweepSchema.SCHEMA, config -> SweepGrid.of(gridDocument(config)));
    }

    /**
     * Merges the shard files of a grid-shaped kind ({@code schema}, whose header configuration
     * {@code gridOf} turns back into its grid) into {@code out}, as {@link #merge(List, Path, JsonNode)}.
     */
    public static long merge(List<Path> shards, Path out, JsonNode provenance, dev.subliminal.results.schema.Schema schema,
            java.util.function.Function<ObjectNode, UnitGrid> gridOf) {
        if (Files.isRegularFile(out) && out.toFile().length() > 0) {
            throw new IllegalArgumentException(out + " already holds data; merge writes a new file");
        }
        ObjectNode config = null;
        Map<Integer, Path> byIndex = new TreeMap<>();
        int count = -1;
        for (Path p : shards) {
            Header h = ResultsReader.header(p, schema);
            ObjectNode c = h.config().deepCopy();
            JsonNode shard = c.remove(SweepSchema.SHARD.name());
            int index = shard == null ? 0 : (int) SweepSchema.SHARD_INDEX.integer(shard);
            int n = shard == null ? 1 : (int) SweepSchema.SHARD_COUNT.integer(shard);
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
        UnitGrid grid = gridOf.apply(config);
        if (!grid.config(Shard.all()).equals(config)) {
            throw new IllegalArgumentException(shards.get(0) + ": its configuration does not match its own grid");
        }
        int n = byIndex.size();
        byIndex.forEach((index, p) -> requireComplete(grid, new Shard(index, n), p, schema));
        ResultStore.open(out, schema, config, provenance).close();
        List<BufferedReader> readers = new ArrayList<>();
        try (OutputStream o = new BufferedOutputStream(Files.newOutputStream(out, StandardOpenOption.APPEND))) {
            for (Path p : byIndex.values()) {
                BufferedReader r = Files.newBufferedReader(p, StandardCharsets.UTF_8);
                readers.add(r);
                r.readLine();
            }
            for (long u = 0; u < grid.units(); u++) {
                o.write(readers.get((int) (u % n)).readLine().getBytes(StandardCharsets.UTF_8));
                o.write('\n');
            }
        } catch (IOException e) {
            throw IoErrors.unchecked("cannot merge into " + out, out, e);
        } finally {
            for (BufferedReader r : readers) {
                try {
                    r.close();
                } catch (IOException ignored) {
                    // read-only; nothing to lose
                }
            }
        }
        return grid.units();
    }

    /** Throws unless {@code file} holds exactly the shard's units, in increasing order (as sweep writes them). */
    private static void requireComplete(UnitGrid grid, Shard shard, Path file, dev.subliminal.results.schema.Schema schema) {
        long expected = (grid.units() - shard.index() + shard.count() - 1) / shard.count();
        long[] found = {0};
        ResultsReader.forEach(file, schema, r -> {
            long u = shard.index() + found[0] * shard.count();
            String key = dev.subliminal.results.schema.Schema.KEY.text(r);
            if (u >= grid.units() || !key.equals(grid.key(u))) {
                throw new IllegalArgumentException(file + ": record " + (found[0] + 1) + " has key " + key
                        + ", expected " + (u >= grid.units() ? "none" : grid.key(u)) + " (shard " + shard
                        + " holds units u ≡ " + shard.index() + " mod " + shard.count() + " in increasing order)");
            }
            found[0]++;
        });
        if (found[0] != expected) {
            throw new IllegalArgumentException(file + " (shard " + shard + ") is incomplete: " + found[0] + " of "
                    + expected + " records; rerun its sweep to finish it");
        }
    }

    /** The grid document that yields {@code config}: its axes and seeds. */
    public static ObjectNode gridDocument(ObjectNode config) {
        ObjectNode g = config.objectNode();
        SweepSchema.SEEDS.set(g, SweepSchema.SEEDS.object(config));
        SweepSchema.AXES.set(g, SweepSchema.AXES.object(config));
        return g;
    }
}
