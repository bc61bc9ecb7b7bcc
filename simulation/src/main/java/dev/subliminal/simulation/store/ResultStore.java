package dev.subliminal.simulation.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Consumer;

/**
 * An append-only results file (JSON Lines, {@code docs/results.md}): a header line
 * {@code {"schema", "config", "provenance"}} then one record per line, each with a unique
 * {@code key}.
 *
 * <p>Opening an existing file resumes it: every complete line is kept, a trailing partial line (a
 * run killed mid-write) is cut off, and {@link #contains} tells which keys are done. A file written
 * for another schema or configuration is refused. Each record is written with one {@code write}
 * call, so a kill loses at most the record being written and never duplicates one.
 */
public final class ResultStore implements AutoCloseable {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Path file;
    private final FileChannel channel;
    private final Set<String> keys;

    private ResultStore(Path file, FileChannel channel, Set<String> keys) {
        this.file = file;
        this.channel = channel;
        this.keys = keys;
    }

    /**
     * Opens {@code file} for the run described by {@code schema} and {@code config}, creating it
     * with a header line or resuming it.
     *
     * @throws IllegalArgumentException if the file holds another schema or configuration, or a
     *     line that is not a record
     */
    public static ResultStore open(Path file, String schema, JsonNode config, JsonNode provenance) {
        Path dir = file.toAbsolutePath().getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new IllegalArgumentException("cannot write " + file + ": folder " + dir + " does not exist");
        }
        if (Files.isDirectory(file)) {
            throw new IllegalArgumentException("cannot write " + file + ": it is a folder");
        }
        try {
            FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            try {
                Set<String> keys = new HashSet<>();
                Scan scan = scan(file, keys);
                channel.truncate(scan.completeBytes);
                if (scan.header == null) {
                    ObjectNode header = MAPPER.createObjectNode();
                    header.put("schema", schema);
                    header.set("config", config);
                    header.set("provenance", provenance);
                    write(channel, 0, header);
                } else {
                    Header h = scan.header;
                    if (!h.schema().equals(schema)) {
                        throw new IllegalArgumentException(file + " holds " + h.schema() + " results, not " + schema);
                    }
                    if (!h.config().equals(asRead(config))) {
                        throw new IllegalArgumentException(file + " holds results of another configuration"
                                + " (delete it or choose another output file to start afresh)");
                    }
                }
                return new ResultStore(file, channel, keys);
            } catch (RuntimeException e) {
                channel.close();
                throw e;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open " + file + ": " + e.getMessage(), e);
        }
    }

    /** True if a record with this key is already in the file. */
    public synchronized boolean contains(String key) {
        return keys.contains(key);
    }

    /** The keys of the records in the file. */
    public synchronized Set<String> keys() {
        return Collections.unmodifiableSet(new HashSet<>(keys));
    }

    /** Appends one record; it must have a text {@code key} not yet in the file. */
    public synchronized void append(ObjectNode record) {
        JsonNode key = record.get("key");
        if (key == null || !key.isTextual()) {
            throw new IllegalArgumentException("a record needs a text \"key\"");
        }
        if (!keys.add(key.asText())) {
            throw new IllegalArgumentException(file + " already holds a record with key " + key.asText());
        }
        try {
            write(channel, channel.size(), record);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** Flushes the file to the storage device and closes it. */
    @Override
    public synchronized void close() {
        try {
            channel.force(true);
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close " + file + ": " + e.getMessage(), e);
        }
    }

    /** The header line of a results file. */
    public record Header(String schema, JsonNode config, JsonNode provenance) {
    }

    /**
     * Reads the header of a results file.
     *
     * @throws IllegalArgumentException if the file has no complete header line
     */
    public static Header header(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(file + " does not exist or is not a file");
        }
        Scan scan = scan(file, null, null, true);
        if (scan.header == null) {
            throw new IllegalArgumentException(file + " is not a results file: no complete header line");
        }
        return scan.header;
    }

    /** Calls {@code action} for every complete record of a results file, in file order, streaming. */
    public static void forEachRecord(Path file, Consumer<ObjectNode> action) {
        header(file);
        scan(file, null, action, false);
    }

    /**
     * The node as it reads back from the file: JSON text does not keep Java's number types (a
     * {@code long} 3 reads back as an {@code int} 3), so configurations compare after a round trip.
     */
    private static JsonNode asRead(JsonNode node) throws IOException {
        return MAPPER.readTree(MAPPER.writeValueAsBytes(node));
    }

    private static void write(FileChannel channel, long position, JsonNode line) throws IOException {
        byte[] json = MAPPER.writeValueAsBytes(line);
        ByteBuffer buffer = ByteBuffer.allocate(json.length + 1).put(json).put((byte) '\n').flip();
        while (buffer.hasRemaining()) {
            position += channel.write(buffer, position);
        }
    }

    private static final class Scan {
        Header header;
        long completeBytes;
    }

    private static Scan scan(Path file, Set<String> keys) {
        return scan(file, keys, null, false);
    }

    /**
     * One streaming pass over the complete lines of {@code file} (a trailing line without its
     * newline is ignored), checking that record keys are unique; stops after the header if
     * {@code headerOnly}.
     */
    private static Scan scan(Path file, Set<String> keys, Consumer<ObjectNode> action, boolean headerOnly) {
        Scan scan = new Scan();
        if (!Files.exists(file)) {
            return scan;
        }
        Set<String> seen = keys == null ? new HashSet<>() : keys;
        try (InputStream in = Files.newInputStream(file)) {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            byte[] chunk = new byte[1 << 16];
            long offset = 0;
            long lineNumber = 0;
            for (int n; (n = in.read(chunk)) > 0; ) {
                int start = 0;
                for (int i = 0; i < n; i++) {
                    if (chunk[i] != '\n') {
                        continue;
                    }
                    line.write(chunk, start, i - start);
                    start = i + 1;
                    lineNumber++;
                    JsonNode node = parse(file, lineNumber, line.toByteArray());
                    line.reset();
                    scan.completeBytes = offset + i + 1;
                    if (scan.header == null) {
                        scan.header = header(file, node);
                        if (headerOnly) {
                            return scan;
                        }
                        continue;
                    }
                    JsonNode key = node.get("key");
                    if (!node.isObject() || key == null || !key.isTextual()) {
                        throw new IllegalArgumentException(file + " line " + lineNumber + ": a record needs a text \"key\"");
                    }
                    if (!seen.add(key.asText())) {
                        throw new IllegalArgumentException(file + " line " + lineNumber + ": key " + key.asText()
                                + " appears twice");
                    }
                    if (action != null) {
                        action.accept((ObjectNode) node);
                    }
                }
                line.write(chunk, start, n - start);
                offset += n;
            }
            return scan;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static JsonNode parse(Path file, long lineNumber, byte[] bytes) {
        try {
            return MAPPER.readTree(bytes);
        } catch (IOException e) {
            throw new IllegalArgumentException(file + " line " + lineNumber + " is not JSON: "
                    + e.getMessage().lines().findFirst().orElse(""));
        }
    }

    private static Header header(Path file, JsonNode node) {
        JsonNode schema = node.get("schema");
        if (!node.isObject() || schema == null || !schema.isTextual() || !node.has("config")) {
            throw new IllegalArgumentException(file + " line 1 is not a results header (needs \"schema\" and \"config\")");
        }
        return new Header(schema.asText(), node.get("config"), node.get("provenance"));
    }
}
