package dev.subliminal.reports.analysis;

import com.fasterxml.jackson.databind.JsonNode;
import dev.subliminal.results.store.Header;
import dev.subliminal.results.store.RecordSink;
import java.util.function.Supplier;

/**
 * An analysis that reads its input through the one summary of its kind (in
 * {@code dev.subliminal.results}) and draws its tables and plots from that summary.
 *
 * @param <S> the summary
 */
abstract class SummaryAnalysis<S> implements Analysis {

    private final RecordSink records;
    private final Supplier<S> summarize;
    private Header header;
    private S summary;

    /** Reads records into {@code records}; {@code summarize} makes the summary of what it read. */
    SummaryAnalysis(RecordSink records, Supplier<S> summarize) {
        this.records = records;
        this.summarize = summarize;
    }

    @Override
    public void header(Header h) {
        this.header = h;
        records.header(h);
    }

    @Override
    public void record(JsonNode r) {
        records.record(r);
        summary = null;
    }

    /** The input's header. */
    Header header() {
        return header;
    }

    /** The summary of the records read. */
    public S summary() {
        if (summary == null) {
            summary = summarize.get();
        }
        return summary;
    }
}
