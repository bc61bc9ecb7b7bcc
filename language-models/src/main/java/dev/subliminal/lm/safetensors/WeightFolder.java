package dev.subliminal.lm.safetensors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.subliminal.lm.io.AtomicOutput;
import dev.subliminal.lm.io.FormatException;
import dev.subliminal.lm.io.StrictJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The weights of a Hugging Face checkpoint folder: either one {@code model.safetensors}, or shards
 * {@code model-00001-of-00003.safetensors}, ... listed by {@code model.safetensors.index.json}
 * ({@code {"metadata": {"total_size": bytes}, "weight_map": {tensor: shard file}}}). Read as one
 * {@link TensorSource}; every tensor must be in exactly one shard, the one the index names, and
 * every tensor of a shard must be in the index.
 */
public final class WeightFolder {

    /** The single-file name. */
    public static final String SINGLE = "model.safetensors";
    /** The index of a sharded folder. */
    public static final String INDEX = "model.safetensors.index.json";
    /** Hugging Face's default largest shard, 5 GB. */
    public static final long DEFAULT_MAX_SHARD_BYTES = 5_000_000_000L;
    private static final Pattern SHARD = Pattern.compile("model-\\d{5}-of-\\d{5}\\.safetensors");
    private static final long MAX_INDEX_BYTES = 64L << 20;

    private WeightFolder() {
    }

    /** Opens the weights of {@code folder}: the index if there is one, else {@code model.safetensors}. */
    public static TensorSource open(Path folder) {
        String name = FormatException.name(folder);
        if (!Files.isDirectory(folder)) {
            throw new FormatException(name, "is not a folder");
        }
        Path index = folder.resolve(INDEX);
        Path single = folder.resolve(SINGLE);
        boolean hasIndex = Files.exists(index);
        boolean hasSingle = Files.exists(single);
        if (hasIndex && hasSingle) {
            throw new FormatException(name, "holds both " + SINGLE + " and " + INDEX + "; keep one");
        }
        if (hasIndex) {
            return Sharded.open(folder, index);
        }
        if (hasSingle) {
            return SafetensorsFile.open(single);
        }
        throw new FormatException(name, "holds neither " + SINGLE + " nor " + INDEX);
    }

    /**
     * Writes {@code entries} into {@code folder}: one {@code model.safetensors} when they fit in
     * {@code maxShardBytes}, else shards of at most that size (a larger tensor gets a shard of its
     * own) and the index. Tensors are assigned to shards in the order given. Each file is written
     * atomically; existing weight files are an error unless {@code replace}, in which case weight
     * files of an earlier layout that the new one does not use are removed.
     *
     * @return the files written, index last
     */
    public static List<Path> write(Path folder, List<SafetensorsWriter.Entry> entries, Map<String, String> metadata,
            long maxShardBytes, boolean replace) {
        if (maxShardBytes <= 0) {
            throw new IllegalArgumentException("maxShardBytes = " + maxShardBytes + " must be > 0");
        }
        String name = FormatException.name(folder);
        if (!Files.isDirectory(folder)) {
            throw new FormatException(name, "is not a folder");
        }
        OpenFolders.requireNotBeingRead(folder);
        List<Path> existing = weightFiles(folder);
        if (!replace && !existing.isEmpty()) {
            throw new FormatException(name, "already holds weights (" + existing.get(0).getFileName()
                    + "); refusing to replace them");
        }
        SafetensorsWriter.sorted(entries); // rejects duplicate names before anything is written
        List<List<SafetensorsWriter.Entry>> shards = new ArrayList<>();
        List<SafetensorsWriter.Entry> current = new ArrayList<>();
        long size = 0;
        for (SafetensorsWriter.Entry e : entries) {
            if (!current.isEmpty() && size + e.bytes() > maxShardBytes) {
                shards.add(current);
                current = new ArrayList<>();
                size = 0;
            }
            current.add(e);
            size += e.bytes();
        }
        shards.add(current);
        List<Path> written = new ArrayList<>();
        if (shards.size() == 1) {
            Path file = folder.resolve(SINGLE);
            SafetensorsWriter.write(file, shards.get(0), metadata, replace);
            written.add(file);
        } else {
            Map<String, String> weightMap = new TreeMap<>();
            long total = 0;
            for (int i = 0; i < shards.size(); i++) {
                String file = String.format("model-%05d-of-%05d.safetensors", i + 1, shards.size());
                Path path = folder.resolve(file);
                SafetensorsWriter.write(path, shards.get(i), metadata, replace);
                written.add(path);
                for (SafetensorsWriter.Entry e : shards.get(i)) {
                    weightMap.put(e.name(), file);
                    total += e.bytes();
                }
            }
            Path index = folder.resolve(INDEX);
            byte[] json = indexJson(total, weightMap);
            AtomicOutput.write(index, replace, tmp -> Files.write(tmp, json));
            written.add(index);
        }
        for (Path old : existing) {
            if (!written.contains(old)) {
                try {
                    Files.deleteIfExists(old);
                } catch (IOException e) {
                    throw new FormatException(FormatException.name(old), null,
                            "is left from an earlier checkpoint and cannot be removed: " + e.getMessage(), e);
                }
            }
        }
        return written;
    }

    private static byte[] indexJson(long total, Map<String, String> weightMap) {
        ObjectNode root = StrictJson.MAPPER.createObjectNode();
        root.putObject("metadata").put("total_size", total);
        ObjectNode map = root.putObject("weight_map");
        weightMap.forEach(map::put);
        try {
            String text = StrictJson.MAPPER.writer(new DefaultPrettyPrinter()).writeValueAsString(root);
            return (text + "\n").getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The weight files (single, shards, index) present in {@code folder}. */
    static List<Path> weightFiles(Path folder) {
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(folder)) {
            for (Path p : ds) {
                String f = p.getFileName().toString();
                if (f.equals(SINGLE) || f.equals(INDEX) || SHARD.matcher(f).matches()) {
                    out.add(p);
                }
            }
        } catch (IOException e) {
            throw new FormatException(FormatException.name(folder), null, "cannot be listed: " + e.getMessage(), e);
        }
        Collections.sort(out);
        return out;
    }

    /** Shards seen as one source. */
    static final class Sharded implements TensorSource {
        private final String source;
        private final List<SafetensorsFile> files;
        private final Map<String, SafetensorsFile> owner;
        private final List<TensorInfo> tensors;

        private Sharded(String source, List<SafetensorsFile> files, Map<String, SafetensorsFile> owner,
                List<TensorInfo> tensors) {
            this.source = source;
            this.files = files;
            this.owner = owner;
            this.tensors = tensors;
        }

        static Sharded open(Path folder, Path index) {
            String indexName = FormatException.name(index);
            JsonNode root = StrictJson.object(StrictJson.read(index, MAX_INDEX_BYTES), indexName, null);
            for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
                String key = it.next();
                if (!key.equals("metadata") && !key.equals("weight_map")) {
                    throw new FormatException(indexName, key, "unknown field; an index has metadata and weight_map");
                }
            }
            if (root.has("metadata")) {
                JsonNode meta = StrictJson.object(root.get("metadata"), indexName, "metadata");
                if (meta.has("total_size")) {
                    StrictJson.integer(meta.get("total_size"), indexName, "metadata.total_size", 0, Long.MAX_VALUE);
                }
            }
            JsonNode map = StrictJson.object(root.get("weight_map"), indexName, "weight_map");
            if (map.isEmpty()) {
                throw new FormatException(indexName, "weight_map", "is empty");
            }
            Map<String, String> weightMap = new LinkedHashMap<>();
            Map<String, Path> shardFiles = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = map.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                String file = StrictJson.string(e.getValue(), indexName, e.getKey());
                if (file.isEmpty() || file.contains("/") || file.contains("\\") || file.equals(".") || file.equals("..")
                        || !file.endsWith(".safetensors")) {
                    throw new FormatException(indexName, e.getKey(), "names shard '" + file
                            + "', which is not a .safetensors file in the same folder");
                }
                weightMap.put(e.getKey(), file);
                shardFiles.putIfAbsent(file, folder.resolve(file));
            }
            List<SafetensorsFile> files = new ArrayList<>();
            try {
                Map<String, SafetensorsFile> owner = new LinkedHashMap<>();
                List<TensorInfo> tensors = new ArrayList<>();
                for (Map.Entry<String, Path> shard : shardFiles.entrySet()) {
                    if (!Files.exists(shard.getValue())) {
                        throw new FormatException(indexName, "names shard '" + shard.getKey() + "', which does not exist");
                    }
                    SafetensorsFile f = SafetensorsFile.open(shard.getValue());
                    files.add(f);
                    for (TensorInfo t : f.tensors()) {
                        SafetensorsFile other = owner.putIfAbsent(t.name(), f);
                        if (other != null) {
                            throw new FormatException(f.source(), t.name(), "is also stored in " + other.source());
                        }
                    }
                }
                for (SafetensorsFile f : files) {
                    String shard = f.path().getFileName().toString();
                    for (TensorInfo t : f.tensors()) {
                        String listed = weightMap.get(t.name());
                        if (listed == null) {
                            throw new FormatException(f.source(), t.name(), "is not listed in " + indexName);
                        }
                        if (!listed.equals(shard)) {
                            throw new FormatException(f.source(), t.name(), "is listed in " + indexName
                                    + " as stored in " + listed);
                        }
                        tensors.add(t);
                    }
                }
                for (Map.Entry<String, String> e : weightMap.entrySet()) {
                    if (!owner.containsKey(e.getKey())) {
                        throw new FormatException(indexName, e.getKey(), "is missing from its shard " + e.getValue());
                    }
                }
                return new Sharded(FormatException.name(folder), files, owner, Collections.unmodifiableList(tensors));
            } catch (RuntimeException e) {
                files.forEach(SafetensorsFile::close);
                throw e;
            }
        }

        @Override
        public String source() {
            return source;
        }

        @Override
        public List<TensorInfo> tensors() {
            return tensors;
        }

        @Override
        public TensorInfo find(String name) {
            SafetensorsFile f = owner.get(name);
            return f == null ? null : f.find(name);
        }

        @Override
        public String fileOf(String name) {
            SafetensorsFile f = owner.get(name);
            return f == null ? source : f.source();
        }

        @Override
        public Map<String, String> metadata() {
            return files.get(0).metadata();
        }

        @Override
        public void read(String name, double[] dst, int offset) {
            file(name).read(name, dst, offset);
        }

        @Override
        public void read(String name, float[] dst, int offset) {
            file(name).read(name, dst, offset);
        }

        private SafetensorsFile file(String name) {
            SafetensorsFile f = owner.get(name);
            if (f == null) {
                throw new FormatException(source, name, "no such tensor");
            }
            return f;
        }

        @Override
        public void close() {
            files.forEach(SafetensorsFile::close);
        }
    }
}
