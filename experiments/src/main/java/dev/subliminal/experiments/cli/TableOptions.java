package dev.subliminal.experiments.cli;

import dev.subliminal.reports.table.TextTable;
import picocli.CommandLine.Option;

/** The {@code --wide} option of the commands that print tables: by default tables fit 100 columns. */
final class TableOptions {

    @Option(names = "--wide", description = "Print every column of the tables, however wide (by default they fit "
            + TextTable.TERMINAL + " columns and say what they leave out).")
    boolean wide;

    /** The width tables fit. */
    int width() {
        return wide ? Integer.MAX_VALUE : TextTable.TERMINAL;
    }
}
