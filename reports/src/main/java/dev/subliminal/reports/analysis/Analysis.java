package dev.subliminal.reports.analysis;

import dev.subliminal.reports.plot.Plot;
import dev.subliminal.reports.read.RecordSink;
import java.util.List;

/**
 * Summarizes the records of one kind of input in constant memory (per cell, arm or bin, never per
 * record) and turns the summary into tables and plots. Each plot is produced only when the records
 * hold the data for it.
 */
public interface Analysis extends RecordSink {

    /** The heading of this part of the report. */
    String title();

    /** The summary tables. */
    List<Table> tables();

    /** The plots. */
    List<Plot> plots();
}
