package dev.subliminal.reports.table;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A plain-text table with a header row, columns padded to their widest cell; the first column (and
 * any marked {@link #left}) is left-aligned, the others right-aligned, as numbers read best. A header
 * may span lines ({@code "Δ_S·Δ_T > 0\n[95% CI]"}), so that a column is as narrow as its values.
 *
 * <p>Tables fit a terminal: {@link #render(int)} leaves out the columns marked {@link #optional},
 * last-marked first, until the table fits the width, and says which it left out.
 */
public final class TextTable {

    /** The width a table fits by default: a terminal of 100 columns. */
    public static final int TERMINAL = 100;

    private final List<String> header;
    private final List<List<String>> rows = new ArrayList<>();
    private final boolean[] left;
    private final List<Integer> optional = new ArrayList<>();

    /** A table with these column titles. */
    public TextTable(String... header) {
        if (header.length == 0) {
            throw new IllegalArgumentException("a table needs at least one column");
        }
        this.header = List.of(header);
        this.left = new boolean[header.length];
        left[0] = true;
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

    /** Left-aligns these columns (text rather than numbers). */
    public TextTable left(int... columns) {
        for (int c : columns) {
            left[c] = true;
        }
        return this;
    }

    /**
     * Marks these columns as optional, in the order they are given up when the table is too wide
     * (the first given goes last).
     */
    public TextTable optional(int... columns) {
        for (int c : columns) {
            if (c <= 0 || c >= header.size()) {
                throw new IllegalArgumentException("column " + c + " cannot be optional");
            }
            optional.add(c);
        }
        return this;
    }

    /** The number of rows. */
    public int rows() {
        return rows.size();
    }

    /** The table with every column, as lines joined by '\n', with a rule under the header. */
    public String render() {
        return render(Integer.MAX_VALUE).text();
    }

    /**
     * The rendered table and the titles (on one line) of the columns left out to fit.
     *
     * @param text the table
     * @param omitted the columns left out
     */
    public record Rendered(String text, List<String> omitted) {

        /** A note naming what was left out and how to see it, within {@value #TERMINAL} columns, or empty. */
        public String note(String how) {
            return omitted.isEmpty() ? "" : wrap("(" + String.join("; ", omitted) + ": " + how + ")", TERMINAL);
        }
    }

    /** The table within {@code width} characters where its optional columns allow. */
    public Rendered render(int width) {
        boolean[] shown = new boolean[header.size()];
        Arrays.fill(shown, true);
        int[] w = widths();
        List<String> omitted = new ArrayList<>();
        for (int i = optional.size() - 1; i >= 0 && total(w, shown) > width; i--) {
            int c = optional.get(i);
            shown[c] = false;
            omitted.add(0, header.get(c).replace('\n', ' '));
        }
        StringBuilder s = new StringBuilder();
        int lines = header.stream().mapToInt(h -> h.split("\n", -1).length).max().orElse(1);
        for (int l = 0; l < lines; l++) {
            List<String> line = new ArrayList<>();
            for (String h : header) {
                String[] parts = h.split("\n", -1);
                int offset = lines - parts.length; // headers sit on the rule
                line.add(l >= offset ? parts[l - offset] : "");
            }
            line(s, line, w, shown);
        }
        boolean first = true;
        for (int c = 0; c < w.length; c++) {
            if (shown[c]) {
                s.append(first ? "" : "  ").append("-".repeat(w[c]));
                first = false;
            }
        }
        s.append('\n');
        for (List<String> r : rows) {
            line(s, r, w, shown);
        }
        return new Rendered(s.toString(), omitted);
    }

    private int[] widths() {
        int[] width = new int[header.size()];
        for (int c = 0; c < width.length; c++) {
            for (String part : header.get(c).split("\n", -1)) {
                width[c] = Math.max(width[c], part.length());
            }
            for (List<String> r : rows) {
                width[c] = Math.max(width[c], r.get(c).length());
            }
        }
        return width;
    }

    private static int total(int[] w, boolean[] shown) {
        int t = 0;
        int n = 0;
        for (int c = 0; c < w.length; c++) {
            if (shown[c]) {
                t += w[c];
                n++;
            }
        }
        return t + 2 * Math.max(0, n - 1);
    }

    private void line(StringBuilder s, List<String> cells, int[] width, boolean[] shown) {
        boolean first = true;
        for (int c = 0; c < width.length; c++) {
            if (!shown[c]) {
                continue;
            }
            String cell = cells.get(c);
            String pad = " ".repeat(width[c] - cell.length());
            s.append(first ? "" : "  ").append(left[c] ? cell + pad : pad + cell);
            first = false;
        }
        int end = s.length();
        while (end > 0 && s.charAt(end - 1) == ' ') {
            end--;
        }
        s.setLength(end);
        s.append('\n');
    }

    /** {@code text} broken at spaces into lines of at most {@code width} characters. */
    public static String wrap(String text, int width) {
        StringBuilder out = new StringBuilder();
        int lineStart = 0;
        for (String word : text.split(" ")) {
            int lineLength = out.length() - lineStart;
            if (lineLength > 0 && lineLength + 1 + word.length() > width) {
                out.append('\n');
                lineStart = out.length();
            } else if (lineLength > 0) {
                out.append(' ');
            }
            out.append(word);
        }
        return out.append('\n').toString();
    }
}
