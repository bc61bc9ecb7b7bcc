package dev.subliminal.reports.read;

import com.fasterxml.jackson.databind.JsonNode;

/** Receives an input's header, then each of its records in file order. */
public interface RecordSink {

    /** Called once, before any record. */
    void header(Header header);

    /**
     * Called for every record; throws {@link IllegalArgumentException} naming a bad field, which the
     * reader reports with the file and line.
     */
    void record(JsonNode record);
}
