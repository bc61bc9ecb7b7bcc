package dev.subliminal.reports.analysis;

import dev.subliminal.reports.plot.Plot;
import dev.subliminal.results.store.RecordSink;
import java.util.List;

/**
 * Reads the records of one kind of input (through the one summary of that kind, in
 * {@code dev.subliminal.results}) and turns the summary into tables and plots. Each plot is
 * produced only when the records hold the data for it.
 */
public interface Analysis extends RecordSink {

    /** The heading of this part of the report. */
    String title();

    /** The summary tables. */
    List<Table> tables();

    /** The plots. */
    List<Plot> plots();
}
