package dev.subliminal.reports.read;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.function.Predicate;

/**
 * Reads an input in one streaming pass, holding one record at a time: either a results file
 * ({@code docs/results.md}: a header line {@code {"schema", "config", "provenance"}} then one record
 * per line) or a single JSON record (a check record, a certificate) that is its own header.
 * Every error names the file and line. A last line without its newline that does not parse is the
 * partial line of a run in progress or killed, and is skipped.
 */
public final class ResultsReader {

    private static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
            .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER).build());

    private ResultsReader() {
    }

    /** What one pass read. */
    public record Summary(Header header, long records, boolean partialLastLine) {
    }

    /**
     * Reads {@code file} into {@code sink}. {@code singleRecord} tells which schemas are single
     * records rather than results-file headers.
     */
    public static Summary read(Path file, Predicate<String> singleRecord, RecordSink sink) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(file + ": no such file");
        }
        long[] line = {1};
        try (InputStream in = Files.newInputStream(file); JsonParser p = MAPPER.createParser(in)) {
            JsonNode first = next(p, file, line);
            if (first == null) {
                throw new IllegalArgumentException(file + ": empty file, expected a subliminal results file or record");
            }
            String schema = first.path("schema").isTextual() ? first.get("schema").textValue() : null;
            if (schema == null) {
                throw new IllegalArgumentException(file + " line 1: no \"schema\" string; not a subliminal results "
                        + "file or record");
            }
            boolean single = singleRecord.test(schema);
            Header header = new Header(file, schema, object(first, "config"), object(first, "provenance"));
            try {
                sink.header(header);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(file + " line 1: " + e.getMessage(), e);
            }
            long records = 0;
            if (single) {
                try {
                    sink.record(first);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
                }
                records = 1;
            }
            while (true) {
                JsonNode r;
                try {
                    r = next(p, file, line);
                } catch (StreamReadException e) {
                    if (atEnd(e, file) && !endsWithNewline(file)) {
                        return new Summary(header, records, true);
                    }
                    throw e;
                }
                if (r == null) {
                    return new Summary(header, records, false);
                }
                if (single) {
                    throw new IllegalArgumentException(file + " line " + line[0] + ": a " + schema
                            + " record is one JSON object, but more follows");
                }
                if (!r.isObject() || !r.path("key").isTextual()) {
                    throw new IllegalArgumentException(file + " line " + line[0] + ": a record must be a JSON object "
                            + "with a \"key\" string");
                }
                try {
                    sink.record(r);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(file + " line " + line[0] + ": " + e.getMessage(), e);
                }
                records++;
            }
        } catch (StreamReadException e) {
            long at = e.getLocation() == null || atEnd(e, file) ? line[0] : e.getLocation().getLineNr();
            throw new IllegalArgumentException(file + " line " + at + ": malformed JSON: " + e.getOriginalMessage(), e);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(file + ": no such file", e);
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": " + e.getMessage(), e);
        }
    }

    /** The next JSON object, or null at the end; sets {@code line[0]} to the line where it starts. */
    private static JsonNode next(JsonParser p, Path file, long[] line) throws IOException {
        JsonToken t = p.nextToken();
        if (t == null) {
            return null;
        }
        line[0] = p.currentTokenLocation().getLineNr();
        if (t != JsonToken.START_OBJECT) {
            throw new IllegalArgumentException(file + " line " + line[0]
                    + ": expected a JSON object, found '" + p.getText() + "'");
        }
        return p.readValueAsTree();
    }

    private static JsonNode object(JsonNode header, String name) {
        JsonNode v = header.get(name);
        return v != null && v.isObject() ? v : MissingNode.getInstance();
    }

    /** Whether the parser failed at the end of the file (a record cut short). */
    private static boolean atEnd(StreamReadException e, Path file) {
        try {
            return e.getLocation() != null
                    && Math.max(e.getLocation().getByteOffset(), e.getLocation().getCharOffset()) >= Files.size(file);
        } catch (IOException io) {
            throw new UncheckedIOException(file + ": " + io.getMessage(), io);
        }
    }

    private static boolean endsWithNewline(Path file) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
            if (f.length() == 0) {
                return true;
            }
            f.seek(f.length() - 1);
            return f.read() == '\n';
        }
    }
}
