package dev.subliminal.results.store;

import com.fasterxml.jackson.databind.JsonNode;

/** Receives a file's header, then each of its records in file order, each already checked against its schema. */
public interface RecordSink {

    /** Called once, before any record. */
    void header(Header header);

    /**
     * Called for every record; may throw {@link IllegalArgumentException} naming a bad value, which
     * the reader reports with the file and line.
     */
    void record(JsonNode record);
}
