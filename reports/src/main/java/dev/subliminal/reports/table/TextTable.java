package dev.subliminal.reports.table;

import java.util.ArrayList;
import java.util.List;

/**
 * A plain-text table with a header row, columns padded to their widest cell; the first column is
 * left-aligned and the others right-aligned, as numbers read best.
 */
public final class TextTable {

    private final List<String> header;
    private final List<List<String>> rows = new ArrayList<>();

    /** A table with these column titles. */
    public TextTable(String... header) {
        if (header.length == 0) {
            throw new IllegalArgumentException("a table needs at least one column");
        }
        this.header = List.of(header);
    }

    /** Appends a row with one cell per column. */
    public TextTable add(String... cells) {
        if (cells.length != header.size()) {
            throw new IllegalArgumentException("row has " + cells.length + " cells, the table has "
                    + header.size() + " columns");
        }
        rows.add(List.of(cells));
        return this;
    }

    /** The table as lines joined by '\n', with a rule under the header. */
    public String render() {
        int[] width = new int[header.size()];
        for (int c = 0; c < width.length; c++) {
            width[c] = header.get(c).length();
            for (List<String> r : rows) {
                width[c] = Math.max(width[c], r.get(c).length());
            }
        }
        StringBuilder s = new StringBuilder();
        line(s, header, width);
        for (int c = 0; c < width.length; c++) {
            s.append(c == 0 ? "" : "  ").append("-".repeat(width[c]));
        }
        s.append('\n');
        for (List<String> r : rows) {
            line(s, r, width);
        }
        return s.toString();
    }

    private static void line(StringBuilder s, List<String> cells, int[] width) {
        for (int c = 0; c < width.length; c++) {
            String cell = cells.get(c);
            String pad = " ".repeat(width[c] - cell.length());
            s.append(c == 0 ? "" : "  ").append(c == 0 ? cell + pad : pad + cell);
        }
        int end = s.length();
        while (end > 0 && s.charAt(end - 1) == ' ') {
            end--;
        }
        s.setLength(end);
        s.append('\n');
    }
}
