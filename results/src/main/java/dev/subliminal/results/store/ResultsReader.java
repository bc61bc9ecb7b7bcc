package dev.subliminal.results.store;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.subliminal.results.Texts;
import dev.subliminal.results.io.Inputs;
import dev.subliminal.results.io.IoErrors;
import dev.subliminal.results.schema.Schema;
import dev.subliminal.results.schema.Schemas;
import java.io.CharConversionException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The one reader of results ({@code docs/results.md}), in one streaming pass holding one record at
 * a time. A results file is JSON Lines: a header line {@code {"schema", "config", "provenance"}},
 * then one record per line, each a single JSON object with nothing after it, checked against its
 * schema ({@link Schema#check}) and with a key no earlier record has. A single record (a check
 * record, a certificate; possibly spread over several lines) is its own header. A last line
 * without its newline is the partial line of a run in progress or killed: it is not read, and the
 * summary says so. Every error names the file and line.
 */
public final class ResultsReader {

    /** The mapper every result is read with (exact, fast double parsing). */
    static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
            .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER).build());
    private static final ObjectReader STRICT = MAPPER.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /** The longest line read: 64 MiB. */
    public static final int MAX_LINE_BYTES = 64 << 20;

    private ResultsReader() {
    }

    /**
     * What one pass read.
     *
     * @param header the header
     * @param schema the file's schema
     * @param records the records read (complete lines only)
     * @param partialLastLine whether a last line without its newline was left unread
     * @param completeBytes the length of the file up to the end of the last complete line
     */
    public record Summary(Header header, Schema schema, long records, boolean partialLastLine, long completeBytes) {
    }

    /** Reads a results file or single record of any known schema into {@code sink}. */
    public static Summary read(Path file, RecordSink sink) {
        return read(file, null, sink);
    }

    /** Reads {@code file}, which must be of schema {@code expected} (any known schema if null), into {@code sink}. */
    public static Summary read(Path file, Schema expected, RecordSink sink) {
        return read(file, expected, sink, false);
    }

    /** The header of {@code file}, which must be of schema {@code expected} (any known schema if null). */
    public static Header header(Path file, Schema expected) {
        Header[] h = new Header[1];
        read(file, expected, new RecordSink() {
            @Override
            public void header(Header header) {
                h[0] = header;
            }

            @Override
            public void record(JsonNode record) {
            }
        }, true);
        return h[0];
    }

    /** Calls {@code action} for every record of {@code file} (schema {@code expected}), in file order. */
    public static Summary forEach(Path file, Schema expected, Consumer<JsonNode> action) {
        return read(file, expected, new RecordSink() {
            @Override
            public void header(Header header) {
            }

            @Override
            public void record(JsonNode record) {
                action.accept(record);
            }
        });
    }

    private static Summary read(Path file, Schema expected, RecordSink sink, boolean headerOnly) {
        Supplier<InputStream> open = () -> Inputs.open(file);
        try (InputStream in = open.get()) {
            return read(file, in, open, expected, sink, null, headerOnly);
        } catch (IOException e) {
            throw IoErrors.unchecked("cannot read " + file, file, e);
        }
    }

    /**
     * The pass itself. {@code reopen} (may be null) reads the file again from its start: for a
     * record spread over lines and to confirm a repeated key; {@code keys} (may be null) collects
     * the keys exactly instead.
     */
    static Summary read(Path file, InputStream in, Supplier<InputStream> reopen, Schema expected, RecordSink sink,
            Set<String> keys, boolean headerOnly) throws IOException {
        Lines lines = new Lines(in, file);
        if (!lines.next()) {
            throw new IllegalArgumentException(file + ": empty file, expected a subliminal results file or record");
        }
        JsonNode first = null;
        String firstError = null;
        try {
            first = lines.parse();
        } catch (JsonProcessingException e) {
            firstError = message(e);
        }
        if (first == null || !lines.terminated || !first.isObject()) {
            if (reopen != null && (expected == null || expected.singleRecord())) {
                JsonNode whole = whole(file, reopen, lines.text().strip().equals("{"));
                if (whole != null) {
                    return single(file, whole, expected, sink);
                }
            }
            if (!lines.terminated) {
                throw new IllegalArgumentException(file + ": no complete header line; not a subliminal results file "
                        + "(or the run that writes it stopped before its first line)");
            }
            if (first == null) {
                throw new IllegalArgumentException(file + " line 1: malformed JSON: " + firstError);
            }
            throw new IllegalArgumentException(file + " line 1: expected a JSON object, found " + Texts.quote(first));
        }
        String name = first.path(Schema.NAME.name()).isTextual() ? first.get(Schema.NAME.name()).textValue() : null;
        if (name == null) {
            throw new IllegalArgumentException(file + " line 1: no \"schema\" string; not a subliminal results file "
                    + "or record");
        }
        Schema schema = schema(file, name, expected);
        if (schema.singleRecord()) {
            while (lines.next()) {
                if (!lines.text().isBlank()) {
                    throw new IllegalArgumentException(file + " line " + lines.number + ": a " + Texts.quote(name)
                            + " record is one JSON object, but more follows");
                }
            }
            return single(file, first, expected, sink);
        }
        JsonNode config;
        JsonNode provenance;
        try {
            Schema.CONFIG.check(first);
            Schema.PROVENANCE.optional().check(first);
            config = first.get(Schema.CONFIG.name());
            provenance = first.has(Schema.PROVENANCE.name()) ? first.get(Schema.PROVENANCE.name())
                    : MissingNode.getInstance();
            schema.checkConfig(config);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + " line 1: " + e.getMessage(), e);
        }
        Header header = new Header(file, name, config, provenance);
        try {
            sink.header(header);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + " line 1: " + e.getMessage(), e);
        }
        long complete = lines.end;
        if (headerOnly) {
            return new Summary(header, schema, 0, false, complete);
        }
        KeyIndex index = keys != null ? KeyIndex.exact(keys)
                : KeyIndex.hashed((key, line) -> firstLine(file, reopen, key, line));
        long records = 0;
        boolean partial = false;
        while (lines.next()) {
            if (!lines.terminated) {
                partial = true;
                break;
            }
            JsonNode r = record(file, lines);
            try {
                schema.check(config, r);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(file + " line " + lines.number + ": " + e.getMessage(), e);
            }
            String key = Schema.KEY.text(r);
            long earlier = index.add(key, lines.number);
            if (earlier != 0) {
                throw new IllegalArgumentException(file + " line " + lines.number + ": key " + Texts.quote(key)
                        + " appears twice" + (earlier > 0 ? " (first on line " + earlier + ")" : ""));
            }
            try {
                sink.record(r);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(file + " line " + lines.number + ": " + e.getMessage(), e);
            }
            records++;
            complete = lines.end;
        }
        return new Summary(header, schema, records, partial, complete);
    }

    private static Schema schema(Path file, String name, Schema expected) {
        if (expected == null) {
            try {
                return Schemas.require(name);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(file + " line 1: " + e.getMessage(), e);
            }
        }
        if (!expected.matches(name)) {
            throw new IllegalArgumentException(file + " holds " + Texts.quote(name) + " results, not " + expected.name());
        }
        return expected;
    }

    private static Summary single(Path file, JsonNode record, Schema expected, RecordSink sink) {
        String name = record.path(Schema.NAME.name()).isTextual() ? record.get(Schema.NAME.name()).textValue() : null;
        if (name == null) {
            throw new IllegalArgumentException(file + ": no \"schema\" string; not a subliminal results file or record");
        }
        Schema schema = schema(file, name, expected);
        if (!schema.singleRecord()) {
            throw new IllegalArgumentException(file + ": a " + name + " results file has its header on line 1 and "
                    + "one record per line");
        }
        try {
            schema.check(MissingNode.getInstance(), record);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
        JsonNode config = record.get(Schema.CONFIG.name());
        JsonNode provenance = record.get(Schema.PROVENANCE.name());
        Header header = new Header(file, name, config != null && config.isObject() ? config : MissingNode.getInstance(),
                provenance != null && provenance.isObject() ? provenance : MissingNode.getInstance());
        try {
            sink.header(header);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + " line 1: " + e.getMessage(), e);
        }
        try {
            sink.record(record);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
        return new Summary(header, schema, 1, false, -1);
    }

    /** The whole file as one JSON object; null if it is not one (and {@code pretty} is false). */
    private static JsonNode whole(Path file, Supplier<InputStream> reopen, boolean pretty) {
        try (InputStream in = reopen.get()) {
            JsonNode n = STRICT.readTree(in);
            return n != null && n.isObject() ? n : null;
        } catch (CharConversionException e) {
            if (pretty) {
                throw new IllegalArgumentException(file + ": malformed JSON: not UTF-8 text ("
                        + Texts.abbreviate(String.valueOf(e.getMessage()), 200) + ")", e);
            }
            return null;
        } catch (JsonProcessingException e) {
            if (pretty) {
                long line = e.getLocation() == null ? 1 : e.getLocation().getLineNr();
                throw new IllegalArgumentException(file + " line " + line + ": malformed JSON: " + message(e), e);
            }
            return null;
        } catch (IOException e) {
            throw IoErrors.unchecked("cannot read " + file, file, e);
        }
    }

    private static JsonNode record(Path file, Lines lines) throws IOException {
        JsonNode r;
        try {
            r = lines.parse();
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(file + " line " + lines.number + ": malformed JSON: " + message(e), e);
        }
        if (r.isMissingNode()) {
            throw new IllegalArgumentException(file + " line " + lines.number + " is empty; a record is one JSON "
                    + "object per line");
        }
        if (!r.isObject()) {
            throw new IllegalArgumentException(file + " line " + lines.number + ": expected a JSON object, found "
                    + Texts.quote(r));
        }
        return r;
    }

    /** The first line before {@code line} whose record has {@code key}; −1 if none. */
    private static long firstLine(Path file, Supplier<InputStream> reopen, String key, long line) {
        if (reopen == null) {
            return -1;
        }
        try (InputStream in = reopen.get()) {
            Lines lines = new Lines(in, file);
            lines.next();
            while (lines.next() && lines.number < line) {
                JsonNode r = lines.parse();
                if (r.path(Schema.KEY.name()).asText().equals(key)) {
                    return lines.number;
                }
            }
            return -1;
        } catch (IOException e) {
            throw IoErrors.unchecked("cannot read " + file, file, e);
        }
    }

    private static String message(JsonProcessingException e) {
        return Texts.abbreviate(e.getOriginalMessage().lines().findFirst().orElse(""), 200);
    }

    /** The lines of a stream, as bytes, with their numbers and where each ends. */
    static final class Lines {
        private final InputStream in;
        private final Path file;
        private final byte[] buffer = new byte[1 << 16];
        private int position;
        private int limit;
        private long offset;
        private boolean eof;
        private byte[] line = new byte[1024];
        private int length;
        /** Whether the current line ends with a newline. */
        boolean terminated;
        /** The current line's number, from 1. */
        long number;
        /** The offset just after the current line (and its newline). */
        long end;

        Lines(InputStream in, Path file) {
            this.in = in;
            this.file = file;
        }

        /** Moves to the next line; false at the end. */
        boolean next() throws IOException {
            length = 0;
            terminated = false;
            while (true) {
                if (position == limit) {
                    if (!eof) {
                        limit = in.read(buffer);
                        position = 0;
                    }
                    if (eof || limit <= 0) {
                        eof = true;
                        limit = 0;
                        position = 0;
                        if (length == 0) {
                            return false;
                        }
                        number++;
                        end = offset;
                        return true;
                    }
                }
                int i = position;
                while (i < limit && buffer[i] != '\n') {
                    i++;
                }
                append(position, i - position);
                offset += i - position;
                if (i < limit) {
                    position = i + 1;
                    offset++;
                    terminated = true;
                    number++;
                    end = offset;
                    return true;
                }
                position = limit;
            }
        }

        private void append(int from, int n) {
            if (length + n > MAX_LINE_BYTES) {
                throw new IllegalArgumentException(file + " line " + (number + 1) + " is longer than "
                        + (MAX_LINE_BYTES >> 20) + " MiB; not a subliminal results file");
            }
            if (length + n > line.length) {
                line = Arrays.copyOf(line, Math.max(length + n, line.length * 2));
            }
            System.arraycopy(buffer, from, line, length, n);
            length += n;
        }

        /**
         * The current line as one JSON value (MissingNode if blank). Bytes that are not text in any
         * encoding JSON allows (UTF-8, or UTF-16/32 as the parser detects them) are malformed content,
         * not an I/O error.
         */
        JsonNode parse() throws IOException {
            try {
                return STRICT.readTree(line, 0, length);
            } catch (CharConversionException e) {
                throw new IllegalArgumentException(file + " line " + number + ": malformed JSON: not UTF-8 text ("
                        + Texts.abbreviate(String.valueOf(e.getMessage()), 200) + ")", e);
            }
        }

        /** The current line as text. */
        String text() {
            return new String(line, 0, length, java.nio.charset.StandardCharsets.UTF_8);
        }
    }
}
