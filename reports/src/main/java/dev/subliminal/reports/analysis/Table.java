package dev.subliminal.reports.analysis;

import java.util.List;
import java.util.Locale;

/**
 * A summary table of a report.
 *
 * @param title what the table shows
 * @param note a line under the title (fixed settings, how to read it); may be empty
 * @param header the column titles
 * @param rows the cells, one list per row, as many as columns
 */
public record Table(String title, String note, List<String> header, List<List<String>> rows) {

    public Table {
        for (List<String> r : rows) {
            if (r.size() != header.size()) {
                throw new IllegalArgumentException("row " + r + " has " + r.size() + " cells, the table has "
                        + header.size() + " columns");
            }
        }
        header = List.copyOf(header);
        rows = List.copyOf(rows);
    }

    /** A number in 4 significant digits; {@code n/a} for NaN. */
    public static String number(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.4g", v);
    }

    /** {@code s} with its first letter in upper case. */
    static String capitalized(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
