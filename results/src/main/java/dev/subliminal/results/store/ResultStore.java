package dev.subliminal.results.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.subliminal.results.Texts;
import dev.subliminal.results.io.IoErrors;
import dev.subliminal.results.io.Locks;
import dev.subliminal.results.io.Outputs;
import dev.subliminal.results.schema.Schema;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The one writer of results files (JSON Lines, {@code docs/results.md}): a header line
 * {@code {"schema", "config", "provenance"}} then one record per line, each with a unique
 * {@code key}, appended with one {@code write} call so that a kill loses at most the record being
 * written and never duplicates one.
 *
 * <p>Opening follows the output rules ({@link Outputs}): the path is a regular file or absent (no
 * link, device or FIFO is written through), a new file gets the user's default permissions, and
 * one process at a time writes a file: an OS lock, held until {@link #close}, with an error naming
 * the process that holds it. An existing file is resumed only when it is a results file of the
 * same schema and configuration: every complete line is kept, a trailing partial line (a run
 * killed mid-write) is cut off, and {@link #contains} tells which keys are done. Anything else is
 * refused before the file is changed in any way. Every record is checked against the schema as it
 * reads back from the file, on reading and on appending.
 */
public final class ResultStore implements AutoCloseable {

    private final Path file;
    private final Schema schema;
    private final JsonNode config;
    private final FileChannel channel;
    private final FileLock lock;
    private final Set<String> keys;
    private final boolean created;
    private long appended;
    private boolean closed;

    private ResultStore(Path file, Schema schema, JsonNode config, FileChannel channel, FileLock lock,
            Set<String> keys, boolean created) {
        this.file = file;
        this.schema = schema;
        this.config = config;
        this.channel = channel;
        this.lock = lock;
        this.keys = keys;
        this.created = created;
    }

    /**
     * Opens {@code file} for the run described by {@code schema} and {@code config}, creating it
     * with a header line or resuming it.
     *
     * @throws IllegalArgumentException if the path is not a regular file, is being written by
     *     another process, or holds anything but results of this schema and configuration
     */
    public static ResultStore open(Path file, Schema schema, JsonNode config, JsonNode provenance) {
        if (schema.singleRecord()) {
            throw new IllegalArgumentException(schema.name() + " is a single record, not a results file");
        }
        Outputs.requireFileOrAbsent(file);
        JsonNode stored = asRead(config);
        schema.checkConfig(stored);
        Outputs.sweepStale(file.toAbsolutePath().getParent());
        boolean created = false;
        FileChannel channel;
        try {
            try {
                channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                        StandardOpenOption.WRITE);
                created = true;
            } catch (FileAlreadyExistsException e) {
                channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE,
                        LinkOption.NOFOLLOW_LINKS);
            }
        } catch (IOException e) {
            throw IoErrors.unchecked("cannot open " + file, file, e);
        }
        FileLock lock = null;
        try {
            lock = Locks.lock(channel, file);
            Outputs.requireFileOrAbsent(file);
            Set<String> keys = new HashSet<>();
            byte[] header = headerLine(schema, stored, provenance);
            long size = channel.size();
            if (size == 0 || tornHeader(channel, file, header)) {
                channel.truncate(0);
                write(channel, 0, header);
            } else {
                ResultsReader.Summary s = scan(channel, file, schema, keys);
                if (!s.header().config().equals(stored)) {
                    throw new IllegalArgumentException(file + " holds results of another configuration"
                            + (s.records() == 0 ? " (and no records yet)" : "")
                            + "; delete it or choose another output file to start afresh");
                }
                channel.truncate(s.completeBytes());
            }
            ResultStore store = new ResultStore(file, schema, stored, channel, lock, keys, created);
            if (created) {
                Outputs.deleteOnExit(file, store::removeIfEmpty);
            }
            return store;
        } catch (RuntimeException | IOException e) {
            try {
                if (created && lock != null) {
                    Files.deleteIfExists(file);
                }
                channel.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            if (e instanceof IOException io) {
                throw IoErrors.unchecked("cannot open " + file, file, io);
            }
            throw (RuntimeException) e;
        }
    }

    /**
     * Opens the store, runs {@code body} and closes it. If {@code body} fails and this run created
     * the file without writing a record into it, the file is removed, so that an error never leaves a
     * header-only file behind to block the next run.
     */
    public static void write(Path file, Schema schema, JsonNode config, JsonNode provenance, Consumer<ResultStore> body) {
        ResultStore store = open(file, schema, config, provenance);
        try {
            body.accept(store);
        } catch (RuntimeException | Error e) {
            try {
                store.removeIfEmpty();
            } catch (RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        } finally {
            store.close();
        }
    }

    /** The file. */
    public Path file() {
        return file;
    }

    /** Whether this run created the file. */
    public boolean created() {
        return created;
    }

    /** True if a record with this key is already in the file. */
    public synchronized boolean contains(String key) {
        return keys.contains(key);
    }

    /** The keys of the records in the file. */
    public synchronized Set<String> keys() {
        return Collections.unmodifiableSet(new HashSet<>(keys));
    }

    /**
     * Appends one record; it must have a text {@code key} not yet in the file and, as it reads back
     * from the file, satisfy the schema. A record that passes the schema as it is reads back to one
     * that passes too (the line keeps every value's kind: a number stays a finite number of the same
     * value, an integer an integer, and equal nodes are written alike), so only a record refused as it
     * is gets parsed back from its line and checked again, which decides (a {@code long} 3 reads back
     * as the {@code int} 3 of the configuration, say).
     */
    public synchronized void append(ObjectNode record) {
        if (closed) {
            throw new IllegalStateException(file + " is closed");
        }
        byte[] json;
        try {
            json = ResultsReader.MAPPER.writeValueAsBytes(record);
            if (!passes(record)) {
                schema.check(config, ResultsReader.MAPPER.readTree(json));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serialize a record for " + file + ": " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("a " + schema.name() + " record is malformed: " + e.getMessage(), e);
        }
        String key = Schema.KEY.text(record);
        if (!keys.add(key)) {
            throw new IllegalArgumentException(file + " already holds a record with key " + Texts.quote(key));
        }
        try {
            write(channel, channel.size(), json);
            appended++;
        } catch (IOException e) {
            keys.remove(key);
            throw IoErrors.unchecked("cannot write " + file, file, e);
        }
    }

    /** Whether the record as it is passes the schema (then it does as it reads back, too). */
    private boolean passes(JsonNode record) {
        try {
            schema.check(config, record);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Flushes the file to the storage device, releases the lock and closes it. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        Outputs.keepOnExit(file);
        try {
            channel.force(true);
            lock.release();
            channel.close();
        } catch (IOException e) {
            throw IoErrors.unchecked("cannot close " + file, file, e);
        }
    }

    /** Removes the file if this run created it and appended no record to it (a run that failed at once). */
    private synchronized void removeIfEmpty() {
        if (created && appended == 0 && !closed) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                throw IoErrors.unchecked("cannot remove " + file, file, e);
            }
        }
    }

    /** The header line, without its newline. */
    private static byte[] headerLine(Schema schema, JsonNode config, JsonNode provenance) {
        ObjectNode header = ResultsReader.MAPPER.createObjectNode();
        header.put(Schema.NAME.name(), schema.name());
        header.set(Schema.CONFIG.name(), config);
        header.set(Schema.PROVENANCE.name(), provenance);
        try {
            return ResultsReader.MAPPER.writeValueAsBytes(header);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Whether the file holds nothing but the beginning of this run's header without its newline: the
     * header of a run killed while writing it, whose schema and configuration (all before the
     * provenance) match this run's.
     */
    private static boolean tornHeader(FileChannel channel, Path file, byte[] header) throws IOException {
        String full = new String(header, StandardCharsets.UTF_8);
        int provenance = full.lastIndexOf(",\"" + Schema.PROVENANCE.name() + "\":");
        String stable = full.substring(0, provenance);
        long size = channel.size();
        if (size > stable.length() + (1 << 16)) {
            return false;
        }
        ByteBuffer b = ByteBuffer.allocate((int) size);
        while (b.hasRemaining() && channel.read(b, b.position()) > 0) {
            // read it all
        }
        String text = new String(b.array(), 0, b.position(), StandardCharsets.UTF_8);
        if (text.indexOf('\n') >= 0) {
            return false;
        }
        return stable.startsWith(text) || text.startsWith(stable);
    }

    /** Reads the file through the locked channel (closing another descriptor of it would release the lock). */
    private static ResultsReader.Summary scan(FileChannel channel, Path file, Schema schema, Set<String> keys)
            throws IOException {
        channel.position(0);
        InputStream in = Channels.newInputStream(channel);
        try {
            return ResultsReader.read(file, in, null, schema, new RecordSink() {
                @Override
                public void header(Header header) {
                }

                @Override
                public void record(JsonNode record) {
                }
            }, keys, false);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage() + "; " + file + " is left as it is: choose another "
                    + "output file", e);
        }
    }

    private static void write(FileChannel channel, long position, byte[] json) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(json.length + 1).put(json).put((byte) '\n').flip();
        while (buffer.hasRemaining()) {
            position += channel.write(buffer, position);
        }
    }

    /**
     * The node as it reads back from the file: JSON text does not keep Java's number types (a
     * {@code long} 3 reads back as an {@code int} 3), so configurations compare after a round trip.
     */
    private static JsonNode asRead(JsonNode node) {
        try {
            return ResultsReader.MAPPER.readTree(ResultsReader.MAPPER.writeValueAsBytes(node));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
